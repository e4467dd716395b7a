"""The incident page: reasons shown, decisions saved, identities revealed once and only to those who may."""

import pytest
from django.urls import reverse

from sigap.core.models import AuditLog
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive


@pytest.fixture
def incident(region):
    report = report_receive(
        ReportDraft(
            channel=Channel.WEB,
            region=region("35.75.04.1010"),
            anonymous=False,
            reporter_name="Ibu Sari",
            reporter_contact="0812 9999 0000",
            description="Pendukung paslon membawa celurit di pasar, massa 40 orang",
        )
    )[0]
    return report.incident


@pytest.mark.django_db
def test_an_analyst_sees_the_triage_reasons_and_decides(client, personas, incident):
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "senjata: celurit" in page and "dipilih pelapor" in page
    # The suggestions and the timeline in words, not keys, codes and slugs.
    assert "<strong>Tempat</strong>: Bugul Lor (35.75.04.1010)" in page
    assert f"<strong>Kategori</strong>: {incident.get_category_display()}" in page
    assert f"<strong>Urgensi</strong>: {incident.get_urgency_display()}" in page
    assert "dibuka (— → Menunggu verifikasi)" in page and "opened" not in page
    assert "Ibu Sari" not in page and "0812" not in page  # hidden until revealed
    response = client.post(
        reverse("triage:incident_decide", args=[incident.pk]),
        {"decision": "verified", "reliability": "C", "credibility": "2", "corroboration": "Bhabinkamtibmas"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.source_reliability, incident.info_credibility) == ("verified", "C", 2)
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "status berubah (Menunggu verifikasi → Terverifikasi)" in page


@pytest.mark.django_db
def test_the_analyst_records_the_toll_and_the_dashboard_and_export_count_it(client, personas, incident):
    """Victims, the displaced and the damage go on the incident with their source, on its timeline in words, and
    the verified incidents' toll is summed on the dashboard and exported per incident (HXL)."""
    client.force_login(personas["analyst"])
    facts = {"injured": "2", "killed": "0", "displaced": "12", "buildings_damaged": "3", "reason": "Camat"}
    client.post(reverse("triage:incident_facts", args=[incident.pk]), facts)
    incident.refresh_from_db()
    assert (incident.injured, incident.displaced, incident.buildings_damaged) == (2, 12, 3)
    note = incident.events.get(verb="facts_changed").note
    assert "mengungsi: 0 \u2192 12" in note and "rumah atau bangunan rusak: 0 \u2192 3" in note and "(Camat)" in note
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "Dampak: 12 mengungsi, 3 rumah atau bangunan rusak" in page
    day = f"?start={incident.occurred_at:%Y-%m-%d}&end={incident.occurred_at:%Y-%m-%d}"
    assert 'id="toll"' not in client.get(reverse("dashboard:page") + day).content.decode()  # not verified yet
    client.post(
        reverse("triage:incident_decide", args=[incident.pk]),
        {"decision": "verified", "reliability": "B", "credibility": "2", "corroboration": "Camat"},
    )
    dashboard = client.get(reverse("dashboard:page") + day).content.decode()
    toll = dashboard.split('id="toll"')[1].split("</li>")[0]
    assert "<strong>2</strong> luka" in toll and "<strong>12</strong> mengungsi" in toll
    export = client.get(reverse("dashboard:export", args=["csv"]) + day)
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert "#affected+idps" in lines[1] and lines[2].split(",")[-4:-2] == ["12", "3"]


@pytest.mark.django_db
def test_a_reveal_needs_a_reason_is_shown_once_and_is_audited(client, personas, incident):
    report = incident.reports.get()
    client.force_login(personas["analyst"])
    url = reverse("triage:report_reveal", args=[incident.pk, report.pk])
    client.post(url, {"reason": ""})
    assert not AuditLog.objects.filter(action="report.identity_revealed").exists()
    page = client.post(url, {"reason": "perlu konfirmasi lapangan"}, follow=True).content.decode()
    assert "Ibu Sari" in page and "0812 9999 0000" in page
    assert "Ibu Sari" not in client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert AuditLog.objects.get(action="report.identity_revealed").details == {"reason": "perlu konfirmasi lapangan"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["responder", "mediator", "leadership"])
def test_other_staff_see_the_incident_but_not_the_identity(client, personas, incident, role):
    report = incident.reports.get()
    client.force_login(personas[role])
    page = client.get(reverse("triage:incident_detail", args=[incident.pk]))
    assert page.status_code == 200 and "Tampilkan identitas pelapor" not in page.content.decode()
    reveal = client.post(reverse("triage:report_reveal", args=[incident.pk, report.pk]), {"reason": "ingin tahu"})
    assert reveal.status_code == 403
    decide = client.post(
        reverse("triage:incident_decide", args=[incident.pk]),
        {"decision": "hoax", "reliability": "F", "credibility": "5"},
    )
    assert decide.status_code == 403
    assert AuditLog.objects.filter(action="report.identity_denied", actor=personas[role]).count() == 1


@pytest.mark.django_db
def test_incidents_outside_ones_area_and_photos_of_others_are_404(client, personas, region):
    elsewhere = report_receive(
        ReportDraft(
            channel=Channel.WEB, region=region("35.75.01.1001"), description="Sengketa lahan warga dan pengembang"
        )
    )[0]
    client.force_login(personas["responder"])  # covers Panggungrejo only
    assert client.get(reverse("triage:incident_detail", args=[elsewhere.incident_id])).status_code == 404
    client.force_login(personas["trusted_reporter"])
    assert client.get(reverse("triage:incident_detail", args=[elsewhere.incident_id])).status_code == 404


@pytest.mark.django_db
def test_the_triage_suggestions_read_as_words():
    from sigap.triage.views import suggestion_lines

    lines = suggestion_lines(
        {
            "text_model": {"value": [], "reasons": ["tidak ada label ujaran kebencian/kasar"]},
            "merge": {"incident": 5, "reasons": ["kelurahan sama"]},
            "place": {"code": "99.99", "confidence": 0.5, "reasons": ["teks"]},  # a region no longer loaded
        }
    )
    assert [(line.name, line.value) for line in lines] == [
        ("Model teks", ""),
        ("Penggabungan", "#5"),
        ("Tempat", "99.99"),
    ]


@pytest.mark.django_db
def test_a_report_triage_could_not_place_is_placed_by_an_analyst_then_merged_as_on_arrival(client, personas, region):
    """A report naming no kelurahan that its words do not give either was counted on the analyst's home and could
    not be opened anywhere: it never became an incident. Now the count links to the reports to place."""
    from sigap.intake.models import Report

    def unplaced(text):
        report, _ = report_receive(
            ReportDraft(channel=Channel.SMS, description=text, anonymous=False, reporter_contact="0812 7777 0000")
        )
        assert report.incident_id is None and report.region_id is None
        return report

    first = unplaced("Ada keributan pendukung paslon dekat rumah saya, mohon segera dicek")
    second = unplaced("Keributan pendukung paslon dekat rumah saya makin ramai, mohon segera dicek")
    client.force_login(personas["analyst"])
    home = client.get(reverse("home:home")).content.decode()
    assert reverse("triage:reports_unplaced") in home
    page = client.get(reverse("triage:reports_unplaced")).content.decode()
    assert first.receipt in page and second.receipt in page and "0812" not in page
    bugul_lor = region("35.75.04.1010")
    for report in (first, second):
        response = client.post(reverse("triage:reports_unplaced"), {"report": report.pk, "region": bugul_lor.pk})
        assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.incident_id and second.incident_id == first.incident_id  # the same event: merged, as on arrival
    assert first.region == bugul_lor and first.triage["place"]["reasons"] == ["ditempatkan analis"]
    placed = AuditLog.objects.filter(action="report.placed").order_by("pk")
    assert [row.object_id for row in placed] == [str(first.pk), str(second.pk)]
    assert placed[0].actor == personas["analyst"]
    # Placed once: a second post for the same report changes nothing and says so.
    again = client.post(
        reverse("triage:reports_unplaced"), {"report": first.pk, "region": region("35.75.04.1001").pk}, follow=True
    )
    assert "sudah ditempatkan" in again.content.decode()
    assert Report.objects.get(pk=first.pk).region == bugul_lor
    assert "Setiap laporan sudah masuk kejadian" in client.get(reverse("triage:reports_unplaced")).content.decode()


@pytest.mark.django_db
def test_a_reporter_who_writes_through_the_receipt_is_waiting_for_an_answer_until_the_team_replies(
    client, personas, incident
):
    """The receipt page let a reporter write to the team, and nobody was told: the message showed only to an analyst
    who happened to open that incident. The analyst's home now counts the reporters waiting and lists them."""
    report = incident.reports.get()
    session = client.session
    session["sigap_receipts"] = [report.receipt]  # what checking the receipt leaves in the reporter's session
    session.save()
    client.post(reverse("intake:receipt_status"), {"receipt": report.receipt, "body": "Massa bertambah, tolong."})
    client.force_login(personas["analyst"])
    home = client.get(reverse("home:home")).content.decode()
    assert reverse("triage:reporter_messages") in home and "1</strong> pelapor menunggu jawaban" in home
    page = client.get(reverse("triage:reporter_messages")).content.decode()
    assert "Massa bertambah, tolong." in page and f"#laporan-{report.pk}" in page
    assert "Ibu Sari" not in page and "0812" not in page  # who wrote stays hidden here too
    client.post(reverse("triage:report_reply", args=[incident.pk, report.pk]), {"body": "Petugas menuju lokasi."})
    assert "Tidak ada pelapor yang menunggu jawaban" in client.get(reverse("triage:reporter_messages")).content.decode()
    home = client.get(reverse("home:home")).content.decode()
    assert "0</strong> pelapor menunggu jawaban" in home


@pytest.mark.django_db
def test_the_secretariat_is_told_once_per_wait_when_a_reporter_writes(client, personas, organisations, incident):
    """A reporter's message is counted on the analyst's home, but an analyst who is not looking at it hears of it
    only through a notice: one per wait (more messages before the answer add none), and without the receipt or the
    reporter's words, since it may leave Sigap by e-mail."""
    from sigap.cases.tests.factories import mailbox
    from sigap.notify.choices import ChannelKind
    from sigap.notify.models import Channel as NotifyChannel
    from sigap.notify.models import Notification

    mailbox(organisations["kesbangpol"], "sekretariat@kesbangpol.example")
    NotifyChannel.objects.create(name="Aplikasi analis", kind=ChannelKind.IN_APP, user=personas["analyst"])
    report = incident.reports.get()
    session = client.session
    session["sigap_receipts"] = [report.receipt]
    session.save()

    def reporter_writes(words: str) -> None:
        client.post(reverse("intake:receipt_status"), {"receipt": report.receipt, "body": words})

    reporter_writes("Saya melihat Pak Darto membawa celurit.")
    reporter_writes("Sekarang massa bertambah.")
    told = list(Notification.objects.filter(purpose="reporter").select_related("channel"))
    assert sorted(n.channel.kind for n in told) == ["email", "in_app"]
    for notice in told:
        assert f"Laporan #{report.pk}" in notice.subject and f"kejadian #{incident.pk}" in notice.body
        assert reverse("triage:reporter_messages") in notice.body
        assert report.receipt not in notice.subject + notice.body
        assert "Darto" not in notice.body and "massa bertambah" not in notice.body
    client.force_login(personas["analyst"])
    client.post(  # Sigap tells the reporter by itself that the report was verified: that answers nothing asked
        reverse("triage:incident_decide", args=[incident.pk]),
        {"decision": "verified", "reliability": "C", "credibility": "2", "corroboration": "Bhabinkamtibmas"},
    )
    assert report.messages.filter(direction="out", author=None).exists()
    assert "Sekarang massa bertambah." in client.get(reverse("triage:reporter_messages")).content.decode()
    client.post(reverse("triage:report_reply", args=[incident.pk, report.pk]), {"body": "Petugas menuju lokasi."})
    assert "Sekarang massa bertambah." not in client.get(reverse("triage:reporter_messages")).content.decode()
    client.logout()
    session = client.session
    session["sigap_receipts"] = [report.receipt]
    session.save()
    reporter_writes("Terima kasih, tapi belum ada yang datang.")  # a new wait: the secretariat is told again
    assert Notification.objects.filter(purpose="reporter").count() == 4
    # The first wait's notices, still in the outbox (the worker was down), were answered meanwhile: not sent.
    from sigap.notify.services import deliver_due

    deliver_due(limit=10)
    first_wait = Notification.objects.filter(purpose="reporter", idempotency_key__contains=":waiting:0:")
    assert {n.dropped_because for n in first_wait} == {f"pelapor laporan #{report.pk} sudah dijawab"}
    still_waiting = Notification.objects.filter(purpose="reporter").exclude(pk__in=first_wait)
    assert still_waiting.count() == 2 and not still_waiting.filter(status="dropped").exists()


@pytest.mark.django_db
def test_an_imported_report_still_waiting_for_triage_is_offered_with_its_own_kelurahan(client, personas, region):
    from sigap.intake.services import report_build, report_region

    draft = ReportDraft(
        channel=Channel.IMPORT, description="Warga protes bansos di RW 02", region=region("35.75.04.1010")
    )
    waiting = report_build(draft, report_region(draft))
    waiting.save()  # stored by an import whose triage has not reached it
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:reports_unplaced")).content.decode()
    assert "Triase otomatis belum berjalan" in page
    assert f'<option value="{waiting.region_id}" selected>' in page
    client.post(reverse("triage:reports_unplaced"), {"report": waiting.pk, "region": waiting.region_id})
    waiting.refresh_from_db()
    assert waiting.incident is not None and waiting.incident.region_id == waiting.region_id


@pytest.mark.django_db(transaction=True)  # the worker runs here, and closes its connection after its batch
def test_an_import_triage_that_stopped_is_run_again_for_every_waiting_report(client, gazetteer, personas, region):
    from django.core.management import call_command

    from sigap.intake.services import report_build, report_region

    stranded = []
    for text in ("Warga protes bansos di RW 02", "Spanduk SARA dipasang di gang RW 05"):
        draft = ReportDraft(channel=Channel.IMPORT, description=text, region=region("35.75.04.1010"))
        stranded.append(report_build(draft, report_region(draft)))
        stranded[-1].save()  # stored by an import whose triage task failed
    client.force_login(personas["analyst"])
    assert "2 laporan belum melalui triase otomatis" in client.get(reverse("triage:reports_unplaced")).content.decode()
    client.post(reverse("triage:reports_unplaced"), {"action": "triage"})
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    for report in stranded:
        report.refresh_from_db()
        assert report.incident is not None and report.triage
    assert "belum melalui triase otomatis" not in client.get(reverse("triage:reports_unplaced")).content.decode()


@pytest.mark.django_db
def test_a_pin_where_desa_have_no_shape_offers_the_desa_of_its_kecamatan_first(client, personas, region):
    """Outside Kota Pasuruan Sigap ships kecamatan shapes only: a pinned report lands among the reports to place,
    once said to be 'outside every kelurahan'. The page now names the pin's kecamatan and offers its desa first."""
    import re

    from sigap.regions.models import Region

    bukir = region("35.75.01.1005")
    lat, lng = bukir.centroid_lat, bukir.centroid_lng
    Region.objects.under("35.75.01").update(boundary=None)  # Gadingrejo's kelurahan, as a kabupaten's desa
    report, _ = report_receive(
        ReportDraft(
            channel=Channel.WEB, description="Ada keributan pendukung di dekat pasar", latitude=lat, longitude=lng
        )
    )
    assert report.region_id is None and report.incident_id is None
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:reports_unplaced")).content.decode()
    assert "di Kecamatan Gadingrejo; Sigap tidak membawa batas kelurahan di sana untuk menempatkannya" in page
    first = re.search(r'<optgroup label="Di Kecamatan Gadingrejo, tempat titiknya">(.*?)</optgroup>', page, re.S)
    offered = re.findall(r'<option value="(\d+)"', first.group(1))
    assert sorted(map(int, offered)) == sorted(Region.objects.under("35.75.01").values_list("pk", flat=True))
    assert '<optgroup label="Di tempat lain">' in page
    client.post(reverse("triage:reports_unplaced"), {"report": report.pk, "region": bukir.pk})
    report.refresh_from_db()
    assert report.region == bukir and report.incident_id is not None


@pytest.mark.django_db
def test_a_report_placed_meanwhile_is_not_placed_twice(region, personas):
    from sigap.intake.models import Report
    from sigap.triage.services import ReportAlreadyPlaced, report_place

    report, _ = report_receive(ReportDraft(channel=Channel.SMS, description="Ada keributan dekat rumah saya, tolong"))
    stale = Report.objects.get(pk=report.pk)  # what a second analyst's page (or the import's worker) still holds
    first = report_place(report=report, region=region("35.75.04.1010"), actor=personas["analyst"])
    with pytest.raises(ReportAlreadyPlaced):
        report_place(report=stale, region=region("35.75.04.1001"), actor=personas["analyst"])
    assert Report.objects.get(pk=report.pk).incident == first


@pytest.mark.django_db
def test_a_closed_incident_is_reopened_with_a_reason(client, personas, region, incident):
    """ "Reopen it first", the decision page said, and nothing reopened an incident: a hoax decided wrongly stayed a
    hoax. A rejected incident goes back to the queue on a fresh clock; a resolved one back to the open ones."""
    from datetime import timedelta

    from django.utils import timezone

    from sigap.triage.choices import IncidentStatus
    from sigap.triage.services import incident_merge

    client.force_login(personas["analyst"])
    client.post(
        reverse("triage:incident_decide", args=[incident.pk]),
        {"decision": "hoax", "reliability": "E", "credibility": "5", "corroboration": ""},
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.HOAX
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    reopen = reverse("triage:incident_reopen", args=[incident.pk])
    assert f'action="{reopen}"' in page
    assert "Tidak tersimpan" in client.post(reopen, {"reason": " "}, follow=True).content.decode()
    client.post(reopen, {"reason": "Video asli, dikonfirmasi Bhabinkamtibmas"})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.NEW and incident.closed_at is None
    assert incident.verification_due_at > timezone.now() - timedelta(minutes=1)  # a fresh clock, not the old one
    assert "dibuka kembali: Video asli" in incident.events.last().note
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert f'action="{reopen}"' not in page
    # A duplicate whose reports went to another incident has nothing to reopen: they are split out there.
    other = report_receive(ReportDraft(channel=Channel.SMS, region=region("35.75.01.1001"), description="Lain hal"))[0]
    incident_merge(source=other.incident, target=incident, actor=personas["analyst"])
    emptied = reverse("triage:incident_reopen", args=[other.incident_id])
    assert "pisahkan dari sana" in client.post(emptied, {"reason": "salah gabung"}, follow=True).content.decode()
    client.force_login(personas["responder"])
    assert client.post(reopen, {"reason": "x"}).status_code == 403

"""The reporter's word on a resolution: asked on the receipt page (or answered by SMS "BELUM SELESAI ...") for some
days after the incident is resolved; a "not settled" reaches the secretariat, joins the report's conversation and
waits on the analyst's home until the analyst reopens the incident or tells the reporter why it stays resolved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sigap.cases.services import incident_settle
from sigap.core.grading import Credibility, Reliability
from sigap.core.models import AuditLog
from sigap.intake.gateways import resolution_words
from sigap.intake.models import Report, ResolutionAnswer
from sigap.intake.resolution import ResolutionAnswerRefused, resolution_answer_give, resolution_asked
from sigap.intake.tasks import _update_sms
from sigap.intake.tests.test_gateways import gateways, send_generic  # noqa: F401 (the fixture sets secrets)
from sigap.intake.tests.test_web import FORM
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident
from sigap.triage.services import incident_reopen, incident_verify

NOT_SETTLED = "Masih ada spanduk provokatif dan kedua kelompok masih saling ejek tiap malam"


def _resolve(incident, analyst, how="Musyawarah di kantor kelurahan, kedua pihak sepakat"):
    incident_verify(
        incident=incident,
        decision=IncidentStatus.VERIFIED,
        actor=analyst,
        reliability=Reliability.C,
        credibility=Credibility.POSSIBLY_TRUE,
    )
    return incident_settle(incident=Incident.objects.get(pk=incident.pk), actor=analyst, note=how)


@pytest.fixture
def resolved_report(client, personas):
    """A warga's report through the public form, its incident verified and resolved; this browser holds the
    receipt. The analyst has an inbox, so the secretariat's notices are rows to look at."""
    NotifyChannel.objects.create(name="Inbox", kind="in_app", user=personas["analyst"])
    client.post(reverse("intake:report_new"), FORM)
    report = Report.objects.get()
    _resolve(report.incident, personas["analyst"])
    return Report.objects.select_related("incident").get(pk=report.pk)


def _receipt_page(client, report):
    return client.get(f"{reverse('intake:receipt_status')}?r={report.receipt}").content.decode()


def _answer(client, report, settled, note=""):
    data = {"receipt": report.receipt, "settled": "yes" if settled else "no", "note": note}
    return client.post(reverse("intake:resolution_answer"), data, follow=True).content.decode()


@pytest.mark.django_db
def test_a_reporter_says_not_settled_and_the_analyst_keeps_it_resolved_with_a_reason(client, personas, resolved_report):
    report = resolved_report
    page = _receipt_page(client, report)
    assert "Apakah masalah yang Anda laporkan benar sudah selesai?" in page
    assert "balas BELUM SELESAI" in page  # the resolution's words say how to answer by SMS too
    told = report.messages.filter(direction="out").order_by("at", "pk").last().body
    sms = _update_sms(report.receipt, told)
    assert sms.endswith("BELUM SELESAI dan ceritanya, dalam 14 hari.") and len(sms) <= 160  # not cut off

    page = _answer(client, report, settled=False, note=NOT_SETTLED)
    assert "tim diberi tahu" in page and "belum selesai; tim memeriksanya kembali" in page
    assert "Apakah masalah yang Anda laporkan benar sudah selesai?" not in page  # asked once per resolution
    answer = ResolutionAnswer.objects.get()
    assert not answer.settled and answer.resolved_at == report.incident.closed_at
    # The words join the conversation, so the team owes an answer; the notice carries neither words nor receipt.
    assert report.messages.filter(direction="in", body__contains=NOT_SETTLED).exists()
    notice = Notification.objects.get(idempotency_key__startswith=f"report{report.pk}:unsettled")
    assert f"Kejadian #{report.incident_id}" in notice.subject
    assert NOT_SETTLED not in notice.body and report.receipt not in notice.body
    assert report.incident.events.filter(verb="reporter_unsettled").exists()
    assert AuditLog.objects.filter(action="report.resolution_disputed").count() == 1

    # A second answer (another tab) is refused; nothing changes.
    page = _answer(client, report, settled=True)
    assert "Tidak tersimpan" in page
    assert ResolutionAnswer.objects.count() == 1

    client.force_login(personas["analyst"])
    home = client.get(reverse("home:home")).content.decode()
    assert "Sudah selesai, tetapi pelapor menyatakan belum" in home
    detail = client.get(reverse("triage:incident_detail", args=[report.incident_id])).content.decode()
    assert "belum selesai" in detail and "Tetap selesai dan kirim" in detail

    uphold = reverse("triage:resolution_uphold", args=[report.incident_id, answer.pk])
    page = client.post(uphold, {"message": ""}, follow=True).content.decode()
    assert "Tidak tersimpan" in page
    reason = "Spanduk sudah diturunkan Satpol PP kemarin; ejekan kami teruskan ke Bhabinkamtibmas untuk dipantau."
    client.post(uphold, {"message": reason})
    answer.refresh_from_db()
    assert answer.reviewed_by == personas["analyst"] and answer.reviewed_at is not None
    assert Incident.objects.get(pk=report.incident_id).status == IncidentStatus.RESOLVED
    assert report.incident.events.filter(verb="resolution_upheld", note=reason).exists()
    home = client.get(reverse("home:home")).content.decode()
    assert "Sudah selesai, tetapi pelapor menyatakan belum" not in home
    client.post(uphold, {"message": reason})  # sent twice: one answer to the reporter
    assert report.messages.filter(body=reason).count() == 1

    client.logout()  # the reporter, in a fresh browser, with the receipt typed in
    page = client.post(reverse("intake:receipt_check"), {"receipt": report.receipt}, follow=True).content.decode()
    assert reason in page and "belum selesai; tim sudah menjawab Anda di bawah" in page


@pytest.mark.django_db
def test_a_settled_answer_is_thanked_and_tells_nobody(client, personas, resolved_report):
    report = resolved_report
    page = _answer(client, report, settled=True, note="Sudah aman, terima kasih")
    assert "Terima kasih sudah memberi tahu" in page
    answer = ResolutionAnswer.objects.get()
    assert answer.settled and answer.note == "Sudah aman, terima kasih"
    assert not Notification.objects.filter(idempotency_key__contains=":unsettled").exists()
    assert not report.messages.filter(direction="in").exists()  # nothing for the team to answer
    assert report.incident.events.filter(verb="reporter_settled").exists()
    assert not ResolutionAnswer.objects.disputed().exists()


@pytest.mark.django_db
def test_reopening_ends_the_wait_and_a_second_resolution_is_asked_afresh(client, personas, resolved_report):
    report = resolved_report
    _answer(client, report, settled=False, note=NOT_SETTLED)
    assert ResolutionAnswer.objects.disputed().count() == 1

    incident_reopen(incident=report.incident, actor=personas["analyst"], reason="Pelapor: ejekan masih berlanjut")
    assert ResolutionAnswer.objects.disputed().count() == 0  # about a resolution no longer in force
    told = report.messages.filter(direction="out").order_by("at", "pk").last()
    assert told.body.startswith("Masalah yang Anda laporkan ternyata belum selesai")  # not "checked and confirmed"
    report = Report.objects.select_related("incident").get(pk=report.pk)
    assert not resolution_asked(report)

    incident_settle(incident=report.incident, actor=personas["analyst"], note="Mediasi kedua, spanduk diturunkan")
    report = Report.objects.select_related("incident").get(pk=report.pk)
    assert resolution_asked(report)
    assert "Apakah masalah yang Anda laporkan benar sudah selesai?" in _receipt_page(client, report)
    _answer(client, report, settled=True)
    assert ResolutionAnswer.objects.count() == 2


@pytest.mark.django_db
def test_the_question_ends_after_the_days_to_answer(client, personas, resolved_report, settings):
    settings.SIGAP_RESOLUTION_ANSWER_DAYS = 14
    report = resolved_report
    late = report.incident.closed_at + timedelta(days=14, minutes=1)
    assert resolution_asked(report, report.incident.closed_at + timedelta(days=13))
    assert not resolution_asked(report, late)
    with pytest.raises(ResolutionAnswerRefused):
        resolution_answer_give(report=report, settled=False, note="", at=late)
    Incident.objects.filter(pk=report.incident_id).update(closed_at=timezone.now() - timedelta(days=15))
    page = _receipt_page(client, report)
    assert "Apakah masalah yang Anda laporkan benar sudah selesai?" not in page
    assert "Tidak tersimpan" in _answer(client, report, settled=False)
    assert not ResolutionAnswer.objects.exists()


@pytest.mark.django_db
def test_an_open_incident_is_not_asked_about(client, personas):
    client.post(reverse("intake:report_new"), FORM)
    report = Report.objects.get()
    assert "Apakah masalah yang Anda laporkan benar sudah selesai?" not in _receipt_page(client, report)
    assert "Tidak tersimpan" in _answer(client, report, settled=True)
    assert not ResolutionAnswer.objects.exists()


def test_a_receipt_this_browser_never_opened_is_sent_to_the_receipt_check(client, db):
    response = client.post(reverse("intake:resolution_answer"), {"receipt": "AAAA-BBBB-CCCC", "settled": "no"})
    assert response.status_code == 302 and response["Location"] == reverse("intake:receipt_check")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("SELESAI", (True, "")),
        ("sudah selesai, aman terima kasih", (True, "aman terima kasih")),
        ("Belum selesai: masih ada spanduk", (False, "masih ada spanduk")),
        ("blm selesai", (False, "")),
        ("Selesai sholat jumat ada keributan di depan masjid", None),  # a report that starts with "selesai"
        ("LAPOR Bugul Lor belum selesai juga ributnya", None),
        ("belum ada yang datang", None),
    ],
)
def test_resolution_words_by_sms(text, words):
    assert resolution_words(text) == words


@pytest.mark.django_db
def test_an_sms_reporter_answers_belum_selesai_by_text(client, personas, gateways):  # noqa: F811
    NotifyChannel.objects.create(name="Inbox", kind="in_app", user=personas["analyst"])
    sender = "+6281234500001"
    text = "LAPOR Bugul Lor spanduk provokatif dipasang di gang RW 02, dua kelompok saling ejek"
    assert send_generic(client, {"channel": "sms", "from": sender, "text": text, "id": "sms-1"}).status_code == 201
    report = Report.objects.get()
    _resolve(report.incident, personas["analyst"])

    # Someone else's "belum selesai" is somebody's report, as before.
    other = {"channel": "sms", "from": "+6281299990000", "text": "belum selesai juga ributnya", "id": "sms-2"}
    assert send_generic(client, other).status_code == 201
    assert not ResolutionAnswer.objects.exists()

    answer = {"channel": "sms", "from": sender, "text": f"BELUM SELESAI {NOT_SETTLED}", "id": "sms-3"}
    response = send_generic(client, answer)
    assert response.status_code == 200 and "belum selesai" in response.json()["reply"]
    recorded = ResolutionAnswer.objects.get()
    assert recorded.report == report and not recorded.settled and recorded.note == NOT_SETTLED
    assert Notification.objects.filter(idempotency_key__startswith=f"report{report.pk}:unsettled").exists()
    assert send_generic(client, answer).status_code in (200, 409)  # the gateway's retry records nothing more
    assert ResolutionAnswer.objects.count() == 1
    assert Report.objects.count() == 2  # no report was opened from the answer


@pytest.mark.django_db
def test_a_trusted_reporter_is_asked_from_their_home_and_answers_on_their_report(client, personas, region):
    from sigap.intake.choices import Channel as ReportChannel
    from sigap.intake.services import ReportDraft, report_receive

    reporter = personas["trusted_reporter"]
    draft = ReportDraft(
        channel=ReportChannel.WEB,
        region=region("35.75.04.1010"),
        description="Spanduk bernada SARA dipasang di gang RW 05, warga mulai saling curiga",
        submitted_by=reporter,
        anonymous=True,
    )
    report = report_receive(draft)[0]
    _resolve(report.incident, personas["analyst"])
    client.force_login(reporter)
    home = client.get(reverse("home:home")).content.decode()
    assert "Benar sudah selesai? Beri tahu tim" in home
    client.get(reverse("intake:my_report", args=[report.pk]))  # opens the receipt page without the code
    page = _answer(client, report, settled=False, note="Spanduk baru dipasang lagi semalam")
    assert "tim diberi tahu" in page
    answer = ResolutionAnswer.objects.get()
    assert not answer.settled and report.incident.events.get(verb="reporter_unsettled").actor == reporter
    assert "Benar sudah selesai? Beri tahu tim" not in client.get(reverse("home:home")).content.decode()


@pytest.mark.django_db
def test_a_partner_app_asks_and_answers_through_the_receipt_api(client, personas, resolved_report):
    report = resolved_report
    url = f"/api/v1/receipts/{report.receipt}"
    body = client.get(url).json()
    assert body["resolution_asked"] is True and body["resolution_answer"] is None
    for bad in ({"settled": "ya"}, {"note": "tanpa jawaban"}, {"settled": False, "extra": 1}):
        response = client.post(f"{url}/resolution", bad, content_type="application/json")
        assert response.status_code == 422 and "detail" in response.json()
    assert not ResolutionAnswer.objects.exists()
    answer = {"settled": False, "note": NOT_SETTLED}
    created = client.post(f"{url}/resolution", answer, content_type="application/json")
    assert created.status_code == 201 and created.json()["resolution_answer"] == "not_settled"
    assert ResolutionAnswer.objects.get().note == NOT_SETTLED
    again = client.post(f"{url}/resolution", answer, content_type="application/json")
    assert again.status_code == 409 and "detail" in again.json()
    body = client.get(url).json()
    assert body["resolution_asked"] is False and body["resolution_answer"] == "not_settled"
    assert (
        client.post("/api/v1/receipts/AAAA-BBBB-CCCC/resolution", answer, content_type="application/json").status_code
        == 404
    )
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"201", "409"} <= set(paths["/api/v1/receipts/{receipt}/resolution"]["post"]["responses"])


@pytest.mark.django_db
def test_a_night_answer_waits_for_the_morning_desk_and_is_dropped_once_an_analyst_answered(
    client, personas, resolved_report, settings
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sigap.notify.services import deliver
    from sigap.triage.resolution import resolution_uphold

    settings.SIGAP_QUIET_HOURS = (22, 6)
    report = resolved_report
    night = max(report.incident.closed_at, timezone.now()).astimezone(ZoneInfo("Asia/Jakarta"))
    night = datetime.combine(night.date() + timedelta(days=1), datetime.min.time(), night.tzinfo).replace(hour=23)
    Incident.objects.filter(pk=report.incident_id).update(closed_at=night - timedelta(hours=3))
    report = Report.objects.select_related("incident").get(pk=report.pk)
    answer = resolution_answer_give(report=report, settled=False, note=NOT_SETTLED, at=night)
    notice = Notification.objects.get(idempotency_key__startswith=f"report{report.pk}:unsettled")
    assert notice.next_attempt_at.astimezone(night.tzinfo).hour == 6  # not at 23.00
    resolution_uphold(answer=answer, actor=personas["analyst"], message="Sudah kami cek pagi ini; aman.")
    deliver(notice)
    notice.refresh_from_db()
    assert notice.status == "dropped" and "sudah ditindaklanjuti" in notice.dropped_because

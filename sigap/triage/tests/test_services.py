from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sigap.core.grading import Credibility, Reliability
from sigap.core.models import AuditLog
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.merge import merge_confirm, merge_lookout
from sigap.triage.models import Incident
from sigap.triage.services import (
    incident_merge,
    incident_transition,
    incident_update_triage,
    incident_verify,
    report_split,
)
from sigap.triage.states import TransitionError

DAY = datetime(2020, 12, 9, 1, 0, tzinfo=UTC)


def receive(text, *, region=None, at=DAY, **extra):
    return report_receive(
        ReportDraft(channel=Channel.WEB, description=text, region=region, received_at=at, occurred_at=at, **extra)
    )[0]


@pytest.mark.django_db
def test_reports_of_one_event_merge_into_one_incident(region):
    bugul_lor = region("35.75.04.1010")
    first = receive("Adu mulut pendukung paslon 01 dan 02 di pasar, saling dorong", region=bugul_lor)
    second = receive(
        "Pendukung paslon 02 dan 01 saling dorong di pasar Bugul Lor", region=bugul_lor, at=DAY + timedelta(hours=3)
    )
    assert first.incident is not None
    assert second.incident == first.incident
    incident = first.incident
    assert incident.category == Category.BENTROK_PENDUKUNG
    assert "kemiripan teks" in second.triage["merge"]["reasons"][0]
    timeline = list(incident.events.values_list("verb", "actor"))
    assert timeline == [("opened", None), ("report_attached", None)]
    # Pushing without weapons is not urgent: verified within three working days (Thu, Fri, Mon)
    assert incident.urgency < Urgency.HIGH
    assert incident.verification_due_at == datetime(2020, 12, 15, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.mark.django_db
def test_other_events_stay_apart(region):
    bugul_lor, karangketug = region("35.75.04.1010"), region("35.75.01.1001")
    base = receive("Adu mulut pendukung paslon di pasar, saling dorong", region=bugul_lor)
    elsewhere = receive("Adu mulut pendukung paslon di pasar, saling dorong", region=karangketug)
    later = receive("Adu mulut pendukung paslon di pasar, saling dorong", region=bugul_lor, at=DAY + timedelta(days=3))
    unrelated = receive(
        "Spanduk SARA menyerang agama calon dipasang di RW 05", region=bugul_lor, at=DAY + timedelta(hours=1)
    )
    incidents = {base.incident_id, elsewhere.incident_id, later.incident_id, unrelated.incident_id}
    assert len(incidents) == 4


@pytest.mark.django_db
def test_a_merge_weighed_before_the_write_lock_is_checked_inside_it(personas, region):
    """Triage compares texts before the write transaction; what changed meanwhile is caught inside it."""
    bugul_lor = region("35.75.04.1010")
    text, later = "Adu mulut pendukung paslon di pasar, saling dorong", DAY + timedelta(hours=1)

    def lookout():
        return merge_lookout(
            region_id=bugul_lor.pk, moment=later, description=text, category=Category.BENTROK_PENDUKUNG
        )

    before_any = lookout()
    assert before_any.suggestion is None
    first = receive(text, region=bugul_lor)  # opened after the lookout: the confirmation finds it
    confirmed = merge_confirm(before_any)
    assert confirmed is not None and confirmed.incident == first.incident

    seen_open = lookout()
    assert seen_open.suggestion is not None and seen_open.suggestion.incident == first.incident
    incident_transition(incident=first.incident, to=IncidentStatus.HOAX, actor=personas["analyst"], note="hoaks")
    assert merge_confirm(seen_open) is None  # a hoax takes no more reports


@pytest.mark.django_db
def test_a_graver_report_raises_the_incident_urgency(region):
    kepel = region("35.75.03.1002")
    first = receive("Ketegangan antar pendukung paslon di lapangan Kepel", region=kepel)
    assert first.incident.urgency < Urgency.CRITICAL
    receive(
        "Ketegangan antar pendukung paslon di lapangan Kepel, ada yang membawa celurit, massa 80 orang",
        region=kepel,
        at=DAY + timedelta(hours=1),
    )
    first.incident.refresh_from_db()
    assert first.incident.urgency == Urgency.CRITICAL


@pytest.mark.django_db
def test_attaching_a_report_reads_the_incident_once_and_writes_what_it_changes(region):
    """Merge reads only the columns it weighs and writes (merge.ATTACH_COLUMNS): a column missing there would be
    fetched again by a query of its own, or written from a stale value."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kepel = region("35.75.03.1002")
    first = receive("Ketegangan antar pendukung paslon di lapangan Kepel", region=kepel, at=DAY + timedelta(hours=5))
    incident = first.incident
    with CaptureQueriesContext(connection) as queries:
        earlier = receive(  # a paper log typed in later: received before the first report, graver, a crowd forming
            "Ketegangan antar pendukung paslon di lapangan Kepel, ada yang membawa celurit, massa 80 orang",
            region=kepel,
            at=DAY,
            mass_mobilisation=True,
        )
    assert earlier.incident_id == incident.pk
    reads = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "triage_incident" in q["sql"]
    ]
    assert len(reads) == 2, reads  # the lookout's and the confirmation's, nothing fetched on the side
    incident.refresh_from_db()
    assert incident.urgency == Urgency.CRITICAL
    assert incident.crowd_growing
    assert incident.first_received_at == DAY
    assert incident.verification_due_at == DAY + timedelta(hours=24)  # the graver clock runs from the first report
    assert incident.title and incident.triage  # columns not read are left as they were


@pytest.mark.django_db
def test_verification_records_the_grading_timeline_and_audit(personas, region):
    analyst = personas["analyst"]
    report = receive("Pembagian amplop berisi uang atas nama paslon 01 di RW 03", region=region("35.75.02.1001"))
    incident = incident_verify(
        incident=report.incident,
        decision=IncidentStatus.VERIFIED,
        actor=analyst,
        reliability=Reliability.B,
        credibility=Credibility.PROBABLY_TRUE,
        corroboration="Bhabinkamtibmas Pohjentrek melihat langsung",
    )
    assert incident.status == IncidentStatus.VERIFIED
    assert (incident.source_reliability, incident.info_credibility) == ("B", 2)
    assert incident.verified_by == analyst and incident.verified_at is not None
    assert incident.events.last().to_status == IncidentStatus.VERIFIED
    assert AuditLog.objects.filter(
        object_type="triage.incident", object_id=str(incident.pk), actor=analyst, action="incident.status_changed"
    ).exists()
    with pytest.raises(ValueError, match="not a verification decision"):
        incident_verify(
            incident=incident,
            decision=IncidentStatus.RESOLVED,
            actor=analyst,
            reliability=Reliability.B,
            credibility=Credibility.PROBABLY_TRUE,
        )


@pytest.mark.django_db
def test_a_forbidden_transition_changes_nothing(personas, region):
    report = receive("Isu penculikan anak beredar di RW 02", region=region("35.75.01.1001"))
    incident = report.incident
    with pytest.raises(TransitionError):
        incident_transition(incident=incident, to=IncidentStatus.RESOLVED, actor=personas["analyst"])
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.NEW
    assert incident.events.count() == 1


@pytest.mark.django_db
def test_an_analyst_merges_and_splits_by_hand(personas, region):
    analyst = personas["analyst"]
    a = receive("Warga protes pembagian bansos tidak merata di balai RW", region=region("35.75.02.1003"))
    b = receive(
        "Spanduk kampanye hitam dipasang malam hari di gang",
        region=region("35.75.02.1003"),
        at=DAY + timedelta(hours=2),
    )
    assert a.incident_id != b.incident_id
    target = incident_merge(source=b.incident, target=a.incident, actor=analyst)
    assert set(target.reports.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert Incident.objects.get(pk=b.incident_id).status == IncidentStatus.DUPLICATE
    b.refresh_from_db()
    split = report_split(report=b, actor=analyst)
    assert list(split.reports.values_list("pk", flat=True)) == [b.pk]
    assert list(target.reports.values_list("pk", flat=True)) == [a.pk]
    with pytest.raises(ValueError, match="only report"):
        report_split(report=a, actor=analyst)


@pytest.mark.django_db
def test_an_analyst_overrides_the_automatic_triage_with_a_reason(personas, region):
    report = receive("Ada kejadian di dekat pasar", region=region("35.75.04.1010"))
    incident = incident_update_triage(
        incident=report.incident,
        actor=personas["analyst"],
        reason="cek lapangan",
        category=Category.MAIN_HAKIM_SENDIRI,
        urgency=Urgency.HIGH,
        region=region("35.75.04.1011"),
    )
    incident.refresh_from_db()
    assert (incident.category, incident.urgency, incident.region.code) == ("main_hakim_sendiri", 3, "35.75.04.1011")
    assert "cek lapangan" in incident.events.last().note


@pytest.mark.django_db
def test_a_correction_from_a_page_loaded_before_the_verification_does_not_undo_it(personas, region):
    """The facts and the triage are written on a fresh copy, field by field: the copy the analyst's page loaded
    before a colleague verified the incident does not put it back in the queue."""
    from sigap.triage.services import incident_update_facts

    report = receive("Bentrok pendukung di dekat pasar", region=region("35.75.04.1010"))
    stale = Incident.objects.get(pk=report.incident.pk)
    incident_verify(
        incident=report.incident,
        decision=IncidentStatus.VERIFIED,
        actor=personas["analyst"],
        reliability=Reliability.B,
        credibility=Credibility.PROBABLY_TRUE,
        note="Dikonfirmasi Bhabinkamtibmas",
    )
    incident_update_facts(incident=stale, actor=personas["analyst"], reason="Kapolsek", injured=2)
    incident_update_triage(incident=stale, actor=personas["analyst"], reason="cek", urgency=Urgency.HIGH)
    fresh = Incident.objects.get(pk=stale.pk)
    assert (fresh.status, fresh.injured, fresh.urgency) == (IncidentStatus.VERIFIED, 2, Urgency.HIGH)
    assert fresh.source_reliability == Reliability.B and fresh.verified_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_reporter_learns_the_decision_in_plain_words(client, smtp_server, gazetteer, personas):
    from django.core.management import call_command

    from sigap.regions.models import Region

    report = report_receive(
        ReportDraft(
            channel=Channel.WEB,
            description="Spanduk SARA dipasang di gang dekat masjid Bugul Lor",
            region=Region.objects.get(code="35.75.04.1010"),
            reporter_name="Sari",
            reporter_contact="sari@example.org",
            anonymous=False,
        )
    )[0]
    incident_verify(
        incident=report.incident,
        decision=IncidentStatus.VERIFIED,
        actor=personas["analyst"],
        reliability=Reliability.C,
        credibility=Credibility.POSSIBLY_TRUE,
    )
    incident_transition(incident=report.incident, to=IncidentStatus.RESOLVED, actor=personas["analyst"])
    status = client.get(f"/api/v1/receipts/{report.receipt}").json()
    words = " ".join(m["body"] for m in status["messages"])
    assert "dinyatakan benar" in words and "sudah ditangani sampai selesai" in words
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    assert [m["To"] for m in smtp_server] == ["sari@example.org", "sari@example.org"]
    assert report.receipt in smtp_server[0]["Subject"]
    assert AuditLog.objects.filter(action="report.contact_read", object_id=str(report.pk)).count() == 2


def _reported_by_sms(settings, http_receiver, description):
    """A report sent by SMS from a phone that Sigap can write back to (the outbound gateway is the test's receiver)."""
    from sigap.regions.models import Region

    settings.SIGAP_REPORTER_GATEWAY_URL = http_receiver.url
    return report_receive(
        ReportDraft(
            channel=Channel.SMS,
            description=description,
            region=Region.objects.get(code="35.75.04.1010"),
            reporter_contact="0857 1234 5678",
            anonymous=False,
        )
    )[0]


@pytest.mark.django_db(transaction=True)
def test_a_reporter_who_left_a_phone_number_gets_the_decision_by_sms(settings, http_receiver, gazetteer, personas):
    import json

    from django.core.management import call_command

    report = _reported_by_sms(settings, http_receiver, "Isu penculikan anak beredar di grup WA warga Bugul Lor")
    incident_verify(
        incident=report.incident,
        decision=IncidentStatus.HOAX,
        actor=personas["analyst"],
        reliability=Reliability.C,
        credibility=Credibility.IMPROBABLE,
    )
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    [sms] = [json.loads(r["raw"]) for r in http_receiver.requests]
    assert sms["to"] == "+6285712345678" and "Authorization" not in http_receiver.requests[0]["headers"]
    # The Indonesian half of the bilingual update, cut to one SMS; the whole text is on the receipt page.
    assert sms["text"].startswith(f"Sigap {report.receipt}: Setelah diperiksa, kabar dalam laporan Anda tidak benar")
    assert len(sms["text"]) <= 160 and "After checking" not in sms["text"]
    [read] = AuditLog.objects.filter(action="report.contact_read", object_id=str(report.pk))
    assert read.details == {"for": "status update", "by": "SMS/WhatsApp"}


@pytest.mark.django_db
def test_a_merge_compares_with_each_incident_s_five_latest_reports(region):
    from sigap.triage.merge import RECENT_REPORTS, _recent_descriptions

    bugul_lor, tapaan = region("35.75.04.1010"), region("35.75.01.1003")
    for hour in range(7):
        receive(
            f"Adu mulut pendukung paslon di pasar, saling dorong, kabar {hour}",
            region=bugul_lor,
            at=DAY + timedelta(hours=hour),
        )
    other = receive("Spanduk SARA dipasang di gang", region=tapaan)
    crowd = Incident.objects.get(region=bugul_lor)
    assert crowd.reports.count() == 7
    latest = _recent_descriptions([crowd.pk, other.incident_id])
    assert [text for pk, text in latest if pk == crowd.pk] == [
        f"Adu mulut pendukung paslon di pasar, saling dorong, kabar {hour}" for hour in (6, 5, 4, 3, 2)
    ]
    assert [text for pk, text in latest if pk == other.incident_id] == ["Spanduk SARA dipasang di gang"]
    assert RECENT_REPORTS == 5


@pytest.mark.django_db(transaction=True)
def test_the_teams_answer_reaches_a_reporter_who_wrote_by_sms(client, settings, http_receiver, gazetteer, personas):
    """The answer was kept for the receipt page only: a reporter who wrote by SMS, without internet, never read
    it. It goes by SMS as the status updates do, as written (a closing bracket is not an English half)."""
    import json

    from django.core.management import call_command
    from django.urls import reverse

    report = _reported_by_sms(settings, http_receiver, "Ada pengerahan massa di depan kantor kelurahan Bugul Lor")
    client.force_login(personas["analyst"])
    answer = "Petugas Polsek sudah di lokasi (Pak Bambang, piket)"
    client.post(reverse("triage:report_reply", args=[report.incident_id, report.pk]), {"body": answer})
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    [sms] = [json.loads(r["raw"]) for r in http_receiver.requests]
    assert sms["to"] == "+6285712345678" and sms["text"] == f"Sigap {report.receipt}: {answer}"
    assert AuditLog.objects.filter(action="report.contact_read", object_id=str(report.pk)).count() == 1

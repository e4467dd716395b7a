"""The secretariat hears of an urgent report at once and of a verification clock that ran out, by its channels:
the place, the urgency and the signs, never the reporter's words or receipt."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from sigap.intake.choices import Channel as ReportChannel
from sigap.intake.choices import CrowdSize
from sigap.intake.services import ReportDraft, report_receive
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel, Notification
from sigap.notify.services import deliver_due
from sigap.triage.choices import IncidentStatus, Urgency
from sigap.triage.services import incident_verify, verifications_late

WIB = ZoneInfo("Asia/Jakarta")
BUGUL_LOR = "35.75.04.1010"
CLASH = "Dua kelompok pendukung paslon bentrok di pasar, ada yang membawa celurit, rumah Pak Darto dilempari"


@pytest.fixture
def piket(db, organisations, settings):
    settings.SIGAP_QUIET_HOURS = (22, 6)
    return Channel.objects.create(
        name="Piket Bakesbangpol",
        kind=ChannelKind.EMAIL,
        config={"address": "piket@kesbangpol.test"},
        organisation=organisations["kesbangpol"],
    )


def _report(region, text=CLASH, *, channel=ReportChannel.WEB, place=BUGUL_LOR, **signs):
    draft = ReportDraft(channel=channel, region=region(place) if place else None, description=text, **signs)
    return report_receive(draft)[0]


@pytest.mark.django_db
def test_an_urgent_report_reaches_the_secretariat_at_once_without_the_reporters_words(
    piket, region, smtp_server, personas
):
    report = _report(region, weapons_seen=True, crowd_size=CrowdSize.TENS)
    incident = report.incident
    assert incident.urgency >= Urgency.HIGH
    notice = Notification.objects.get(channel=piket, purpose="incident")
    assert f"[Kejadian #{incident.pk}]" in notice.subject and "menunggu verifikasi" in notice.subject
    assert "senjata terlihat" in notice.body and f"/kejadian/{incident.pk}/" in notice.body
    assert "Darto" not in notice.body and "celurit" not in notice.body and report.receipt not in notice.body
    # Another source on the same event, at the same urgency: nothing more.
    _report(region, CLASH + " (dari warga lain)", weapons_seen=True)
    assert Notification.objects.filter(channel=piket, purpose="incident").count() == 1
    assert deliver_due(limit=10) >= 1
    (mail,) = [m for m in smtp_server if m["Subject"].startswith(f"[Kejadian #{incident.pk}]")]
    assert mail["To"] == "piket@kesbangpol.test" and "Darto" not in mail.get_payload(decode=True).decode()


@pytest.mark.django_db
def test_ordinary_reports_and_imported_logs_raise_no_notice(piket, region, personas):
    quiet = _report(region, "Lampu jalan di gang mati sudah seminggu", place="35.75.04.1004")
    assert quiet.incident.urgency < Urgency.HIGH
    imported = _report(region, channel=ReportChannel.IMPORT, weapons_seen=True, place="35.75.01.1001")
    assert imported.incident.urgency >= Urgency.HIGH
    assert not Notification.objects.filter(purpose="incident").exists()


@pytest.mark.django_db(transaction=True)
def test_an_urgent_report_without_a_place_is_announced_too(gazetteer, piket, region, personas):
    report = _report(region, "Bentrok massa membawa senjata tajam, rumah dibakar", place=None, weapons_seen=True)
    assert report.incident_id is None
    notice = Notification.objects.get(channel=piket, purpose="incident")
    assert f"[Laporan #{report.pk}]" in notice.subject and "/laporan/belum-ditempatkan/" in notice.body
    assert "dibakar" not in notice.body and report.receipt not in notice.body


@pytest.mark.django_db
def test_a_late_verification_is_put_before_the_secretariat_once(piket, region, personas):
    urgent = _report(region, weapons_seen=True).incident
    ordinary = _report(region, "Warga protes pembagian bansos tidak merata", place="35.75.02.1003").incident
    Notification.objects.all().delete()
    moment = max(urgent.verification_due_at, ordinary.verification_due_at) + timedelta(minutes=1)
    night = moment.astimezone(WIB).replace(hour=23, minute=0)
    if night < moment:
        night += timedelta(days=1)
    assert verifications_late(night) == 2
    late = {n.subject: n for n in Notification.objects.filter(channel=piket, purpose="reminder")}
    urgent_row = late[f"[Terlambat] Kejadian #{urgent.pk} belum diverifikasi"]
    ordinary_row = late[f"[Terlambat] Kejadian #{ordinary.pk} belum diverifikasi"]
    assert urgent_row.next_attempt_at == night  # urgent: at once, also at 23:00
    assert ordinary_row.next_attempt_at == (night + timedelta(days=1)).replace(hour=6)  # after quiet hours
    assert verifications_late(night + timedelta(minutes=1)) == 0  # once per deadline
    incident_verify(
        incident=ordinary,
        decision=IncidentStatus.VERIFIED,
        actor=personas["analyst"],
        reliability="B",
        credibility=2,
    )
    Notification.objects.all().delete()
    assert verifications_late(night + timedelta(minutes=2)) == 1  # only the one still waiting


@pytest.mark.django_db
def test_no_reminder_before_the_deadline(piket, region, personas):
    incident = _report(region, weapons_seen=True).incident
    Notification.objects.all().delete()
    assert verifications_late(incident.verification_due_at - timedelta(minutes=1)) == 0


@pytest.mark.django_db
def test_the_secretariats_morning_summary_says_what_waits_on_it(piket, region, organisations, personas, time_machine):
    from sigap.notify.services import digests_due

    time_machine.move_to("2020-12-10 06:00 +07:00", tick=False)
    _report(region, weapons_seen=True)  # urgent: verify within a day
    _report(region, "Warga protes pembagian bansos tidak merata", place="35.75.02.1003")
    _report(region, "Ada keributan, entah di mana", place=None)
    polsek = Channel.objects.create(
        name="Polsek",
        kind=ChannelKind.EMAIL,
        config={"address": "polsek@example.org"},
        organisation=organisations["polsek_panggungrejo"],
    )
    Notification.objects.all().delete()
    time_machine.move_to("2020-12-11 07:05 +07:00", tick=False)
    assert digests_due() == 1  # the secretariat only: the Polsek has no open alert to hear of
    summary = Notification.objects.get(purpose="digest")
    assert summary.channel == piket and not Notification.objects.filter(channel=polsek).exists()
    assert "tidak ada peringatan terbuka" in summary.body
    assert "- 2 kejadian menunggu verifikasi, 1 lewat batas" in summary.body
    assert "- 1 laporan belum ditempatkan di kelurahan" in summary.body
    assert "entah" not in summary.body and "bansos" not in summary.body


@pytest.mark.django_db
def test_a_report_that_makes_an_incident_urgent_is_announced_once(piket, region, personas):
    first = _report(region, "Ketegangan antar pendukung paslon di lapangan Kepel", place="35.75.03.1002")
    assert first.incident.urgency < Urgency.HIGH
    assert not Notification.objects.filter(purpose="incident").exists()
    graver = "Ketegangan antar pendukung paslon di lapangan Kepel, ada yang membawa celurit, massa 80 orang"
    second = _report(region, graver, place="35.75.03.1002")
    assert second.incident_id == first.incident_id
    notice = Notification.objects.get(purpose="incident")
    assert notice.subject.startswith(f"[Kejadian #{first.incident_id}] Darurat")
    _report(region, graver + " (sumber ketiga)", place="35.75.03.1002")  # as urgent as it already was
    assert Notification.objects.filter(purpose="incident").count() == 1


@pytest.mark.django_db
def test_a_late_incident_someone_is_checking_reminds_them_alone(piket, region, personas):
    from sigap.triage.services import incident_claim

    analyst = personas["analyst"]
    incident = _report(region, weapons_seen=True).incident
    incident_claim(incident=incident, actor=analyst)
    after = incident.verification_due_at + timedelta(minutes=1)
    Notification.objects.all().delete()
    assert verifications_late(after) == 1  # the analyst has no channel of their own: the secretariat hears it
    assert Notification.objects.get(purpose="reminder").channel == piket
    piket.delete()  # (its rows with it) a new deadline's worth of channels: the analyst's own, the office's
    mine = Channel.objects.create(name="Budi", kind=ChannelKind.IN_APP, user=analyst)
    Channel.objects.create(
        name="Piket",
        kind=ChannelKind.EMAIL,
        config={"address": "piket@kesbangpol.test"},
        organisation=analyst.organisation,
    )
    assert verifications_late(after) == 1
    assert Notification.objects.get(purpose="reminder").channel == mine  # the office is not woken


@pytest.mark.django_db
def test_a_notice_that_events_overtook_is_not_sent(piket, region, smtp_server, personas, time_machine):
    """A notice waits (quiet hours, a retry, a worker that was down): "late, awaiting verification" is not sent for
    an incident a colleague verified meanwhile, and says why in the outbox; one still true goes."""
    time_machine.move_to("2020-12-10 09:00 +07:00", tick=False)
    verified = _report(region, weapons_seen=True).incident
    waiting = _report(region, "Warga protes pembagian bansos tidak merata", place="35.75.02.1003").incident
    Notification.objects.all().delete()
    night = max(verified.verification_due_at, waiting.verification_due_at).astimezone(WIB) + timedelta(days=1)
    night = night.replace(hour=23, minute=0)
    assert verifications_late(night) == 2  # the ordinary one waits for 06:00, the urgent one goes at once
    incident_verify(
        incident=verified, decision=IncidentStatus.VERIFIED, actor=personas["analyst"], reliability="B", credibility=2
    )
    time_machine.move_to(night + timedelta(hours=8), tick=False)
    assert deliver_due(limit=10) == 1
    (mail,) = smtp_server
    assert mail["Subject"] == f"[Terlambat] Kejadian #{waiting.pk} belum diverifikasi"
    dropped = Notification.objects.get(subject=f"[Terlambat] Kejadian #{verified.pk} belum diverifikasi")
    assert (dropped.status, dropped.dropped_because) == ("dropped", f"kejadian #{verified.pk} kini: terverifikasi")
    assert not dropped.delivery_attempts.exists()

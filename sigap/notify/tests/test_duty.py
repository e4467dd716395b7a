"""The secretariat's duty roster: the one on duty hears the secretariat's notices instead of every analyst, a
reminder the night's desk had is not sent again to the morning's, shifts are checked, handed over and called off
with the audit log, and the hand-over reaches the next shift's page."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sigap.accounts.models import User
from sigap.core.models import AuditLog
from sigap.core.roles import Role
from sigap.intake.choices import Channel as ReportChannel
from sigap.intake.choices import CrowdSize
from sigap.intake.services import ReportDraft, report_receive
from sigap.notify import duty
from sigap.notify.choices import ChannelKind, NotificationStatus
from sigap.notify.models import Channel, DutyShift, Notification
from sigap.notify.services import deliver, secretariat
from sigap.triage.services import verifications_late

WIB = ZoneInfo("Asia/Jakarta")
BUGUL_LOR = "35.75.04.1010"
CLASH = "Dua kelompok pendukung paslon bentrok di pasar, ada yang membawa celurit"
NIGHT = datetime(2020, 12, 8, 23, 0, tzinfo=WIB)


@pytest.fixture
def desk(db, personas, organisations, settings):
    """Two analysts and the administrator, each with a mailbox; Bakesbangpol's own duty address."""
    settings.SIGAP_QUIET_HOURS = (22, 6)
    second = User.objects.create_user("analyst2", password="x" * 12, role=Role.ANALYST, first_name="Sari")
    people = {"analyst": personas["analyst"], "analyst2": second, "admin": personas["admin"]}
    mailboxes = {
        name: Channel.objects.create(
            name=f"Surel {name}", kind=ChannelKind.EMAIL, config={"address": f"{name}@kesbangpol.test"}, user=user
        )
        for name, user in people.items()
    }
    mailboxes["bakesbangpol"] = Channel.objects.create(
        name="Surel piket",
        kind=ChannelKind.EMAIL,
        config={"address": "piket@kesbangpol.test"},
        organisation=organisations["kesbangpol"],
    )
    return people, mailboxes


def _told(purpose: str) -> set[str]:
    rows = Notification.objects.filter(purpose=purpose).select_related("channel")
    return {row.channel.name.removeprefix("Surel ") for row in rows}


def _urgent(region) -> None:
    draft = ReportDraft(
        channel=ReportChannel.WEB,
        region=region(BUGUL_LOR),
        description=CLASH,
        weapons_seen=True,
        crowd_size=CrowdSize.TENS,
    )
    report_receive(draft)


@pytest.mark.django_db
def test_an_urgent_report_at_night_wakes_the_one_on_duty_not_every_analyst(desk, region):
    people, _ = desk
    with time_machine.travel(NIGHT, tick=False):
        _urgent(region)
        assert _told("incident") == {"analyst", "analyst2", "admin", "piket"}  # no roster: everyone, as before
        Notification.objects.all().delete()
        duty.shift_add(
            user=people["analyst2"],
            starts_at=NIGHT - timedelta(hours=3),
            ends_at=NIGHT + timedelta(hours=9),
            actor=None,
        )
        assert _told("duty") == {"analyst2"}  # told of the shift the secretariat gave them
        report_receive(
            ReportDraft(
                channel=ReportChannel.WEB,
                region=region("35.75.01.1001"),
                description="Massa dari luar kota berkumpul membawa senjata tajam di depan kantor kelurahan",
                weapons_seen=True,
                crowd_size=CrowdSize.HUNDREDS,
            )
        )
        assert _told("incident") == {"analyst2", "piket"}
    # After the shift everyone hears again; an account stopped meanwhile is not on duty.
    assert {u.username for u in secretariat(NIGHT + timedelta(hours=10))[1]} == {"analyst", "analyst2", "admin"}
    people["analyst2"].is_active = False
    people["analyst2"].save()
    assert {u.username for u in secretariat(NIGHT)[1]} == {"analyst", "admin"}


@pytest.mark.django_db
def test_the_night_desk_hears_a_late_urgent_incident_and_the_morning_desk_the_ordinary_one_once(desk, region):
    people, _ = desk
    duty.shifts_add(
        user=people["analyst2"], spans=duty.spans_of(date(2020, 12, 8), time(20), time(6), 1), actor=None, now=NIGHT
    )
    duty.shifts_add(
        user=people["analyst"], spans=duty.spans_of(date(2020, 12, 9), time(6), time(18), 1), actor=None, now=NIGHT
    )
    with time_machine.travel(NIGHT - timedelta(days=8), tick=False):
        _urgent(region)
        report_receive(
            ReportDraft(
                channel=ReportChannel.WEB,
                region=region("35.75.02.1003"),
                description="Warga protes pembagian bansos tidak merata",
            )
        )
    Notification.objects.all().delete()
    with time_machine.travel(NIGHT, tick=False):
        assert verifications_late(NIGHT) > 0
    late = list(Notification.objects.filter(purpose="reminder", subject__contains="belum diverifikasi"))
    urgent = {r.channel.name for r in late if r.next_attempt_at == NIGHT}
    waiting = {r.channel.name for r in late if r.next_attempt_at > NIGHT}
    # The urgent one now, to the night's desk; the ordinary one waits for six o'clock and goes to whoever is on
    # duty then (the day shift), not to the night's desk that will have gone home.
    assert urgent == {"Surel analyst2", "Surel piket"}
    assert waiting == {"Surel analyst", "Surel piket"}
    # The next minutes and the morning's desk: the urgent reminder the night had is not sent again.
    before = len(late)
    morning = datetime(2020, 12, 9, 9, 0, tzinfo=WIB)
    with time_machine.travel(morning, tick=False):
        assert verifications_late(morning) == 0
    assert Notification.objects.filter(purpose="reminder").count() == before
    assert secretariat(morning)[1] == [people["analyst"]]


@pytest.mark.django_db
def test_shifts_are_checked_and_added_all_or_none(desk):
    people, _ = desk
    night = duty.spans_of(date(2020, 12, 8), time(20), time(8), 3)
    assert night[0] == (datetime(2020, 12, 8, 20, tzinfo=WIB), datetime(2020, 12, 9, 8, tzinfo=WIB))
    assert len(night) == 3 and night[2][0].date() == date(2020, 12, 10)
    duty.shifts_add(user=people["analyst"], spans=night[1:2], actor=people["admin"], now=NIGHT)
    with pytest.raises(duty.DutyError, match="sudah piket"):
        duty.shifts_add(user=people["analyst"], spans=night, actor=people["admin"], now=NIGHT)
    assert DutyShift.objects.count() == 1  # the first and third nights were not kept either
    long = (NIGHT + timedelta(days=5), NIGHT + timedelta(days=6, hours=1))
    past = (NIGHT - timedelta(days=2), NIGHT - timedelta(days=1, hours=23))
    for spans, why in (([long], "paling lama 24 jam"), ([past], "sudah lewat"), ([(long[1], long[0])], "berakhir")):
        with pytest.raises(duty.DutyError, match=why):
            duty.shifts_add(user=people["analyst2"], spans=spans, actor=people["admin"], now=NIGHT)
    responder = User.objects.get(username="responder")
    with pytest.raises(duty.DutyError, match="analis atau administrator"):
        duty.shifts_add(user=responder, spans=night[:1], actor=people["admin"], now=NIGHT)
    assert AuditLog.objects.filter(action="duty.shift_added").count() == 1


@pytest.mark.django_db
def test_a_shift_changes_hands_is_called_off_and_its_reminders_follow(desk, smtp_server):
    people, _ = desk
    start = NIGHT + timedelta(days=1)
    (shift,) = duty.shifts_add(
        user=people["analyst"], spans=[(start, start + timedelta(hours=9))], actor=people["admin"], now=NIGHT
    )
    (added,) = Notification.objects.filter(purpose="duty")
    assert added.channel.name == "Surel analyst" and "dijadwalkan piket" in added.subject
    assert duty.shifts_starting(start - timedelta(hours=2)) == 0
    assert duty.shifts_starting(start - timedelta(minutes=50)) == 1
    assert duty.shifts_starting(start - timedelta(minutes=49)) == 0  # once per shift and person
    reminder = Notification.objects.get(purpose="duty", subject__startswith="[Piket] Piket Anda mulai")
    with pytest.raises(duty.DutyError, match="alasan"):
        duty.shift_hand_to(shift=shift, to_user=people["analyst2"], actor=people["admin"], reason=" ", now=NIGHT)
    duty.shift_hand_to(shift=shift, to_user=people["analyst2"], actor=people["admin"], reason="sakit", now=NIGHT)
    handed = Notification.objects.filter(purpose="duty", subject__contains="beralih")
    assert {n.channel.name for n in handed} == {"Surel analyst", "Surel analyst2"}
    # The reminder for the one who no longer has the shift is not sent when its turn comes; the new one's is.
    assert deliver(reminder) is False
    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.DROPPED and "beralih" in reminder.dropped_because
    assert duty.shifts_starting(start - timedelta(minutes=30)) == 1
    back = NIGHT + timedelta(minutes=1)  # handed back: news again to both
    duty.shift_hand_to(shift=shift, to_user=people["analyst"], actor=people["admin"], reason="sudah sehat", now=back)
    assert Notification.objects.filter(purpose="duty", subject__contains="beralih").count() == 4
    duty.shift_cancel(shift=shift, actor=people["admin"], reason="posko ditutup malam itu", now=NIGHT)
    assert duty.on_duty(start + timedelta(hours=1)) == []
    fresh = Notification.objects.filter(purpose="duty", status=NotificationStatus.PENDING).order_by("-pk").first()
    assert deliver(fresh) is False and "dibatalkan" in Notification.objects.get(pk=fresh.pk).dropped_because
    with pytest.raises(duty.DutyError):
        duty.shift_cancel(shift=shift, actor=people["admin"], reason="lagi", now=NIGHT)
    actions = set(AuditLog.objects.filter(action__startswith="duty.").values_list("action", flat=True))
    assert actions == {"duty.shift_added", "duty.shift_handed", "duty.shift_cancelled"}


@pytest.mark.django_db
def test_the_hand_over_is_written_by_the_one_on_duty_and_read_by_the_next(desk, region, client, settings):
    settings.LANGUAGE_CODE = "id"
    people, _ = desk
    evening = datetime(2020, 12, 8, 20, 0, tzinfo=WIB)
    with time_machine.travel(evening - timedelta(hours=1), tick=False):
        (night,) = duty.shifts_add(
            user=people["analyst2"], spans=[(evening, evening + timedelta(hours=12))], actor=people["admin"]
        )
        (day,) = duty.shifts_add(
            user=people["analyst"],
            spans=[(evening + timedelta(hours=12), evening + timedelta(hours=24))],
            actor=people["admin"],
        )
    with time_machine.travel(evening + timedelta(hours=2), tick=False):
        _urgent(region)
    with time_machine.travel(evening + timedelta(hours=2, minutes=5), tick=False):
        client.force_login(people["analyst"])  # not theirs: they may not write its hand-over
        page = client.post(reverse("notify:duty_shift", args=[night.pk]), {"action": "handover", "note": "x"})
        assert page.status_code == 403
        client.force_login(people["analyst2"])
        home = client.get(reverse("home:home")).content.decode()
        assert "Anda piket sampai" in home
        page = client.get(reverse("notify:duty_shift", args=[night.pk])).content.decode()
        assert "laporan diterima" in page and "<strong>1</strong> laporan diterima" in page
        empty = client.post(reverse("notify:duty_shift", args=[night.pk]), {"action": "handover", "note": " "})
        assert empty.status_code == 200 and DutyShift.objects.get(pk=night.pk).handover_at is None
        written = "Bentrok di pasar Bugul Lor belum diverifikasi; Polsek sudah di lokasi."
        saved = client.post(reverse("notify:duty_shift", args=[night.pk]), {"action": "handover", "note": written})
        assert saved.status_code == 302
    with time_machine.travel(evening + timedelta(hours=13), tick=False):
        client.force_login(people["analyst"])
        page = client.get(reverse("notify:duty_shift", args=[day.pk])).content.decode()
        assert "Diterima dari piket sebelumnya" in page and "Polsek sudah di lokasi" in page
        roster = client.get(reverse("notify:duty")).content.decode()
        assert "Sedang piket" in roster and people["analyst"].first_name in roster
        # A Polsek's responder reads who is on duty, not the secretariat's words about the city's incidents.
        client.force_login(User.objects.get(username="responder"))
        assert "Polsek sudah di lokasi" not in client.get(reverse("notify:duty_shift", args=[day.pk])).content.decode()
        assert (
            "Polsek sudah di lokasi" not in client.get(reverse("notify:duty_shift", args=[night.pk])).content.decode()
        )
        assert "Polsek sudah di lokasi" not in client.get(reverse("notify:duty")).content.decode()
        client.force_login(User.objects.get(username="leadership"))
        assert "Polsek sudah di lokasi" in client.get(reverse("notify:duty")).content.decode()
        home = client.get(reverse("home:home")).content.decode()  # whom to call at the posko
        assert "Sedang piket:" in home and people["analyst"].first_name in home
        refused = client.post(
            reverse("notify:duty"),
            {"user": people["analyst"].pk, "day": "2020-12-10", "starts": "08:00", "ends": "20:00", "days": 1},
        )
        assert refused.status_code == 403
    assert AuditLog.objects.filter(action="duty.handover", actor=people["analyst2"]).exists()


@pytest.mark.django_db
def test_the_roster_page_adds_a_week_of_night_shifts_and_shows_the_nights_nobody_took(desk, client, settings):
    settings.LANGUAGE_CODE = "id"
    people, _ = desk
    client.force_login(people["admin"])
    with time_machine.travel(datetime(2020, 12, 7, 9, 0, tzinfo=WIB), tick=False):
        form = {"user": people["analyst2"].pk, "day": "2020-12-07", "starts": "20:00", "ends": "08:00", "days": 3}
        assert client.post(reverse("notify:duty"), form).status_code == 302
        again = client.post(reverse("notify:duty"), form).content.decode()
        assert "Tidak tersimpan" in again and "sudah piket" in again
        assert DutyShift.objects.count() == 3
        day = {"user": people["analyst"].pk, "day": "2020-12-08", "starts": "08:00", "ends": "20:00", "days": 1}
        client.post(reverse("notify:duty"), day)
        roster = client.get(reverse("notify:duty")).content.decode()
    assert "Tidak ada yang piket" in roster
    gaps = duty.gaps(datetime(2020, 12, 7, 9, 0, tzinfo=WIB), datetime(2020, 12, 14, 9, 0, tzinfo=WIB))
    # Before the first night, and the day of the 9th between two nights; after the last shift nothing is counted.
    assert gaps == [
        (datetime(2020, 12, 7, 9, 0, tzinfo=WIB), datetime(2020, 12, 7, 20, 0, tzinfo=WIB)),
        (datetime(2020, 12, 9, 8, 0, tzinfo=WIB), datetime(2020, 12, 9, 20, 0, tzinfo=WIB)),
    ]


@pytest.mark.django_db
def test_the_one_on_duty_is_asked_for_the_hand_over_and_the_morning_summary_lists_the_roster(desk, organisations):
    from sigap.notify.services import digests_due

    people, _ = desk
    evening = datetime(2020, 12, 8, 20, 0, tzinfo=WIB)
    (night,) = duty.shifts_add(
        user=people["analyst2"], spans=[(evening, evening + timedelta(hours=10))], actor=None, now=evening
    )
    duty.shifts_add(
        user=people["analyst"], spans=duty.spans_of(date(2020, 12, 9), time(8), time(20), 1), actor=None, now=evening
    )
    end = night.ends_at
    assert duty.shifts_ending(end - timedelta(minutes=31)) == 0
    assert duty.shifts_ending(end - timedelta(minutes=29)) == 1
    assert duty.shifts_ending(end - timedelta(minutes=20)) == 0  # once
    ask = Notification.objects.get(purpose="duty", subject__contains="tulis serah terima")
    assert ask.channel.name == "Surel analyst2" and f"/piket/{night.pk}/" in ask.body
    duty.handover_record(shift=night, actor=people["analyst2"], note="Tenang.", now=end - timedelta(minutes=15))
    assert deliver(ask) is False and "sudah ditulis" in Notification.objects.get(pk=ask.pk).dropped_because
    # The morning summary (Bakesbangpol's) names who is on duty in the next 24 hours and the hours nobody took.
    with time_machine.travel(datetime(2020, 12, 9, 7, 5, tzinfo=WIB), tick=False):
        assert digests_due() == 1
    summary = Notification.objects.get(purpose="digest").body
    assert "Piket sekretariat 24 jam ke depan:" in summary
    assert "- Analyst: 09-12-2020 08.00 s.d. 20.00" in summary and "Sari" not in summary  # her night is over
    assert "- belum ada yang piket: 09-12-2020 07.05 s.d. 09-12-2020 08.00" in summary
    assert "- belum ada yang piket: 09-12-2020 20.00 s.d. 10-12-2020 07.05" not in summary  # after the last shift

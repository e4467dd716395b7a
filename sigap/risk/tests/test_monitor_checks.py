"""Field monitors' checklists (pantauan kondisi wilayah): a trusted reporter ticks the warning signs they see and the
peace signs beside them, before anything has happened; the signs of each monitor's latest checklist of the last
fortnight weigh in the kelurahan's level (indicator-based monitoring beside the incidents, as CEWARN's field monitors
file situation briefs)."""

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from sigap.accounts.models import User
from sigap.core.models import AuditLog
from sigap.core.roles import Role
from sigap.intake.models import MonitorCheck, Report
from sigap.intake.services import MonitorCheckRefused, MonitorNotAllowed, monitor_check_send
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification
from sigap.notify.services import periodic_due
from sigap.risk.models import AreaRisk
from sigap.risk.network import network_of
from sigap.risk.services import risk_recompute
from sigap.risk.tests.factories import BUGUL_LOR, CITY, DAY, WIB, at
from sigap.risk.words import drivers_text

NOTE = "Ada kabar massa dari luar kota akan datang ke posko paslon 01 malam ini."


@pytest.fixture
def on_day():
    with time_machine.travel(datetime.combine(DAY, datetime.min.time(), tzinfo=WIB) + timedelta(hours=9), tick=False):
        yield


def _risk(day=DAY) -> AreaRisk:
    return AreaRisk.objects.get(region__code=BUGUL_LOR, day=day)


def _monitor(risk: AreaRisk) -> dict[str, Any] | None:
    return next((d for d in risk.drivers if d["code"] == "monitor"), None)


def _second_monitor(region) -> User:
    return User.objects.create(
        username="babinsa_buguL", role=Role.TRUSTED_REPORTER, area=region(BUGUL_LOR), title="Babinsa Bugul Lor"
    )


@pytest.mark.django_db
def test_a_trusted_reporter_ticks_the_checklist_and_the_level_follows(
    on_day, client, region, personas, django_capture_on_commit_callbacks
):
    risk_recompute(region(CITY), DAY, DAY)
    calm = _risk()
    assert _monitor(calm) is None
    reporter = personas["trusted_reporter"]
    client.force_login(reporter)
    home = client.get(reverse("home:home")).content.decode()
    assert 'href="/laporan/pantauan/"' in home

    form = client.get(reverse("intake:monitor_check")).content.decode()
    assert "Daftar periksa wilayah: Bugul Lor" in form and 'value="weapons"' in form and 'value="dialogue"' in form
    ticked = {"signs": ["mobilisation", "provocation", "weapons", "tension"], "peace": ["dialogue"], "note": NOTE}
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("intake:monitor_check"), ticked, follow=True).content.decode()
    assert "daftar periksa untuk Bugul Lor tercatat, dengan 4 tanda kerawanan" in sent
    check = MonitorCheck.objects.get()
    assert (check.region.code, check.day, check.note) == (BUGUL_LOR, DAY, NOTE)
    assert check.signs == ["mobilisation", "provocation", "weapons", "tension"] and check.peace == ["dialogue"]
    assert not Report.objects.exists()  # a tick is not a report: nothing to triage

    lifted = _risk()
    assert lifted.score == pytest.approx(calm.score + 10 * 4 / 6, abs=0.06)
    assert _monitor(lifted) == {
        "code": "monitor",
        "points": pytest.approx(10 * 4 / 6),
        "signs": 4,
        "reporters": 1,
        "days": 14,
    }
    with translation.override("id"):
        assert "4 tanda kerawanan dalam daftar periksa pemantau lapangan (1 pemantau, 14 hari terakhir)" in (
            drivers_text(lifted.drivers)
        )
    sent_row = AuditLog.objects.get(action="monitor.check_sent")
    assert sent_row.details == {"signs": check.signs, "peace": ["dialogue"], "via": "web"}

    # Sent again the same day, nothing ticked: it replaces the first, and the level falls back.
    again = client.get(reverse("intake:monitor_check")).content.decode()
    assert "Anda sudah mengirim daftar periksa hari ini pukul 09:00" in again
    assert 'value="weapons" id="id_signs_3" checked' in again.replace('checked=""', "checked")  # today's answers
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:monitor_check"), {"note": ""})
    assert MonitorCheck.objects.get().signs == [] and AuditLog.objects.filter(action="monitor.check_replaced").exists()
    assert _monitor(_risk()) is None and _risk().score == calm.score


@pytest.mark.django_db
def test_the_latest_checklist_of_each_monitor_weighs_for_a_fortnight(region, personas):
    first, second = personas["trusted_reporter"], _second_monitor(region)
    monitor_check_send(user=first, signs=["weapons"], peace=[], at=at(DAY - timedelta(days=20)))  # too old
    monitor_check_send(user=first, signs=["mobilisation"], peace=[], at=at(DAY - timedelta(days=10)))
    monitor_check_send(user=second, signs=["money_politics", "mobilisation"], peace=[], at=at(DAY - timedelta(days=3)))
    city = region(CITY)
    risk_recompute(city, DAY, DAY)
    assert _monitor(_risk()) | {"points": 0} == {"code": "monitor", "points": 0, "signs": 2, "reporters": 2, "days": 14}

    # The first monitor sees it pass: their latest checklist has nothing, the second's still weighs.
    monitor_check_send(user=first, signs=[], peace=["leaders_calm"], at=at(DAY - timedelta(days=1)))
    risk_recompute(city, DAY, DAY + timedelta(days=12))
    assert (_monitor(_risk())["signs"], _monitor(_risk())["reporters"]) == (2, 1)
    # Fourteen days after the second's checklist it weighs no more; the days between keep it.
    assert _monitor(_risk(DAY + timedelta(days=10))) is not None
    assert _monitor(_risk(DAY + timedelta(days=11))) is None


@pytest.mark.django_db
def test_what_a_checklist_refuses(on_day, client, region, personas):
    reporter = personas["trusted_reporter"]
    client.force_login(reporter)
    url = reverse("intake:monitor_check")
    crafted = client.post(url, {"signs": ["mobilisation", "riot_tomorrow"]})
    assert crafted.status_code == 200 and "Daftar periksa tidak terkirim" in crafted.content.decode()
    too_long = client.post(url, {"signs": ["mobilisation"], "note": "x" * 2001})
    assert too_long.status_code == 200 and "Daftar periksa tidak terkirim" in too_long.content.decode()
    assert not MonitorCheck.objects.exists()
    with pytest.raises(MonitorCheckRefused, match="riot_tomorrow"):
        monitor_check_send(user=reporter, signs=["riot_tomorrow"], peace=[])

    for who in ("responder", "analyst"):  # staff read the checklists; monitors write them
        client.force_login(personas[who])
        assert client.get(url).status_code == 403 and client.post(url, {}).status_code == 403
    elsewhere = User.objects.create(username="tokoh_tanpa_wilayah", role=Role.TRUSTED_REPORTER)
    client.force_login(elsewhere)
    assert client.get(url).status_code == 403
    with pytest.raises(MonitorNotAllowed):
        monitor_check_send(user=elsewhere, signs=[], peace=[])
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_staff_read_which_signs_and_the_public_reads_only_how_many(
    on_day, client, region, personas, django_capture_on_commit_callbacks
):
    second = _second_monitor(region)
    monitor_check_send(user=second, signs=["weapons"], peace=[], at=at(DAY - timedelta(days=20)))  # older than 14 days
    with django_capture_on_commit_callbacks(execute=True):
        monitor_check_send(user=personas["trusted_reporter"], signs=["weapons", "money_politics"], peace=[], note=NOTE)
    client.force_login(personas["leadership"])
    page = client.get(f"/kerawanan/{BUGUL_LOR}/").content.decode()
    assert "Daftar periksa pemantau lapangan" in page and NOTE in page
    assert "Senjata tajam atau benda berbahaya terlihat" in page and "Babinsa Bugul Lor" in page
    assert page.count("berlaku sekarang") == 1  # the second monitor's is older than a fortnight
    assert "2 tanda kerawanan dalam daftar periksa pemantau lapangan" in page

    client.logout()
    public = client.get("/api/v1/risk", {"parent": CITY}).json()
    row = next(r for r in public if r["region_code"] == BUGUL_LOR)
    assert any("2 tanda kerawanan" in d for d in row["drivers"])
    assert "weapons" not in str(public) and "Senjata" not in str(public) and "paslon" not in str(public)


@pytest.mark.django_db
def test_a_checklist_is_heard_from_the_reporter(region, personas):
    reporter = personas["trusted_reporter"]
    NotifyChannel.objects.create(name="Kotak masuk", kind="in_app", user=reporter, config={})
    User.objects.filter(pk=reporter.pk).update(date_joined=at(DAY) - timedelta(days=60))
    check = monitor_check_send(user=reporter, signs=[], peace=["night_watch"], at=at(DAY) - timedelta(days=6))
    row = network_of(region(BUGUL_LOR), at(DAY))
    assert row.heard_recently and row.last_check_at == check.at and row.last_nil_at is None
    periodic_due(at(DAY, 19) + timedelta(days=1))  # seven days after the checklist: asked
    periodic_due(at(DAY, 19))  # six days: not yet (the key is per silence, so the order does not matter)
    asked = Notification.objects.filter(subject__startswith="Ada kabar dari")
    assert asked.count() == 1 and "Sudah 7 hari" in asked.get().body


@pytest.mark.django_db
def test_a_responder_reads_the_checklists_of_their_own_area_only(on_day, client, region, personas):
    kandangsapi = "35.75.01.1001"  # Kecamatan Gadingrejo: outside the responder's Panggungrejo
    there = User.objects.create(username="tokoh_kandangsapi", role=Role.TRUSTED_REPORTER, area=region(kandangsapi))
    monitor_check_send(user=there, signs=["hardship"], peace=[], note="Bansos dibagi tidak merata di RW 03.")
    monitor_check_send(user=personas["trusted_reporter"], signs=["tension"], peace=[], note=NOTE)
    client.force_login(personas["responder"])
    assert NOTE in client.get(f"/kerawanan/{BUGUL_LOR}/").content.decode()
    elsewhere = client.get(f"/kerawanan/{kandangsapi}/").content.decode()
    assert "Bansos dibagi" not in elsewhere and "Belum ada daftar periksa" in elsewhere
    client.force_login(personas["analyst"])
    assert "Bansos dibagi" in client.get(f"/kerawanan/{kandangsapi}/").content.decode()


@pytest.mark.django_db
def test_a_newly_ticked_sign_of_violence_is_told_to_the_secretariat_at_once(
    region, personas, django_capture_on_commit_callbacks
):
    NotifyChannel.objects.create(name="Kotak masuk", kind="in_app", user=personas["analyst"], config={})
    reporter = personas["trusted_reporter"]

    def send(signs: list[str], day_offset: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            monitor_check_send(
                user=reporter, signs=signs, peace=[], note=NOTE, at=at(DAY, 2) + timedelta(days=day_offset)
            )

    def told() -> list[Notification]:
        return list(Notification.objects.filter(subject__startswith="[Pantauan]").order_by("pk"))

    send(["tension"], 0)  # not a sign of violence being prepared: the level hears it, nobody is woken
    assert told() == []
    send(["weapons", "tension"], 0)  # the same day, now with a weapon: at once, at 2 a.m. too
    first = told()
    assert [n.subject for n in first] == ["[Pantauan] Bugul Lor: senjata tajam atau benda berbahaya terlihat"]
    assert first[0].next_attempt_at == at(DAY, 2) and first[0].channel.user == personas["analyst"]
    assert "Pemantau lapangan di Bugul Lor (Kecamatan Panggungrejo) mencentang" in first[0].body
    assert "/kerawanan/35.75.04.1010/#checks" in first[0].body
    assert NOTE not in first[0].body and reporter.username not in first[0].body  # it leaves Sigap by SMS or e-mail
    send(["weapons", "tension"], 0)  # sent again as it was: not again
    send(["weapons"], 1)  # still seen the next day: already told
    assert len(told()) == 1
    send(["weapons", "outsiders"], 2)  # a new one: told of it alone
    assert [n.subject for n in told()][1] == "[Pantauan] Bugul Lor: kedatangan kelompok dari luar wilayah"


@pytest.mark.django_db
def test_the_analysts_read_the_citys_checklists_of_the_fortnight_in_one_list(on_day, client, region, personas):
    kandangsapi = "35.75.01.1001"  # outside the responder's Panggungrejo
    there = User.objects.create(username="tokoh_kandangsapi", role=Role.TRUSTED_REPORTER, area=region(kandangsapi))
    monitor_check_send(
        user=there, signs=["hardship"], peace=[], note="Bansos dibagi tidak merata di RW 03.", at=at(DAY, 8)
    )
    reporter = personas["trusted_reporter"]
    monitor_check_send(user=reporter, signs=["tension"], peace=[], at=at(DAY - timedelta(days=20)))  # too old
    monitor_check_send(user=reporter, signs=["tension"], peace=[], at=at(DAY - timedelta(days=3)))  # replaced
    monitor_check_send(user=reporter, signs=["weapons", "tension"], peace=["dialogue"], note=NOTE)
    client.force_login(personas["analyst"])
    page = client.get(reverse("risk:checks")).content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert rows.count("<tr") == 3  # two of Bugul Lor's within the fortnight, Kandangsapi's
    assert rows.index(NOTE) < rows.index("Bansos dibagi")  # latest first (today's at 09.00, then 08.00)
    assert "<strong>Senjata tajam atau benda berbahaya terlihat</strong>" in rows  # a sign of violence, in bold
    assert rows.count("berlaku sekarang") == 2  # Bugul Lor's earlier one is replaced by today's
    assert "Tanda kerawanan sedang berlaku di 2 kelurahan; tanda kekerasan yang sedang disiapkan di 1." in page
    assert f'href="/kerawanan/{BUGUL_LOR}/#checks"' in rows

    client.force_login(personas["responder"])  # within their kecamatan only
    page = client.get(reverse("risk:checks")).content.decode()
    assert NOTE in page and "Bansos dibagi" not in page
    client.force_login(reporter)
    assert client.get(reverse("risk:checks")).status_code == 403

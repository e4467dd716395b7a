"""An analyst's level: a kelurahan set at least at Waspada, Siaga or Awas for a while, with the reason, when the team
knows more than the incidents show. The level shown is the higher of the engine's and the analyst's."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from sigap.alerts.choices import AlertKind
from sigap.alerts.models import Alert
from sigap.core.models import AuditLog
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification
from sigap.notify.services import periodic_due
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaRisk, LevelFloor
from sigap.risk.services import LevelFloorError, level_floor_set, level_floor_withdraw, risk_recompute
from sigap.risk.tests.factories import BUGUL_LOR, CITY, DAY, WIB, quiet_history, verified
from sigap.risk.words import drivers_text

REASON = "Informasi Kominda: massa pendukung berencana mengawal rekapitulasi di PPK Panggungrejo."


@pytest.fixture
def on_day():
    """Sigap's clock on DAY at 09.00: the analyst's level starts today."""
    with time_machine.travel(datetime.combine(DAY, datetime.min.time(), tzinfo=WIB) + timedelta(hours=9), tick=False):
        yield


def _level(code: str = BUGUL_LOR, day=DAY) -> AreaRisk:
    return AreaRisk.objects.get(region__code=code, day=day)


@pytest.mark.django_db
def test_the_analysts_level_lifts_the_map_and_raises_an_alert_at_once(
    on_day, region, personas, django_capture_on_commit_callbacks
):
    city = region(CITY)
    risk_recompute(city, DAY - timedelta(days=1), DAY)
    engine = _level()
    assert engine.level == RiskLevel.AMAN

    with django_capture_on_commit_callbacks(execute=True):
        floor = level_floor_set(
            region=region(BUGUL_LOR),
            level=RiskLevel.SIAGA,
            ends_on=DAY + timedelta(days=5),
            reason=REASON,
            actor=personas["analyst"],
        )
    lifted = _level()
    assert (lifted.level, lifted.score) == (RiskLevel.SIAGA, engine.score)  # the score stays the engine's
    assert lifted.drivers[0] == {"code": "analyst", "points": 0.0, "level": 2, "until": "2020-12-14"}
    with translation.override("id"):
        assert drivers_text(lifted.drivers)[0] == "ditetapkan Siaga oleh analis tim sampai 14 Des 2020"
    alert = Alert.objects.get(regions__code=BUGUL_LOR)
    # The analyst's alert, not the engine's: the dashboard's measure of the engine's alerts leaves it out.
    assert alert.kind == AlertKind.MANUAL and alert.level == RiskLevel.SIAGA
    assert alert.events.get(verb="triggered").actor == personas["analyst"]
    assert "ditetapkan Siaga oleh analis tim sampai 14 Des 2020" in alert.reasons[0]
    audit = AuditLog.objects.get(action="risk.level_set")
    assert audit.details == {"region": BUGUL_LOR, "level": 2, "until": "2020-12-14", "reason": REASON}
    assert floor.starts_on == DAY

    # A recompute, today or later, gives the same answer; after the end the engine's level is back.
    risk_recompute(city, DAY, DAY + timedelta(days=6))
    assert [_level(day=DAY + timedelta(days=n)).level for n in range(7)] == [RiskLevel.SIAGA] * 6 + [RiskLevel.AMAN]


@pytest.mark.django_db
def test_a_level_below_the_engines_changes_nothing(on_day, region, personas):
    city = region(CITY)
    kelurahan = list(Region.objects.under(CITY).filter(level=Level.DESA_KELURAHAN))
    quiet_history(kelurahan, DAY - timedelta(days=30))
    for days_ago in range(4):
        verified(region(BUGUL_LOR), DAY - timedelta(days=days_ago))
    risk_recompute(city, DAY, DAY)
    engine = _level()
    assert engine.level > RiskLevel.WASPADA  # four clashes in four days where one a month is usual

    level_floor_set(
        region=region(BUGUL_LOR), level=RiskLevel.WASPADA, ends_on=DAY, reason=REASON, actor=personas["analyst"]
    )
    risk_recompute(city, DAY, DAY)
    again = _level()
    assert (again.level, again.score, again.drivers) == (engine.level, engine.score, engine.drivers)


@pytest.mark.django_db
def test_withdrawn_early_it_ends_the_day_before_and_the_past_keeps_it(
    on_day, region, personas, django_capture_on_commit_callbacks
):
    city = region(CITY)
    with django_capture_on_commit_callbacks(execute=True):
        floor = level_floor_set(
            region=region(BUGUL_LOR),
            level=RiskLevel.AWAS,
            ends_on=DAY + timedelta(days=10),
            reason=REASON,
            actor=personas["analyst"],
        )
    later = datetime.combine(DAY + timedelta(days=3), datetime.min.time(), tzinfo=WIB) + timedelta(hours=10)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        level_floor_withdraw(floor=floor, actor=personas["analyst"], reason="Rekapitulasi selesai dengan damai.")
        with pytest.raises(LevelFloorError, match="sudah tidak berlaku"):
            level_floor_withdraw(floor=floor, actor=personas["analyst"], reason="lagi")
    floor.refresh_from_db()
    assert floor.ends_on == DAY + timedelta(days=2) and floor.withdrawn_by == personas["analyst"]
    assert _level(day=DAY + timedelta(days=3)).level == RiskLevel.AMAN
    risk_recompute(city, DAY, DAY + timedelta(days=3))
    assert [_level(day=DAY + timedelta(days=n)).level for n in range(4)] == [RiskLevel.AWAS] * 3 + [RiskLevel.AMAN]
    assert AuditLog.objects.filter(action="risk.level_withdrawn").count() == 1


@pytest.mark.django_db
def test_setting_again_replaces_the_one_in_force(on_day, region, personas):
    first = level_floor_set(
        region=region(BUGUL_LOR), level=RiskLevel.AWAS, ends_on=DAY, reason=REASON, actor=personas["analyst"]
    )
    second = level_floor_set(
        region=region(BUGUL_LOR), level=RiskLevel.WASPADA, ends_on=DAY, reason="Turun", actor=personas["analyst"]
    )
    first.refresh_from_db()
    assert first.withdrawn_reason == "diganti penilaian baru" and first.ends_on < first.starts_on
    assert list(LevelFloor.objects.filter(ends_on__gte=DAY)) == [second]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "days", "reason", "message"),
    [
        (RiskLevel.AMAN, 3, REASON, "Pilih Waspada, Siaga, atau Awas"),
        (RiskLevel.SIAGA, -1, REASON, "antara hari ini dan 30 hari"),
        (RiskLevel.SIAGA, 31, REASON, "antara hari ini dan 30 hari"),
        (RiskLevel.SIAGA, 3, "   ", "Tuliskan alasannya"),
    ],
)
def test_what_an_analyst_cannot_set(on_day, region, personas, level, days, reason, message):
    with pytest.raises(LevelFloorError, match=message):
        level_floor_set(
            region=region(BUGUL_LOR),
            level=level,
            ends_on=DAY + timedelta(days=days),
            reason=reason,
            actor=personas["analyst"],
        )
    assert not LevelFloor.objects.exists()


@pytest.mark.django_db
def test_the_page_shows_the_reason_to_staff_and_the_public_reads_only_the_level(
    on_day, client, region, personas, django_capture_on_commit_callbacks
):
    risk_recompute(region(CITY), DAY, DAY)
    client.force_login(personas["analyst"])
    page = client.get(f"/kerawanan/{BUGUL_LOR}/").content.decode()
    assert "Penilaian analis" in page and 'action="/kerawanan/35.75.04.1010/tingkat/"' in page

    form = {"level": RiskLevel.SIAGA, "ends_on": "2020-12-12", "reason": REASON}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/kerawanan/{BUGUL_LOR}/tingkat/", form)
    page = client.get(response["Location"]).content.decode()
    assert "Bugul Lor setidaknya Siaga sampai 12 Des 2020" in page
    assert "Setidaknya <strong>Siaga</strong> sampai 12 Desember 2020, ditetapkan oleh" in page and REASON in page
    assert "ditetapkan Siaga oleh analis tim sampai 12 Des 2020" in page  # among the reasons of the level

    refused = client.post(f"/kerawanan/{BUGUL_LOR}/tingkat/", form | {"ends_on": "2021-03-01"}, follow=True)
    assert "Tingkat tidak ditetapkan: Akhirnya harus antara hari ini dan 30 hari" in refused.content.decode()

    client.force_login(personas["leadership"])  # reads the reason, cannot set or withdraw
    page = client.get(f"/kerawanan/{BUGUL_LOR}/").content.decode()
    assert REASON in page and "/tingkat/" not in page
    assert client.post(f"/kerawanan/{BUGUL_LOR}/tingkat/", form).status_code == 403

    client.logout()
    public = client.get("/api/v1/risk", {"parent": CITY}).json()
    row = next(r for r in public if r["region_code"] == BUGUL_LOR)
    assert row["level"] == "siaga" and row["drivers"][0] == "ditetapkan Siaga oleh analis tim sampai 12 Des 2020"
    assert "Kominda" not in str(public) and "Budi" not in str(public)

    client.force_login(personas["analyst"])
    floor = LevelFloor.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/kerawanan/{BUGUL_LOR}/tingkat/{floor.pk}/cabut/", {"reason": "Sudah reda."})
    assert _level().level == RiskLevel.AMAN


@pytest.mark.django_db
def test_whoever_set_it_hears_on_its_last_day_that_it_ends_tonight(on_day, region, personas):
    NotifyChannel.objects.create(name="Aplikasi", kind="in_app", user=personas["analyst"])
    floor = level_floor_set(
        region=region(BUGUL_LOR),
        level=RiskLevel.SIAGA,
        ends_on=DAY + timedelta(days=2),
        reason=REASON,
        actor=personas["analyst"],
    )

    def told():
        return list(
            Notification.objects.filter(subject__startswith="Penilaian analis berakhir").values_list("subject", "body")
        )

    last_day = datetime.combine(floor.ends_on, datetime.min.time(), tzinfo=WIB)
    periodic_due(last_day - timedelta(days=1) + timedelta(hours=12))  # the day before: nothing yet
    periodic_due(last_day + timedelta(hours=5))  # its last day, before the digest hour
    assert told() == []
    periodic_due(last_day + timedelta(hours=12))
    periodic_due(last_day + timedelta(hours=14))  # once
    [(subject, body)] = told()
    assert subject == "Penilaian analis berakhir hari ini: Bugul Lor (Siaga)"
    assert "Bila keadaan masih menuntutnya, tetapkan ulang" in body and f"/kerawanan/{BUGUL_LOR}/" in body

    LevelFloor.objects.update(ends_on=floor.ends_on + timedelta(days=1), withdrawn_at=last_day)
    periodic_due(last_day + timedelta(days=1, hours=12))  # withdrawn: nobody is told again
    assert len(told()) == 1

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sigap.core.grading import Credibility, Reliability
from sigap.core.models import AuditLog
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaRisk
from sigap.risk.services import risk_recompute
from sigap.risk.tests.factories import BUGUL_LOR, CITY, DAY, at, quiet_history, verified
from sigap.risk.words import drivers_text
from sigap.triage.choices import IncidentStatus
from sigap.triage.services import incident_verify


@pytest.fixture
def city(region):
    return region(CITY)


@pytest.fixture
def kelurahan(db):
    return list(Region.objects.under(CITY).filter(level=Level.DESA_KELURAHAN).order_by("code"))


def _row(code, day=DAY):
    row = AreaRisk.objects.get(region__code=code, day=day)
    return (row.score, row.level, row.drivers, row.p_value, row.expected, row.recent)


@pytest.mark.django_db
def test_verifying_an_incident_assesses_its_kelurahan_as_a_full_recompute_would(
    region, city, kelurahan, personas, django_capture_on_commit_callbacks
):
    quiet_history(kelurahan, DAY - timedelta(days=30))
    bugul_lor = region(BUGUL_LOR)
    for days_ago in (3, 2, 1):
        verified(bugul_lor, DAY - timedelta(days=days_ago))
    report, _ = report_receive(
        ReportDraft(
            channel=Channel.WEB,
            description="Bentrok pendukung paslon di pasar Bugul Lor, saling lempar batu",
            region=bugul_lor,
            received_at=at(DAY, 9),
            occurred_at=at(DAY, 8),
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        incident_verify(
            incident=report.incident,
            decision=IncidentStatus.VERIFIED,
            actor=personas["analyst"],
            reliability=Reliability.B,
            credibility=Credibility.PROBABLY_TRUE,
            at=at(DAY, 11),
        )
    incremental = _row(BUGUL_LOR)
    assert AreaRisk.objects.filter(day=DAY).count() == 34
    assert incremental[1] >= RiskLevel.SIAGA
    recent = incremental[2][0]
    assert recent["code"] == "recent" and recent["count"] == 4 and recent["unusual"] is True
    AreaRisk.objects.all().delete()
    risk_recompute(city, DAY, DAY)
    assert _row(BUGUL_LOR) == incremental
    # A recompute over a range that holds the day, made later, gives the same assessment of that day.
    AreaRisk.objects.all().delete()
    risk_recompute(city, DAY - timedelta(days=9), DAY + timedelta(days=6))
    assert _row(BUGUL_LOR) == incremental


@pytest.mark.django_db
def test_reasons_read_as_words_in_bahasa_and_english(region, city, kelurahan):
    quiet_history(kelurahan, DAY - timedelta(days=10))
    for days_ago in (4, 3, 2, 1, 0):
        verified(region(BUGUL_LOR), DAY - timedelta(days=days_ago))
    risk_recompute(city, DAY, DAY)
    drivers = AreaRisk.objects.get(region__code=BUGUL_LOR, day=DAY).drivers
    with translation.override("id"):
        words = drivers_text(drivers)
    assert words[0].startswith("5 kejadian terverifikasi dalam 7 hari (5 bentrok antarpendukung)")
    assert "dari biasanya" in words[0] and "lonjakan tidak biasa" in words[0]
    with translation.override("en"):
        assert drivers_text(drivers)[0].startswith("5 verified incidents in 7 days (5 clash between supporters)")


@pytest.mark.django_db
def test_a_quiet_city_is_aman(city, kelurahan):
    quiet_history(kelurahan, DAY)
    risk_recompute(city, DAY - timedelta(days=2), DAY)
    assert AreaRisk.objects.count() == 3 * 34
    assert set(AreaRisk.objects.values_list("level", flat=True)) == {RiskLevel.AMAN}


@pytest.mark.django_db
def test_recompute_command(city, kelurahan):
    call_command("risk", "recompute", "--as-of", "2020-12-09", "--days", "3", "--quiet")
    assert AreaRisk.objects.filter(day__gte="2020-12-07", day__lte="2020-12-09").count() == 3 * 34
    with pytest.raises(CommandError, match="date like"):
        call_command("risk", "recompute", "--as-of", "9 Des", "--quiet")
    with pytest.raises(CommandError, match="not a loaded kabupaten/kota"):
        call_command("risk", "recompute", "--region", "35.99", "--quiet")


@pytest.mark.django_db
def test_analyst_updates_indicators_audited_and_counted(client, personas, city, kelurahan):
    risk_recompute(city, DAY, DAY)
    client.force_login(personas["analyst"])
    form = {
        "conflict_history": 3,
        "election_vulnerability": 3,
        "tps_aman": 5,
        "tps_rawan": 2,
        "tps_sangat_rawan": 2,
        "tps_khusus": 0,
        "sensitive_sites": 2,
        "notes": "Basis dua pendukung",
    }
    response = client.post(f"/kerawanan/{BUGUL_LOR}/indikator/", form)
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="indicator.updated").count() == 1
    risk_recompute(city, DAY, DAY)
    codes = [d["code"] for d in AreaRisk.objects.get(region__code=BUGUL_LOR, day=DAY).drivers]
    assert "structural" in codes
    bad = client.post(f"/kerawanan/{BUGUL_LOR}/indikator/", form | {"tps_rawan": -1}, follow=True)
    assert "Indikator tidak disimpan" in bad.content.decode()
    client.force_login(personas["leadership"])
    assert client.post(f"/kerawanan/{BUGUL_LOR}/indikator/", form).status_code == 403


@pytest.mark.django_db
def test_risk_api_is_public_safe(client, region, city, kelurahan):
    quiet_history(kelurahan, DAY)
    incident = verified(region(BUGUL_LOR), DAY)
    risk_recompute(city, DAY, DAY)
    response = client.get("/api/v1/risk", {"parent": CITY})
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 34
    first = rows[0]
    assert first["region_code"] == BUGUL_LOR
    assert set(first) == {
        "region_code",
        "name",
        "kecamatan",
        "day",
        "level",
        "level_label",
        "score",
        "drivers",
        "factors",
    }
    assert first["level"] in {"aman", "waspada", "siaga", "awas"} and first["drivers"]
    assert incident.title not in response.content.decode()
    geo = client.get("/api/v1/risk.geojson", {"parent": "35.75.04"}).json()
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == Region.objects.under("35.75.04").filter(level=Level.DESA_KELURAHAN).count()
    assert geo["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    missing = client.get("/api/v1/risk", {"parent": "35.99"})
    assert missing.status_code == 404 and "unknown region" in missing.json()["detail"]
    assert client.get("/api/v1/risk/thresholds").json()["siaga"] == 40


@pytest.mark.django_db
def test_risk_pages_by_role(client, personas, region, city, kelurahan):
    verified(region(BUGUL_LOR), DAY)
    risk_recompute(city, DAY, DAY)
    assert client.get("/kerawanan/").status_code == 302
    client.force_login(personas["leadership"])
    page = client.get("/kerawanan/").content.decode()
    assert "<svg" in page and page.count("<path") == 34 and "tangga lokal" in page.lower()
    assert client.get("/kerawanan/", {"day": "2020-02-31"}).status_code == 200  # an impossible day: the latest
    assert client.get("/kerawanan/", {"day": "kemarin"}).status_code == 200
    assert client.get("/kerawanan/35.75.9.9999/").status_code == 404
    detail = client.get(f"/kerawanan/{BUGUL_LOR}/").content.decode()
    assert "Bugul Lor" in detail and "kejadian terverifikasi" in detail
    client.force_login(personas["trusted_reporter"])
    assert client.get("/kerawanan/").status_code == 403


@pytest.mark.django_db
def test_the_clock_assesses_today_once(city, settings, time_machine):
    time_machine.move_to("2020-12-10 00:06 +07:00")
    out = StringIO()
    call_command("clock", "--once", stdout=out)
    assert out.getvalue().strip() == "assessed today"
    assert AreaRisk.objects.filter(day="2020-12-10").count() == 34
    call_command("clock", "--once", stdout=out)
    assert out.getvalue().strip().endswith("nothing due")
    settings.SIGAP_RISK_DAILY = False
    time_machine.move_to("2020-12-11 00:06 +07:00")
    call_command("clock", "--once", stdout=out)
    assert not AreaRisk.objects.filter(day="2020-12-11").exists()

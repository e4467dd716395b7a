"""The leadership dashboard on the demo month: filters, a bounded number of queries, exports with HXL, and who
may see it."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sigap.accounts.models import User
from sigap.cases.services import case_open
from sigap.demo.generator import seed_demo
from sigap.directory.models import Organisation
from sigap.intake.models import ResolutionAnswer
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident


@pytest.fixture
def leader(db, client):
    seed_demo(seed=2020)
    client.force_login(User.objects.get(username="pimpinan"))
    return client


@pytest.mark.django_db
def test_the_dashboard_shows_the_city_with_a_bounded_number_of_queries(leader):
    url = reverse("dashboard:page")
    with CaptureQueriesContext(connection) as month:
        page = leader.get(url + "?start=2020-11-20&end=2020-12-20")
    text = page.content.decode()
    assert page.status_code == 200
    for part in (
        "Papan peringatan",
        "Kejadian terverifikasi per minggu",
        "Penanganan terbuka dan keterlambatan",
        "Mediasi",
        "hari setelah pemungutan suara",
        "leaflet/leaflet.",
        "/api/v1/risk.geojson?parent=35.75&amp;stand_in=true&amp;day=2020-12-20",
    ):
        assert part in text, part
    # What the reporters said of the month's resolutions, and the "not yet" still waiting for an analyst.
    settled, not_yet = (ResolutionAnswer.objects.filter(settled=flag).count() for flag in (True, False))
    assert f"{settled} menyatakan masalahnya sudah selesai, {not_yet} belum; 1 di antaranya menunggu analis" in text
    # Twice the incidents and more cases in the same month: the same number of queries (aggregates, prefetches).
    analyst = User.objects.get(username="analis")
    lead = Organisation.objects.get(short_name="Polres")
    for incident in list(Incident.objects.filter(status=IncidentStatus.VERIFIED, cases=None)[:20]):
        case_open(title=incident.title, lead_organisation=lead, incidents=[incident], actor=analyst)
    Incident.objects.bulk_create(
        [
            Incident(
                title=f"x{i}",
                region=i.region,
                category=i.category,
                status=IncidentStatus.VERIFIED,
                occurred_at=i.occurred_at,
                verified_at=i.verified_at,
            )
            for i in Incident.objects.all()
        ]
    )
    with CaptureQueriesContext(connection) as doubled:
        again = leader.get(url + "?start=2020-11-20&end=2020-12-20")
    assert again.status_code == 200
    assert len(doubled.captured_queries) == len(month.captured_queries) < 40
    # Without filters: the last 30 days up to the latest assessed day, shown in the form.
    plain = leader.get(url).content.decode()
    assert 'value="2020-11-21"' in plain and 'value="2020-12-20"' in plain
    bad = leader.get(url + "?start=2020-12-20&end=2020-11-01")
    assert bad.status_code == 200 and "berakhir sebelum dimulai" in bad.content.decode()


@pytest.mark.django_db
def test_exports_follow_the_filters_and_carry_hxl_tags(leader):
    query = "?start=2020-12-01&end=2020-12-20&kecamatan=35.75.04"
    response = leader.get(reverse("dashboard:export", args=["csv"]) + query)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["id", "occurred_at", "kecamatan"] and rows[1][:3] == [
        "#event+id",
        "#date+occurred",
        "#adm3+name",
    ]
    assert len(rows) > 10 and {r[2] for r in rows[2:]} == {"Panggungrejo"}
    assert not any("reporter" in h for h in rows[0])
    geo = json.loads(leader.get(reverse("dashboard:export", args=["geojson"]) + query).content)
    assert len(geo["features"]) == 13 and all(
        f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"]
    )
    assert sum(f["properties"]["verified"] for f in geo["features"]) > 0
    xlsx = leader.get(reverse("dashboard:export", args=["xlsx"]) + query)
    assert xlsx.content[:2] == b"PK"


@pytest.mark.django_db
def test_responders_use_their_own_pages(client, db):
    seed_demo(seed=2020)
    client.force_login(User.objects.get(username="polres"))
    assert client.get(reverse("dashboard:page")).status_code == 403
    assert client.get(reverse("dashboard:export", args=["csv"])).status_code == 403


@pytest.mark.django_db
def test_the_database_scores_alerts_as_the_reference_definition_does(db):
    """alert_quality (aggregates in SQL) against metrics.score_alerts (plain Python) on the demo month."""
    from datetime import date

    from sigap.alerts.models import Alert
    from sigap.dashboard import metrics
    from sigap.dashboard.columns import ALERT_HORIZON, COUNTED, GRAVE
    from sigap.dashboard.selectors import ENGINE_ALERTS, Filters, alert_quality, incident_columns

    seed_demo(seed=2020)
    filters = Filters(start=date(2020, 11, 20), end=date(2020, 12, 20))
    lo, hi = filters.bounds()
    engine = Alert.objects.filter(ENGINE_ALERTS).prefetch_related("regions")
    rows = [metrics.AlertRow(a.pk, a.triggered_at, frozenset(r.code for r in a.regions.all())) for a in engine]
    incidents = [
        metrics.IncidentRow(i.pk, i.occurred_at, i.region.code, Incident.objects.filter(GRAVE, pk=i.pk).exists())
        for i in Incident.objects.filter(status__in=COUNTED).select_related("region")
    ]
    in_period = [i for i in incidents if lo <= i.occurred_at < hi]
    precision = metrics.score_alerts([a for a in rows if lo <= a.raised_at < hi], incidents, ALERT_HORIZON)
    warned = metrics.score_alerts(rows, in_period, ALERT_HORIZON)
    got = alert_quality(filters, incident_columns(filters, User.objects.get(username="analis")))
    assert got.alerts > 3 and got.incidents > 50  # the demo month has both
    assert (got.alerts, got.confirmed, got.median_lead_hours) == (
        precision.alerts,
        precision.confirmed,
        precision.median_lead_hours,
    )
    assert (got.incidents, got.warned, got.grave_incidents, got.grave_warned) == (
        warned.incidents,
        warned.warned,
        warned.grave_incidents,
        warned.grave_warned,
    )


@pytest.mark.django_db
def test_weekly_counts_and_verification_times_match_a_count_of_the_objects(db):
    """weekly_by_category and the verification stage (aggregated in the database) against the same figures
    counted from the Incident objects in Python, on the demo month."""
    from collections import Counter
    from datetime import date, timedelta

    from django.utils import timezone

    from sigap.dashboard import metrics
    from sigap.dashboard.columns import COUNTED
    from sigap.dashboard.selectors import Filters, incident_columns, response_times, weekly_by_category
    from sigap.triage.choices import Category

    seed_demo(seed=2020)
    analyst = User.objects.get(username="analis")
    filters = Filters(start=date(2020, 11, 20), end=date(2020, 12, 20))
    lo, hi = filters.bounds()
    counted = [i for i in Incident.objects.filter(status__in=COUNTED) if lo <= i.occurred_at < hi]
    assert len(counted) > 50
    expected: Counter[tuple[str, date]] = Counter()
    for incident in counted:
        day = timezone.localtime(incident.occurred_at).date()
        expected[(str(Category(incident.category).label), day - timedelta(days=day.weekday()))] += 1
    table = incident_columns(filters, analyst)
    weeks, series = weekly_by_category(table)
    got = Counter({(label, week): n for label, counts in series for week, n in zip(weeks, counts, strict=True) if n})
    assert got == expected

    now = timezone.now()
    spans = [
        metrics.Span(str(Category(i.category).label), i.first_received_at, i.verified_at, i.verification_due_at)
        for i in counted
        if i.verified_at is not None and i.first_received_at is not None
    ]
    assert response_times(filters, analyst, incident_columns(filters, analyst, now), now)["verify"] == (
        metrics.summarise(spans, now)
    )


@pytest.mark.django_db
def test_incidents_are_counted_on_their_local_day(db, region, personas):
    """23:30 and 00:30 in Pasuruan (UTC+7) fall on two local days and, this Sunday night, in two weeks, though both
    are on the Sunday in UTC."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from sigap.dashboard.selectors import Filters, incident_columns, weekly_by_category

    wib = ZoneInfo("Asia/Jakarta")
    kelurahan = region("35.75.01.1001")
    for at in (datetime(2020, 12, 6, 23, 30, tzinfo=wib), datetime(2020, 12, 7, 0, 30, tzinfo=wib)):
        Incident.objects.create(title="x", region=kelurahan, category="lainnya", occurred_at=at, status="verified")
    table = incident_columns(Filters(date(2020, 12, 1), date(2020, 12, 10)), personas["analyst"])
    weeks, series = weekly_by_category(table)
    assert weeks == [date(2020, 11, 30), date(2020, 12, 7)]
    assert series == [("Lainnya", [1, 1])] or series == [("Other", [1, 1])]

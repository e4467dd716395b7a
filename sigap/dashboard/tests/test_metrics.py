"""Warning-response gap metrics, without the database."""

from datetime import UTC, datetime, timedelta

from sigap.dashboard.metrics import AlertRow, IncidentRow, Span, score_alerts, summarise

T0 = datetime(2020, 12, 1, tzinfo=UTC)


def h(n):
    return timedelta(hours=n)


def test_a_stage_summary_counts_medians_and_deadlines():
    spans = [
        Span("Polres", T0, T0 + h(2), T0 + h(24)),
        Span("Polres", T0, T0 + h(30), T0 + h(24)),  # late
        Span("Polres", T0, T0 + h(10), T0 + h(24)),
        Span("Polres", T0, None, T0 + h(24)),  # pending and past due: late
        Span("Kodim", T0, None, T0 + h(500)),  # pending, not yet due: not counted either way
    ]
    polres, kodim = summarise(spans, now=T0 + h(100))
    assert (polres.group, polres.measured, polres.pending) == ("Polres", 3, 1)
    assert polres.median_hours == 10.0 and polres.p90_hours == 26.0
    assert polres.within_deadline == 2 / 4 and polres.within_deadline_pct == 50
    assert (kodim.measured, kodim.pending, kodim.median_hours, kodim.within_deadline) == (0, 1, None, None)


def test_alerts_are_scored_against_later_incidents_in_their_kelurahan():
    alerts = [
        AlertRow(1, T0, frozenset({"A"})),  # followed by an incident in A after 30 h
        AlertRow(2, T0, frozenset({"B"})),  # nothing follows in B within 7 days
        AlertRow(3, T0 + h(100), frozenset({"A", "C"})),  # followed in C after 20 h
    ]
    incidents = [
        IncidentRow(10, T0 + h(30), "A", grave=True),
        IncidentRow(11, T0 - h(5), "B", grave=False),  # before the alert: not a confirmation, not warned
        IncidentRow(12, T0 + h(120), "C", grave=False),
        IncidentRow(13, T0 + h(24 * 9), "B", grave=True),  # beyond the horizon
    ]
    score = score_alerts(alerts, incidents, horizon=timedelta(days=7))
    assert (score.alerts, score.confirmed) == (3, 2) and score.precision == 2 / 3
    assert score.median_lead_hours == 25.0
    assert (score.incidents, score.warned) == (4, 2)
    assert (score.grave_incidents, score.grave_warned) == (2, 1) and score.grave_warned_share == 0.5


def test_no_alerts_no_division_by_zero():
    score = score_alerts([], [], timedelta(days=7))
    assert score.precision is None and score.warned_share is None and score.median_lead_hours is None


def brute_force_score(alerts, incidents, horizon):
    """The definitions, literally: every alert against every incident."""
    leads = []
    for a in alerts:
        after = [i.occurred_at - a.raised_at for i in incidents if i.area in a.areas and i.occurred_at > a.raised_at]
        if after and min(after) <= horizon:
            leads.append(min(after).total_seconds() / 3600)
    warned = [
        any(i.area in a.areas and timedelta(0) < i.occurred_at - a.raised_at <= horizon for a in alerts)
        for i in incidents
    ]
    return (len(leads), sum(warned), sum(w for w, i in zip(warned, incidents, strict=True) if i.grave), leads)


def test_the_columnar_scoring_agrees_with_the_definitions_on_random_data():
    import random

    import numpy as np

    rng = random.Random(11)
    areas = ["A", "B", "C", "D"]
    for _ in range(30):
        alerts = [
            AlertRow(k, T0 + h(rng.randrange(0, 400)), frozenset(rng.sample(areas, rng.randint(1, 2))))
            for k in range(rng.randint(0, 12))
        ]
        incidents = [
            IncidentRow(k, T0 + h(rng.randrange(-50, 450)), rng.choice(areas), rng.random() < 0.3)
            for k in range(rng.randint(0, 60))
        ]
        score = score_alerts(alerts, incidents, timedelta(days=3))
        confirmed, warned, grave_warned, leads = brute_force_score(alerts, incidents, timedelta(days=3))
        assert (score.confirmed, score.warned, score.grave_warned) == (confirmed, warned, grave_warned)
        assert score.median_lead_hours == (round(float(np.median(leads)), 1) if leads else None)
        assert score.grave_incidents == sum(i.grave for i in incidents)

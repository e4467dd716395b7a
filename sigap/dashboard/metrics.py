"""Warning-response gap metrics, as plain functions of plain rows (tested without the database).

Durations are in hours. A stage's summary gives how many were measured, the median, the 90th percentile and the
share within the deadline. Alerts are scored against the incidents verified later: an alert is *confirmed* when a
verified incident occurred in one of its kelurahan within the horizon after it was raised, and its *lead time* is
how long before that incident it came; an incident was *warned* when an alert touching its kelurahan was raised
within the horizon before it occurred.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np


@dataclass(frozen=True)
class Span:
    """One measured stage: from start to end (None: not reached yet), with its deadline (None: none)."""

    group: str  # an organisation or a category
    start: datetime
    end: datetime | None
    due: datetime | None = None


@dataclass(frozen=True)
class StageSummary:
    group: str
    measured: int
    pending: int
    median_hours: float | None
    p90_hours: float | None
    within_deadline: float | None  # share 0..1 of those with a deadline

    @property
    def within_deadline_pct(self) -> int | None:
        return None if self.within_deadline is None else round(100 * self.within_deadline)


def summarise(spans: Iterable[Span], now: datetime) -> list[StageSummary]:
    """Per group, largest first. Pending spans past their deadline count as late."""
    by_group: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        by_group[span.group].append(span)
    out = []
    for group, rows in by_group.items():
        done = np.array([(s.end - s.start).total_seconds() / 3600 for s in rows if s.end is not None], dtype=float)
        with_due = [s for s in rows if s.due is not None and (s.end is not None or s.due < now)]
        in_time = [s for s in with_due if s.end is not None and s.due is not None and s.end <= s.due]
        out.append(
            StageSummary(
                group=group,
                measured=int(done.size),
                pending=len(rows) - int(done.size),
                median_hours=round(float(np.median(done)), 1) if done.size else None,
                p90_hours=round(float(np.percentile(done, 90)), 1) if done.size else None,
                within_deadline=len(in_time) / len(with_due) if with_due else None,
            )
        )
    return sorted(out, key=lambda s: (-(s.measured + s.pending), s.group))


@dataclass(frozen=True)
class AlertRow:
    pk: int
    raised_at: datetime
    areas: frozenset[str]  # kelurahan codes


@dataclass(frozen=True)
class IncidentRow:
    pk: int
    occurred_at: datetime
    area: str
    grave: bool  # urgency high or critical, or it met the escalation criteria


@dataclass(frozen=True)
class AlertScore:
    alerts: int
    confirmed: int
    median_lead_hours: float | None
    incidents: int
    warned: int
    grave_incidents: int
    grave_warned: int

    @property
    def precision(self) -> float | None:
        return self.confirmed / self.alerts if self.alerts else None

    @property
    def warned_share(self) -> float | None:
        return self.warned / self.incidents if self.incidents else None

    @property
    def grave_warned_share(self) -> float | None:
        return self.grave_warned / self.grave_incidents if self.grave_incidents else None


def score_alerts(alerts: Sequence[AlertRow], incidents: Sequence[IncidentRow], horizon: timedelta) -> AlertScore:
    """Precision and lead time of the alerts; the share of (grave) incidents that had been warned of.
    Sorted times and bisection: a year of incidents is scored in well under a second."""
    incident_times: dict[str, list[datetime]] = defaultdict(list)
    for incident in incidents:
        incident_times[incident.area].append(incident.occurred_at)
    for times in incident_times.values():
        times.sort()
    leads = []
    for alert in alerts:
        firsts = []
        for area in alert.areas:
            times = incident_times.get(area, [])
            i = bisect_right(times, alert.raised_at)  # the first incident strictly after the alert
            if i < len(times) and times[i] - alert.raised_at <= horizon:
                firsts.append(times[i] - alert.raised_at)
        if firsts:
            leads.append(min(firsts).total_seconds() / 3600)
    alert_times: dict[str, list[datetime]] = defaultdict(list)
    for alert in alerts:
        for area in alert.areas:
            alert_times[area].append(alert.raised_at)
    for times in alert_times.values():
        times.sort()

    def warned(incident: IncidentRow) -> bool:
        times = alert_times.get(incident.area, [])
        i = bisect_left(times, incident.occurred_at)  # alerts strictly before the incident are times[:i]
        return i > 0 and incident.occurred_at - times[i - 1] <= horizon

    warned_flags = [warned(i) for i in incidents]
    grave = [w for i, w in zip(incidents, warned_flags, strict=True) if i.grave]
    return AlertScore(
        alerts=len(alerts),
        confirmed=len(leads),
        median_lead_hours=round(float(np.median(leads)), 1) if leads else None,
        incidents=len(incidents),
        warned=sum(warned_flags),
        grave_incidents=len(grave),
        grave_warned=sum(grave),
    )

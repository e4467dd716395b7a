"""Warning-response gap metrics, as plain functions of plain rows (tested without the database).

Durations are in hours. A stage's summary gives how many were measured, the median, the 90th percentile and the
share within the deadline. Alerts are scored against the incidents verified later: an alert is *confirmed* when a
verified incident occurred in one of its kelurahan within the horizon after it was raised, and its *lead time* is
how long before that incident it came; an incident was *warned* when an alert touching its kelurahan was raised
within the horizon before it occurred.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
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


# Deadline states of a stage, one per row: met, missed (done late, or pending past its deadline), or not counted
# (no deadline, or pending and not yet due).
MET, MISSED, NOT_COUNTED = 1, 0, -1


def deadline_state(span: Span, now: datetime) -> int:
    if span.due is None:
        return NOT_COUNTED
    if span.end is not None:
        return MET if span.end <= span.due else MISSED
    return MISSED if span.due < now else NOT_COUNTED


def summarise(spans: Iterable[Span], now: datetime) -> list[StageSummary]:
    """Per group, largest first. Pending spans past their deadline count as late."""
    rows = list(spans)
    hours = [(s.end - s.start).total_seconds() / 3600 if s.end is not None else np.nan for s in rows]
    states = [deadline_state(s, now) for s in rows]
    names = sorted({s.group for s in rows})
    index = {name: i for i, name in enumerate(names)}
    return summarise_stage(
        names,
        np.array([index[s.group] for s in rows], dtype=np.int64),
        np.array(hours, dtype=float),
        np.array(states, dtype=np.int8),
    )


def summarise_stage(
    names: Sequence[str], group_of: np.ndarray, hours: np.ndarray, states: np.ndarray
) -> list[StageSummary]:
    """The same from columns (a year of rows as arrays): each row's group (an index into `names`), its duration in
    hours (NaN while pending) and its deadline state. Per group, largest first; groups without rows are left out.
    Two names may be the same label (a category and its renamed successor): they are summarised together."""
    out = []
    for group in sorted(set(names)):
        mine = np.isin(group_of, [i for i, name in enumerate(names) if name == group])
        if not mine.any():
            continue
        spent = hours[mine]
        done = spent[~np.isnan(spent)]
        state = states[mine]
        counted = int(np.count_nonzero(state != NOT_COUNTED))
        out.append(
            StageSummary(
                group=str(group),
                measured=int(done.size),
                pending=int(spent.size - done.size),
                median_hours=round(float(np.median(done)), 1) if done.size else None,
                p90_hours=round(float(np.percentile(done, 90)), 1) if done.size else None,
                within_deadline=int(np.count_nonzero(state == MET)) / counted if counted else None,
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
    """Precision and lead time of the alerts; the share of (grave) incidents that had been warned of."""
    return score_alert_times(
        alert_times=np.array([a.raised_at.timestamp() for a in alerts], dtype=float),
        alert_areas=[a.areas for a in alerts],
        incident_times=np.array([i.occurred_at.timestamp() for i in incidents], dtype=float),
        incident_areas=np.array([i.area for i in incidents], dtype=object),
        incident_grave=np.array([i.grave for i in incidents], dtype=bool),
        horizon_seconds=horizon.total_seconds(),
    )


def score_alert_times(
    alert_times: np.ndarray,
    alert_areas: Sequence[Iterable[Hashable]],
    incident_times: np.ndarray,
    incident_areas: np.ndarray,
    incident_grave: np.ndarray,
    horizon_seconds: float,
) -> AlertScore:
    """score_alerts on columns: times in seconds since the epoch, areas as any comparable keys. Incidents are sorted
    by area and time once; each alert and each area's incidents are then found by bisection, so a year of a
    million reports is scored in a fraction of a second."""
    areas, area_of = np.unique(incident_areas, return_inverse=True)
    order = np.lexsort((incident_times, area_of))
    times, area_sorted, grave = incident_times[order], area_of[order], incident_grave[order]
    bounds = np.searchsorted(area_sorted, np.arange(len(areas) + 1))
    index_of = {key: i for i, key in enumerate(areas.tolist())}

    def segment(area: Hashable) -> slice | None:
        i = index_of.get(area)
        return None if i is None else slice(bounds[i], bounds[i + 1])

    leads = []
    alerts_by_area: dict[int, list[float]] = defaultdict(list)
    for raised, alert_area_keys in zip(alert_times.tolist(), alert_areas, strict=True):
        firsts = []
        for key in alert_area_keys:
            part = segment(key)
            if part is None:
                continue
            alerts_by_area[index_of[key]].append(raised)
            area_times = times[part]
            i = int(np.searchsorted(area_times, raised, side="right"))  # the first incident strictly after
            if i < area_times.size and area_times[i] - raised <= horizon_seconds:
                firsts.append(area_times[i] - raised)
        if firsts:
            leads.append(min(firsts) / 3600)
    warned = np.zeros(times.size, dtype=bool)
    for area_index, raised_list in alerts_by_area.items():
        part = slice(bounds[area_index], bounds[area_index + 1])
        raised_sorted = np.sort(np.array(raised_list, dtype=float))
        area_times = times[part]
        before = np.searchsorted(raised_sorted, area_times, side="left")  # alerts strictly before each incident
        latest = raised_sorted[np.maximum(before - 1, 0)]
        warned[part] = (before > 0) & (area_times - latest <= horizon_seconds)
    return AlertScore(
        alerts=int(alert_times.size),
        confirmed=len(leads),
        median_lead_hours=round(float(np.median(leads)), 1) if leads else None,
        incidents=int(times.size),
        warned=int(np.count_nonzero(warned)),
        grave_incidents=int(np.count_nonzero(grave)),
        grave_warned=int(np.count_nonzero(warned & grave)),
    )

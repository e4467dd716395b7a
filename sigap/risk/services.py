"""The only adapter between the database and the engine (sigap.analytics): series in, AreaRisk rows out.

An assessment covers one kabupaten/kota at a time: the engine learns the weekly rhythm and the election's rise from
all its kelurahan together, and a city has at most a few hundred of them, so a recompute for one day takes well
under a second. Alerts follow through the `on_risk_assessed` hooks (the alerts room registers one).
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.analytics import detector, risk
from sigap.core.services import audit_record
from sigap.intake.models import MonitorCheck, monitor_key
from sigap.intake.services import MONITOR_DAYS
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaFlag, AreaIndicator, AreaRisk, ElectionPhase, HistoricalCount, LevelFloor
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident

log = logging.getLogger(__name__)

HISTORY_DAYS = 3 * 364 + 7  # three years of baseline for the seasonal ratio, and a week
RECENT_DAYS = 7
COUNTED = (IncidentStatus.VERIFIED, IncidentStatus.RESOLVED)


def incident_weight(injured: int, killed: int) -> float:
    """Severity of one incident: 10 with a death, 3 with injuries, 1 otherwise (the benchmark's weights)."""
    return 10.0 if killed else 3.0 if injured else 1.0


@dataclass
class AreaResult:
    region: Region
    day: date
    score: float
    level: int
    drivers: list[dict[str, Any]]
    p_value: float | None
    expected: float
    recent: int
    unusual: bool


AssessedHook = Callable[[Region, date, list[AreaResult], dict[str, int]], None]
_assessed_hooks: list[AssessedHook] = []


def on_risk_assessed(hook: AssessedHook) -> None:
    if hook not in _assessed_hooks:
        _assessed_hooks.append(hook)


def city_of(region: Region) -> Region | None:
    """The kabupaten/kota a region belongs to (itself if it is one)."""
    code = ".".join(region.code.split(".")[:2])
    return Region.objects.filter(code=code).first()


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone())


@dataclass
class CitySeries:
    city: Region
    areas: list[Region]
    first_day: date
    counts: np.ndarray  # (areas, days) verified incidents by the day they happened
    weighted: np.ndarray
    high_risk: np.ndarray  # (days,) inside a known high-risk phase
    index: dict[int, int] = field(default_factory=dict)  # region pk -> row

    def column(self, day: date) -> int:
        return (day - self.first_day).days


EPOCH = date(2000, 1, 3)  # a Monday: every series starts on a Monday, so weekly bins are calendar weeks
MAX_HISTORY_DAYS = 10 * 364


def series_start(city: Region, first_needed: date, last_day: date) -> date:
    """Where a city's series begins: at its oldest data, on a Monday, at most ten years back. Starting from the data
    (not from the day asked) makes an assessment made on the day and any later recompute of that day see the same
    series and give the same result. Without any data, three years before the first day asked."""
    oldest = []
    past = HistoricalCount.objects.filter(region__code__startswith=f"{city.code}.").order_by("day").first()
    if past is not None:
        oldest.append(past.day)
    first_incident = (
        Incident.objects.filter(region__code__startswith=f"{city.code}.", status__in=COUNTED)
        .exclude(occurred_at=None)
        .order_by("occurred_at")
        .first()
    )
    if first_incident is not None and first_incident.occurred_at is not None:
        oldest.append(timezone.localtime(first_incident.occurred_at).date())
    start = min(oldest) if oldest else first_needed - timedelta(days=HISTORY_DAYS - 1)
    start = min(max(start, last_day - timedelta(days=MAX_HISTORY_DAYS)), first_needed)
    return start - timedelta(days=(start - EPOCH).days % 7)


def city_series(city: Region, last_day: date, first_needed: date | None = None) -> CitySeries:
    areas = list(Region.objects.under(city.code).filter(level=Level.DESA_KELURAHAN).order_by("code"))
    first_day = series_start(city, first_needed or last_day, last_day)
    n_days = (last_day - first_day).days + 1
    index = {a.pk: i for i, a in enumerate(areas)}
    counts = np.zeros((len(areas), n_days))
    weighted = np.zeros_like(counts)
    tz = timezone.get_current_timezone()
    rows = Incident.objects.filter(
        status__in=COUNTED,
        region__in=areas,
        occurred_at__gte=datetime.combine(first_day, time.min, tzinfo=tz),
        occurred_at__lte=end_of(last_day),
    ).values_list("region_id", "occurred_at", "injured", "killed")
    for region_id, occurred_at, injured, killed in rows:
        col = (timezone.localtime(occurred_at, tz).date() - first_day).days
        counts[index[region_id], col] += 1
        weighted[index[region_id], col] += incident_weight(injured, killed)
    past = HistoricalCount.objects.filter(region__in=areas, day__gte=first_day, day__lte=last_day)
    for region_id, day, count, weight in past.values_list("region_id", "day", "count", "weighted"):
        counts[index[region_id], (day - first_day).days] += count
        weighted[index[region_id], (day - first_day).days] += weight
    high_risk = np.zeros(n_days, dtype=bool)
    for phase in ElectionPhase.objects.filter(region=city, high_risk=True, ends_on__gte=first_day):
        lo = max((phase.starts_on - first_day).days, 0)
        hi = min((phase.ends_on - first_day).days, n_days - 1)
        high_risk[lo : hi + 1] = True
    return CitySeries(city, areas, first_day, counts, weighted, high_risk, index)


def phase_on(city: Region, day: date) -> str:
    phase = (
        ElectionPhase.objects.filter(region=city, starts_on__lte=day, ends_on__gte=day).order_by("-starts_on").first()
    )
    return phase.kind if phase else ""


def structural(indicator: AreaIndicator | None) -> tuple[float, list[str]]:
    """0..1 standing vulnerability and its notes, from the analysts' indicators."""
    if indicator is None:
        return 0.0, []
    i = indicator
    tps_total = i.tps_aman + i.tps_rawan + i.tps_sangat_rawan + i.tps_khusus
    tps_share = (i.tps_rawan + 2 * (i.tps_sangat_rawan + i.tps_khusus)) / (2 * tps_total) if tps_total else 0.0
    value = (
        0.35 * i.conflict_history / 3
        + 0.35 * i.election_vulnerability / 3
        + 0.2 * tps_share
        + 0.1 * min(i.sensitive_sites / 3, 1.0)
    )
    notes = []
    if i.conflict_history:
        notes.append(f"history:{i.conflict_history}")
    if i.election_vulnerability:
        notes.append(f"ikp:{i.election_vulnerability}")
    for name in ("tps_rawan", "tps_sangat_rawan", "tps_khusus"):
        if getattr(i, name):
            notes.append(f"{name}:{getattr(i, name)}")
    if i.sensitive_sites:
        notes.append(f"sites:{i.sensitive_sites}")
    return round(value, 4), notes


# Each flag in force adds this much (0..1) to a kelurahan's standing vulnerability.
FLAG_WEIGHT = 0.3


def _flags_on(areas: list[Region], days: list[date]) -> dict[tuple[int, date], list[str]]:
    """Flags in force per (area, day), as structural notes ("relapse:1")."""
    if not days:
        return {}
    rows = AreaFlag.objects.filter(region__in=areas, starts_on__lte=max(days), ends_on__gte=min(days))
    out: dict[tuple[int, date], Counter[str]] = defaultdict(Counter)
    for flag in rows:
        for day in days:
            if flag.starts_on <= day <= flag.ends_on:
                out[(flag.region_id, day)][flag.kind] += 1
    return {key: [f"{kind}:{n}" for kind, n in sorted(c.items())] for key, c in out.items()}


def area_flag_raise(*, region: Region, kind: str, starts_on: date, days: int, note: str, source: str) -> AreaFlag:
    """Raise (once per source) a flag; the kelurahan's level follows at once."""
    flag, created = AreaFlag.objects.get_or_create(
        region=region,
        kind=kind,
        source=source,
        defaults={"starts_on": starts_on, "ends_on": starts_on + timedelta(days=days), "note": note[:300]},
    )
    if created:
        audit_record(actor=None, action="risk.flag_raised", target=flag, details={"kind": kind, "source": source})
        city = city_of(region)
        if city is not None:
            transaction.on_commit(lambda: risk_refresh(city, starts_on))
    return flag


LEVEL_FLOOR_MAX_DAYS = 30  # an analyst's level lapses unless set again: a judgement is looked at again each month


class LevelFloorError(ValueError):
    """An analyst's level that cannot be set or withdrawn; the message is for the analyst."""


def _floors_on(areas: list[Region], days: list[date]) -> dict[tuple[int, date], LevelFloor]:
    """The highest analyst's level in force per (area, day)."""
    if not days:
        return {}
    rows = LevelFloor.objects.filter(region__in=areas, starts_on__lte=max(days), ends_on__gte=min(days))
    out: dict[tuple[int, date], LevelFloor] = {}
    for floor in rows.order_by("level"):
        for day in days:
            if floor.starts_on <= day <= floor.ends_on:
                out[(floor.region_id, day)] = floor
    return out


def _apply_floor(result: AreaResult, floor: LevelFloor | None) -> None:
    """Lift a level to the analyst's; the engine's score and reasons stay, with the analyst's judgement first."""
    if floor is None or floor.level <= result.level:
        return
    result.level = floor.level
    result.drivers.insert(
        0, {"code": "analyst", "points": 0.0, "level": floor.level, "until": floor.ends_on.isoformat()}
    )


def _refresh_after_commit(region: Region, day: date) -> None:
    city = city_of(region)
    if city is not None:
        transaction.on_commit(lambda: risk_refresh(city, day))


@transaction.atomic
def level_floor_set(*, region: Region, level: int, ends_on: date, reason: str, actor: Any) -> LevelFloor:
    """An analyst sets a kelurahan's level to at least `level` from today until `ends_on`, with the reason; an
    earlier one still in force is replaced. The level (and any alert it raises) follows at once."""
    today = timezone.localdate()
    if level not in (RiskLevel.WASPADA, RiskLevel.SIAGA, RiskLevel.AWAS):
        raise LevelFloorError(_("Choose Waspada, Siaga or Awas."))
    if not today <= ends_on <= today + timedelta(days=LEVEL_FLOOR_MAX_DAYS):
        raise LevelFloorError(
            _("The end must be between today and %(days)d days from now.") % {"days": LEVEL_FLOOR_MAX_DAYS}
        )
    if not reason.strip():
        raise LevelFloorError(_("Write why: the team and the leadership read it beside the level."))
    for earlier in LevelFloor.objects.select_for_update().filter(region=region, withdrawn_at=None, ends_on__gte=today):
        _withdraw(earlier, actor, _("replaced by a new assessment"), today)
    floor = LevelFloor.objects.create(
        region=region, level=level, starts_on=today, ends_on=ends_on, reason=reason.strip(), set_by=actor
    )
    audit_record(
        actor=actor,
        action="risk.level_set",
        target=floor,
        details={"region": region.code, "level": level, "until": ends_on.isoformat(), "reason": floor.reason},
    )
    _refresh_after_commit(region, today)
    return floor


def _withdraw(floor: LevelFloor, actor: Any, reason: str, today: date) -> None:
    floor.withdrawn_at, floor.withdrawn_by, floor.withdrawn_reason = timezone.now(), actor, reason
    floor.ends_on = min(floor.ends_on, today - timedelta(days=1))  # in force until yesterday; never if set today
    floor.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "ends_on"])
    audit_record(
        actor=actor,
        action="risk.level_withdrawn",
        target=floor,
        details={"region": floor.region.code, "reason": reason, "ends_on": floor.ends_on.isoformat()},
    )


@transaction.atomic
def level_floor_withdraw(*, floor: LevelFloor, actor: Any, reason: str) -> LevelFloor:
    """End an analyst's level early, with the reason; the engine's level holds from today."""
    today = timezone.localdate()
    floor = LevelFloor.objects.select_for_update().select_related("region").get(pk=floor.pk)
    if floor.withdrawn_at is not None or floor.ends_on < today:
        raise LevelFloorError(_("This assessment is no longer in force."))
    if not reason.strip():
        raise LevelFloorError(_("Write why the assessment ends early."))
    _withdraw(floor, actor, reason.strip(), today)
    _refresh_after_commit(floor.region, today)
    return floor


def level_floor_reminders_due(now: datetime) -> int:
    """On its last day, from the digest hour, whoever set an analyst's level and the secretariat are told once that it
    ends tonight: a judgement lapses unless someone looks at it again. Returns the messages queued (the worker's
    minute)."""
    from sigap.notify.services import public_link, queue_to, secretariat

    if timezone.localtime(now).hour < settings.SIGAP_DIGEST_HOUR:
        return 0
    today = timezone.localdate(now)
    ending = list(
        LevelFloor.objects.filter(ends_on=today, starts_on__lte=today, withdrawn_at=None).select_related(
            "region", "set_by"
        )
    )
    if not ending:  # the worker asks every minute: one query on the days nothing ends
        return 0
    queued = 0
    team = secretariat()
    for floor in ending:
        organisations, users = team
        if floor.set_by is not None and floor.set_by.is_active and floor.set_by not in users:
            users = [*users, floor.set_by]
        name, level = floor.region.name, floor.get_level_display()
        queued += len(
            queue_to(
                organisations=organisations,
                users=users,
                purpose="reminder",
                subject=f"Penilaian analis berakhir hari ini: {name} ({level})",
                body=(
                    f"{name} ditetapkan setidaknya {level} sampai hari ini. Mulai besok tingkatnya kembali menurut "
                    f"mesin. Bila keadaan masih menuntutnya, tetapkan ulang dengan alasannya:\n"
                    f"{public_link('risk:area', floor.region.code)}"
                ),
                key=f"floor-ends:{floor.pk}:{today.isoformat()}",
                at=now,
                quiet_hours=True,
            )
        )
    return queued


def level_floor_in_force(region: Region, day: date) -> LevelFloor | None:
    return (
        LevelFloor.objects.filter(region=region, starts_on__lte=day, ends_on__gte=day)
        .select_related("set_by")
        .order_by("-level", "-set_at")
        .first()
    )


def _open_cases(areas: list[Region], day: date) -> dict[int, int]:
    end = end_of(day)
    rows = Incident.objects.filter(region__in=areas, status__in=COUNTED, verified_at__lte=end, occurred_at__lte=end)
    rows = rows.exclude(closed_at__lte=end)
    return Counter(rows.values_list("region_id", flat=True))


def _top_categories(areas: list[Region], day: date) -> dict[int, tuple[str, int]]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day - timedelta(days=RECENT_DAYS - 1), time.min, tzinfo=tz)
    rows = Incident.objects.filter(
        region__in=areas, status__in=COUNTED, occurred_at__gte=start, occurred_at__lte=end_of(day)
    )
    per_area: dict[int, Counter[str]] = defaultdict(Counter)
    for region_id, category in rows.values_list("region_id", "category"):
        per_area[region_id][category] += 1
    return {pk: c.most_common(1)[0] for pk, c in per_area.items()}


@dataclass(frozen=True)
class MonitorSigns:
    signs: frozenset[str]  # distinct warning signs in the monitors' latest checklists
    reporters: int  # monitors whose latest checklist ticks at least one


NO_SIGNS = MonitorSigns(frozenset(), 0)


def _monitor_on(areas: list[Region], days: list[date]) -> dict[tuple[int, date], MonitorSigns]:
    """Per (area, day), the warning signs of each monitor's latest checklist within MONITOR_DAYS up to that day: a
    monitor who ticked "mobilisation" last week and nothing this week has seen it pass."""
    if not days:
        return {}
    rows = (
        MonitorCheck.objects.filter(
            region__in=areas, day__gte=min(days) - timedelta(days=MONITOR_DAYS - 1), day__lte=max(days)
        )
        .order_by("day")
        .values_list("region_id", "reporter_id", "person_id", "day", "signs")
    )
    per_area: dict[int, list[tuple[date, str, list[str]]]] = defaultdict(list)
    for region_id, reporter_id, person_id, day, signs in rows:
        per_area[region_id].append((day, monitor_key(reporter_id, person_id), signs))
    out: dict[tuple[int, date], MonitorSigns] = {}
    for region_id, checks in per_area.items():
        checked_on = [c[0] for c in checks]
        for day in days:
            lo = bisect_left(checked_on, day - timedelta(days=MONITOR_DAYS - 1))
            hi = bisect_right(checked_on, day)
            # Oldest first: each monitor's latest checklist in the window is the one that stays.
            latest = {monitor: signs for _day, monitor, signs in checks[lo:hi]}
            seen = frozenset(code for signs in latest.values() for code in signs)
            if seen:
                out[(region_id, day)] = MonitorSigns(seen, sum(1 for signs in latest.values() if signs))
    return out


def thresholds() -> risk.Thresholds:
    waspada, siaga, awas = settings.SIGAP_RISK_THRESHOLDS
    return risk.Thresholds(waspada=waspada, siaga=siaga, awas=awas)


def daily_alpha() -> float:
    return float(settings.SIGAP_ALERT_AREA_WEEK_FPR) / detector.ALPHA_DIVISOR


def assess_days(series: CitySeries, days: Iterable[date]) -> dict[date, list[AreaResult]]:
    """Run the detector once over the whole series, then assess each requested day from it."""
    params = detector.DetectorParams()
    weekday_offset = detector.weekday_offsets_causal(series.counts, first_weekday=series.first_day.weekday())
    uplift = detector.high_risk_uplift(series.counts, weekday_offset, series.high_risk, params)
    scores = detector.score(series.counts, weekday_offset * uplift, params)
    mean = np.nan_to_num(scores.mean)
    indicators = {i.region_id: i for i in AreaIndicator.objects.filter(region__in=series.areas)}
    structure = [structural(indicators.get(a.pk)) for a in series.areas]
    day_list = list(days)
    flags = _flags_on(series.areas, day_list)
    floors = _floors_on(series.areas, day_list)
    monitored = _monitor_on(series.areas, day_list)
    alpha = daily_alpha()
    out: dict[date, list[AreaResult]] = {}
    for day in day_list:
        day_flags = [flags.get((a.pk, day), []) for a in series.areas]
        flag_count = [sum(int(n.partition(":")[2]) for n in notes) for notes in day_flags]
        col = series.column(day)
        recent = slice(max(col - RECENT_DAYS + 1, 0), col + 1)
        previous = slice(max(col - 2 * RECENT_DAYS + 1, 0), max(col - RECENT_DAYS + 1, 0))
        open_cases = _open_cases(series.areas, day)
        top = _top_categories(series.areas, day)
        inputs = risk.AreaInputs(
            p_value=scores.p_value[:, col],
            recent_count=series.counts[:, recent].sum(axis=1),
            recent_expected=mean[:, recent].sum(axis=1),
            recent_weighted=series.weighted[:, recent].sum(axis=1),
            previous_count=series.counts[:, previous].sum(axis=1),
            open_cases=np.array([open_cases.get(a.pk, 0) for a in series.areas], dtype=float),
            structural=np.minimum(np.array([s[0] for s in structure]) + FLAG_WEIGHT * np.array(flag_count), 1.0),
            phase=phase_on(series.city, day),
            recent_days=RECENT_DAYS,
            top_category=[top.get(a.pk, ("", 0))[0] for a in series.areas],
            top_category_count=np.array([top.get(a.pk, ("", 0))[1] for a in series.areas], dtype=float),
            structural_notes=[s[1] + f for s, f in zip(structure, day_flags, strict=True)],
            monitor_signs=np.array([len(monitored.get((a.pk, day), NO_SIGNS).signs) for a in series.areas], float),
            monitor_reporters=np.array([monitored.get((a.pk, day), NO_SIGNS).reporters for a in series.areas], float),
            monitor_days=MONITOR_DAYS,
        )
        assessed = risk.assess(inputs, thresholds())
        results = []
        for i, area in enumerate(series.areas):
            p = float(scores.p_value[i, col])
            unusual = bool(np.isfinite(p) and p <= alpha and inputs.recent_count[i] > 0)
            drivers = assessed.drivers[i]
            for d in drivers:
                if d["code"] == "recent":
                    d["unusual"] = unusual
            result = AreaResult(
                region=area,
                day=day,
                score=float(assessed.score[i]),
                level=int(assessed.level[i]),
                drivers=drivers,
                p_value=p if np.isfinite(p) else None,
                expected=round(float(inputs.recent_expected[i]), 3),
                recent=int(inputs.recent_count[i]),
                unusual=unusual,
            )
            _apply_floor(result, floors.get((area.pk, day)))
            results.append(result)
        out[day] = results
    return out


def _previous_levels(areas: list[Region], day: date) -> dict[str, int]:
    rows = AreaRisk.objects.filter(region__in=areas, day=day - timedelta(days=1)).values_list("region__code", "level")
    return dict(rows)


@transaction.atomic
def _save(city: Region, day: date, results: list[AreaResult]) -> None:
    previous = _previous_levels([r.region for r in results], day)
    AreaRisk.objects.filter(region__in=[r.region for r in results], day=day).delete()
    AreaRisk.objects.bulk_create(
        AreaRisk(
            region=r.region,
            day=day,
            score=r.score,
            level=r.level,
            drivers=r.drivers,
            p_value=r.p_value,
            expected=r.expected,
            recent=r.recent,
        )
        for r in results
    )
    for hook in _assessed_hooks:
        hook(city, day, results, previous)


def risk_recompute(
    city: Region, first: date, last: date, progress: Callable[[Iterable[date]], Iterable[date]] | None = None
) -> int:
    """Assess every kelurahan of the city for each day from `first` to `last`, oldest first; returns the days."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    series = city_series(city, last, first)
    assessed = assess_days(series, days)
    for day in progress(days) if progress else days:
        _save(city, day, assessed[day])
    return len(days)


def risk_refresh(city: Region, day: date) -> list[AreaResult]:
    """The incremental path: one city, one day (an incident was verified, resolved or corrected)."""
    results = assess_days(city_series(city, day), [day])[day]
    _save(city, day, results)
    return results


def incident_changed(incident: Incident, at: datetime) -> None:
    """Hook from triage, after commit: the incident's kelurahan (and its city) is assessed again for that day."""
    if incident.region_id is None:
        return
    try:
        city = city_of(incident.region)  # type: ignore[arg-type]
        if city is not None:
            risk_refresh(city, timezone.localdate(at))
    except Exception:  # the decision is already saved; a failed assessment must not turn it into an error page
        log.exception("risk refresh failed after incident %s changed", incident.pk)


def monitor_check_changed(check: MonitorCheck) -> None:
    """Hook from intake, after commit: a monitor's checklist moves the kelurahan's level of that day."""
    try:
        city = city_of(check.region)
        if city is not None:
            risk_refresh(city, check.day)
    except Exception:  # the checklist is saved; a failed assessment must not turn it into an error page
        log.exception("risk refresh failed after monitor check %s", check.pk)


INDICATOR_FIELDS = (
    "conflict_history",
    "election_vulnerability",
    "tps_aman",
    "tps_rawan",
    "tps_sangat_rawan",
    "tps_khusus",
    "sensitive_sites",
    "notes",
)


@transaction.atomic
def indicator_update(*, region: Region, actor: Any, **values: Any) -> AreaIndicator:
    """An analyst updates a kelurahan's standing vulnerability; the change is audited and the level follows."""

    unknown = set(values) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"Not an indicator: {', '.join(sorted(unknown))}")
    indicator, _created = AreaIndicator.objects.get_or_create(region=region)
    changes = {k: [getattr(indicator, k), v] for k, v in values.items() if getattr(indicator, k) != v}
    for name, (_old, new) in changes.items():
        setattr(indicator, name, new)
    indicator.updated_by = actor
    indicator.save()
    audit_record(actor=actor, action="indicator.updated", target=indicator, details={"changes": changes})
    city = city_of(region)
    if changes and city is not None:
        day = latest_assessed_day(city) or timezone.localdate()
        transaction.on_commit(lambda: risk_refresh(city, day))
    return indicator


def latest_assessed_day(city: Region) -> date | None:
    from sigap.risk.selectors import latest_day

    return latest_day(city.code)

"""Reads behind the leadership dashboard, the situation report and the exports. Each function runs a fixed number
of queries whatever the amount of data (aggregates in the database, prefetches for the few rows shown)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from sigap.alerts.choices import AlertKind
from sigap.alerts.models import Alert
from sigap.cases.models import Case
from sigap.dashboard import metrics
from sigap.mediation.choices import MediationStatus
from sigap.mediation.models import Mediation
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.models import AreaRisk, ElectionPhase
from sigap.risk.selectors import latest_day
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.models import Incident

COUNTED = [IncidentStatus.VERIFIED, IncidentStatus.RESOLVED]
# Alerts are scored against incidents in their kelurahan within this horizon.
ALERT_HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class Filters:
    """The period (local dates, both included), optionally one kecamatan and one category."""

    start: date
    end: date
    kecamatan: str = ""
    category: str = ""

    @property
    def area_code(self) -> str:
        return self.kecamatan or settings.SIGAP_DEPLOYMENT_REGION

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return datetime.combine(self.start, time.min, tzinfo=tz), datetime.combine(
            self.end + timedelta(days=1), time.min, tzinfo=tz
        )

    def region_ids(self) -> list[int]:
        """The kelurahan of the area, by id: a short IN list the (region, occurred_at) index serves, instead of a
        join on region codes for every incident."""
        return list(Region.objects.filter(code__startswith=f"{self.area_code}.").values_list("id", flat=True))

    def incidents(self, base: QuerySet[Incident] | None = None) -> QuerySet[Incident]:
        lo, hi = self.bounds()
        rows = (base if base is not None else Incident.objects.all()).filter(
            occurred_at__gte=lo, occurred_at__lt=hi, region_id__in=self.region_ids()
        )
        return rows.filter(category=self.category) if self.category else rows


def default_filters(today: date | None = None, days: int = 30) -> Filters:
    """The last `days` days up to the latest assessed day (the demo lives in 2020) or today."""
    last = latest_day(settings.SIGAP_DEPLOYMENT_REGION) or today or timezone.localdate()
    return Filters(start=last - timedelta(days=days - 1), end=last)


def kecamatan_choices() -> list[Region]:
    return list(
        Region.objects.filter(level=Level.KECAMATAN, code__startswith=f"{settings.SIGAP_DEPLOYMENT_REGION}.")
        .defer("boundary")
        .order_by("name")
    )


def levels_on(filters: Filters) -> list[AreaRisk]:
    """Each kelurahan's level on the last assessed day of the period."""
    last = (
        AreaRisk.objects.filter(day__lte=filters.end, region__code__startswith=f"{filters.area_code}.")
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    if last is None:
        return []
    rows = AreaRisk.objects.filter(day=last, region__code__startswith=f"{filters.area_code}.")
    return list(rows.select_related("region__parent").defer("region__boundary").order_by("-level", "-score"))


def weekly_by_category(filters: Filters, user: Any) -> tuple[list[date], list[tuple[str, list[int]]]]:
    """Verified incidents per local week (from Monday) and category in the period. One query of two columns,
    counted here: a week truncation in SQL runs as a Python function per row on SQLite."""
    rows = (
        filters.incidents(Incident.objects.visible_to(user).filter(status__in=COUNTED))
        .order_by()
        .values_list("occurred_at", "category")
    )
    tz = timezone.get_current_timezone()
    counts: Counter[tuple[str, date]] = Counter()
    for occurred, category in rows.iterator(chunk_size=5000):
        if occurred is None:  # excluded by the period filter; for the type checker
            continue
        day = occurred.astimezone(tz).date()
        counts[(category, day - timedelta(days=day.weekday()))] += 1
    table: dict[str, dict[date, int]] = defaultdict(dict)
    for (category, week), n in counts.items():
        table[category][week] = n
    ordered = sorted({week for _, week in counts})
    labels = dict(Category.choices)
    series = [
        (str(labels.get(cat, cat)), [counts.get(w, 0) for w in ordered])
        for cat, counts in sorted(table.items(), key=lambda kv: -sum(kv[1].values()))
    ]
    return ordered, series


def election_stage(today: date) -> dict[str, Any]:
    """The election phase today, and the days until voting day (or since it)."""
    city = settings.SIGAP_DEPLOYMENT_REGION
    phases = list(ElectionPhase.objects.filter(region__code=city).order_by("starts_on"))
    now_phase = next((p for p in phases if p.starts_on <= today <= p.ends_on), None)
    voting = [p for p in phases if p.kind == "pemungutan"]
    upcoming = next((p for p in voting if p.starts_on >= today), None)
    last = voting[-1] if voting else None
    target = upcoming or last
    return {
        "phase": now_phase,
        "voting": target,
        "days_to_voting": (target.starts_on - today).days if target else None,
        "days_after_voting": (today - target.starts_on).days if target else None,
    }


def mediation_counts(user: Any) -> list[tuple[str, int]]:
    counts = dict(Mediation.objects.visible_to(user).values_list("status").annotate(n=Count("id")))
    return [(str(s.label), counts.get(s.value, 0)) for s in MediationStatus]


# ---- Warning-response gap ----------------------------------------------------------------------------------------


def response_times(filters: Filters, user: Any, now: datetime | None = None) -> dict[str, list[metrics.StageSummary]]:
    """Time to verify (per category), and to acknowledge, act and resolve (per lead organisation), in the period."""
    now = now or timezone.now()
    labels = dict(Category.choices)
    verified = filters.incidents(
        Incident.objects.visible_to(user).filter(status__in=COUNTED, verified_at__isnull=False)
    ).values_list("category", "first_received_at", "verified_at", "verification_due_at")
    verify = [
        metrics.Span(str(labels.get(cat, cat)), received, done, due)
        for cat, received, done, due in verified
        if received is not None
    ]
    lo, hi = filters.bounds()
    cases = Case.objects.visible_to(user).filter(opened_at__gte=lo, opened_at__lt=hi)
    if filters.kecamatan:
        cases = cases.filter(region__code__startswith=f"{filters.kecamatan}.")
    if filters.category:
        cases = cases.filter(incidents__category=filters.category).distinct()
    rows = list(
        cases.values_list(
            "lead_organisation__short_name",
            "lead_organisation__name",
            "disposed_at",
            "acknowledged_at",
            "ack_due_at",
            "first_action_at",
            "act_due_at",
            "opened_at",
            "resolved_at",
            "resolve_due_at",
        )
    )
    ack, act, resolve = [], [], []
    for short, name, disposed, acked, ack_due, acted, act_due, opened, resolved, resolve_due in rows:
        org = short or name
        ack.append(metrics.Span(org, disposed, acked, ack_due))
        act.append(metrics.Span(org, disposed, acted, act_due))
        resolve.append(metrics.Span(org, opened, resolved, resolve_due))
    return {
        "verify": metrics.summarise(verify, now),
        "acknowledge": metrics.summarise(ack, now),
        "first_action": metrics.summarise(act, now),
        "resolve": metrics.summarise(resolve, now),
    }


# Alerts that come before trouble: the engine's (a grave-incident alert follows its incident; a manual one is a
# person's judgement), not merged into another.
ENGINE_ALERTS = ~Q(kind__in=[AlertKind.MANUAL, AlertKind.GRAVE_INCIDENT]) & Q(merged_into=None)
GRAVE = Q(urgency__gte=Urgency.HIGH) | Q(killed__gt=0) | Q(arson_or_looting=True) | Q(vital_object_damaged=True)


def alert_quality(filters: Filters) -> metrics.AlertScore:
    """The engine's alerts raised in the period, scored against the incidents verified later (precision, lead
    time), and the share of the period's incidents an alert in their kelurahan had come before (within the horizon;
    alerts raised up to the horizon before the period count). Three queries; the scoring is metrics.score_alerts."""
    lo, hi = filters.bounds()
    region_ids = filters.region_ids()
    engine = Alert.objects.filter(ENGINE_ALERTS, triggered_at__gte=lo - ALERT_HORIZON, triggered_at__lt=hi)
    areas: dict[int, set[str]] = defaultdict(set)
    for alert_id, region_id in Alert.regions.through.objects.filter(
        alert__in=engine, region_id__in=region_ids
    ).values_list("alert_id", "region_id"):
        areas[alert_id].add(str(region_id))
    alerts = [
        metrics.AlertRow(pk, raised, frozenset(areas[pk]))
        for pk, raised in engine.values_list("pk", "triggered_at")
        if pk in areas
    ]
    counted = Incident.objects.filter(
        status__in=COUNTED, region_id__in=region_ids, occurred_at__gte=lo, occurred_at__lt=hi + ALERT_HORIZON
    )
    if filters.category:
        counted = counted.filter(category=filters.category)
    rows = counted.annotate(grave=ExpressionWrapper(GRAVE, output_field=BooleanField())).values_list(
        "pk", "occurred_at", "region_id", "grave"
    )
    incidents = [
        metrics.IncidentRow(pk, at, str(region), bool(grave))
        for pk, at, region, grave in rows.iterator(chunk_size=5000)
        if at is not None
    ]
    in_period = [i for i in incidents if i.occurred_at < hi]
    precision = metrics.score_alerts([a for a in alerts if a.raised_at >= lo], incidents, ALERT_HORIZON)
    warned = metrics.score_alerts(alerts, in_period, ALERT_HORIZON)
    return metrics.AlertScore(
        alerts=precision.alerts,
        confirmed=precision.confirmed,
        median_lead_hours=precision.median_lead_hours,
        incidents=warned.incidents,
        warned=warned.warned,
        grave_incidents=warned.grave_incidents,
        grave_warned=warned.grave_warned,
    )

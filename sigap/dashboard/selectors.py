"""Reads behind the leadership dashboard, the situation report and the exports. Each function runs a fixed number
of queries whatever the amount of data (aggregates in the database, prefetches for the few rows shown)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek
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

    def incidents(self, base: QuerySet[Incident] | None = None) -> QuerySet[Incident]:
        lo, hi = self.bounds()
        rows = (base if base is not None else Incident.objects.all()).filter(
            occurred_at__gte=lo, occurred_at__lt=hi, region__code__startswith=f"{self.area_code}."
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
    """Verified incidents per week and category in the period (one grouped query)."""
    rows = (
        filters.incidents(Incident.objects.visible_to(user).filter(status__in=COUNTED))
        .annotate(week=TruncWeek("occurred_at"))
        .values("week", "category")
        .annotate(n=Count("id"))
    )
    table: dict[str, dict[date, int]] = defaultdict(dict)
    weeks: set[date] = set()
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        weeks.add(week)
        table[row["category"]][week] = row["n"]
    ordered = sorted(weeks)
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
    verified = (
        filters.incidents(Incident.objects.visible_to(user).filter(status__in=COUNTED, verified_at__isnull=False))
        .annotate(received=Min("reports__received_at"))
        .values_list("category", "received", "verified_at", "verification_due_at")
    )
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
    """The engine's alerts raised in the period, scored against incidents verified later (precision, lead time),
    and the share of the period's incidents an alert in their kelurahan had come before (within the horizon).
    The same definitions as `metrics.score_alerts`, computed by the database (a year of incidents stays there)."""
    lo, hi = filters.bounds()
    area = f"{filters.area_code}."
    counted = Incident.objects.filter(status__in=COUNTED, region__code__startswith=area)
    if filters.category:
        counted = counted.filter(category=filters.category)
    first_after = counted.filter(
        region__alerts=OuterRef("pk"),
        occurred_at__gt=OuterRef("triggered_at"),
        occurred_at__lte=OuterRef("triggered_at") + ALERT_HORIZON,
    ).order_by("occurred_at")
    alerts = (
        Alert.objects.filter(ENGINE_ALERTS, triggered_at__gte=lo, triggered_at__lt=hi)
        .filter(pk__in=Alert.objects.filter(regions__code__startswith=area).values("pk"))
        .annotate(first=Subquery(first_after.values("occurred_at")[:1]))
        .values_list("triggered_at", "first")
    )
    leads = sorted((first - raised).total_seconds() / 3600 for raised, first in alerts if first is not None)
    total_alerts = len(alerts)
    before = Alert.objects.filter(
        ENGINE_ALERTS,
        regions=OuterRef("region_id"),
        triggered_at__lt=OuterRef("occurred_at"),
        triggered_at__gte=OuterRef("occurred_at") - ALERT_HORIZON,
    )
    warned = Q(had_alert=True)
    stats = (
        counted.filter(occurred_at__gte=lo, occurred_at__lt=hi)
        .annotate(had_alert=Exists(before))
        .aggregate(
            incidents=Count("id"),
            warned=Count("id", filter=warned),
            grave=Count("id", filter=GRAVE),
            grave_warned=Count("id", filter=GRAVE & warned),
        )
    )
    return metrics.AlertScore(
        alerts=total_alerts,
        confirmed=len(leads),
        median_lead_hours=round(float(np.median(leads)), 1) if leads else None,
        incidents=stats["incidents"],
        warned=stats["warned"],
        grave_incidents=stats["grave"],
        grave_warned=stats["grave_warned"],
    )

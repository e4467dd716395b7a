"""Reads behind the leadership dashboard, the situation report and the exports. Each function runs a fixed number
of queries whatever the amount of data (aggregates in the database, prefetches for the few rows shown)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from sigap.alerts.choices import AlertKind
from sigap.alerts.models import Alert
from sigap.cases.models import Case as ResponseCase
from sigap.core.dbfunctions import EpochSeconds
from sigap.dashboard import metrics
from sigap.dashboard.columns import (
    ALERT_HORIZON,
    EPOCH_DAY,
    IncidentColumns,
    flag,
    period_incidents,
    raw_rows,
)
from sigap.intake.models import ResolutionAnswer
from sigap.mediation.choices import MediationStatus
from sigap.mediation.models import Mediation, Taskforce
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.models import AreaRisk, ElectionPhase
from sigap.risk.selectors import latest_day
from sigap.triage.choices import Category, IncidentStatus
from sigap.triage.models import Incident

# 1970-01-01 was a Thursday: (days since the epoch + 3) % 7 is the weekday, Monday 0.
EPOCH_WEEKDAY = 3


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


def incident_columns(filters: Filters, user: Any, now: datetime | None = None) -> IncidentColumns:
    """The period's verified incidents the user may see, in the area and category, as columns (one query)."""
    lo, hi = filters.bounds()
    base = Incident.objects.visible_to(user).filter(region_id__in=filters.region_ids())
    if filters.category:
        base = base.filter(category=filters.category)
    return period_incidents(base, lo, hi, now or timezone.now())


def weekly_by_category(table: IncidentColumns) -> tuple[list[date], list[tuple[str, list[int]]]]:
    """Verified incidents per local week (from Monday) and category in the period, the busiest category first."""
    days = table.local_day[table.in_period]
    weeks = days - (days + EPOCH_WEEKDAY) % 7
    ordered = np.unique(weeks)
    week_of = np.searchsorted(ordered, weeks)
    counts = np.zeros((len(table.category_names), ordered.size), dtype=np.int64)
    np.add.at(counts, (table.category[table.in_period], week_of), 1)
    labels = dict(Category.choices)
    order = sorted((i for i in range(counts.shape[0]) if counts[i].any()), key=lambda i: -int(counts[i].sum()))
    series = [
        (str(labels.get(table.category_names[i], table.category_names[i])), [int(n) for n in counts[i]]) for i in order
    ]
    return [EPOCH_DAY + timedelta(days=int(d)) for d in ordered], series


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
    """Mediations per status, and the Satgas PKS still at work (formed when the pranata could not settle)."""
    counts = dict(Mediation.objects.visible_to(user).values_list("status").annotate(n=Count("id")))
    rows = [(str(s.label), counts.get(s.value, 0)) for s in MediationStatus]
    return [*rows, (gettext("Satgas PKS at work"), Taskforce.objects.filter(dissolved_on=None).count())]


# ---- Warning-response gap ----------------------------------------------------------------------------------------


def response_times(
    filters: Filters, user: Any, table: IncidentColumns, now: datetime | None = None
) -> dict[str, list[metrics.StageSummary]]:
    """Time to verify (per category), and to acknowledge, act and resolve (per lead organisation), in the period.
    `table` is incident_columns(filters, user, now)."""
    now = now or timezone.now()
    labels = dict(Category.choices)
    verified = table.in_period & ~np.isnan(table.verify_hours)
    lo, hi = filters.bounds()
    cases = ResponseCase.objects.visible_to(user).filter(opened_at__gte=lo, opened_at__lt=hi)
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
        "verify": metrics.summarise_stage(
            [str(labels.get(name, name)) for name in table.category_names],
            table.category[verified],
            table.verify_hours[verified],
            table.verify_state[verified],
        ),
        "acknowledge": metrics.summarise(ack, now),
        "first_action": metrics.summarise(act, now),
        "resolve": metrics.summarise(resolve, now),
    }


@dataclass(frozen=True)
class ResolutionWord:
    """What reporters said in the period of the team's resolutions (sampai tuntas, as they see it)."""

    settled: int
    not_settled: int
    waiting: int  # "not yet" about a resolution still in force that no analyst has answered


def resolution_word(filters: Filters, user: Any) -> ResolutionWord:
    """The reporters' answers given in the period about incidents of the filters' area and category, whenever the
    incidents happened (a resolution often comes weeks after)."""
    lo, hi = filters.bounds()
    incidents = Incident.objects.visible_to(user).filter(region_id__in=filters.region_ids())
    if filters.category:
        incidents = incidents.filter(category=filters.category)
    said = ResolutionAnswer.objects.filter(
        answered_at__gte=lo, answered_at__lt=hi, report__incident__in=incidents.values("pk")
    )
    return ResolutionWord(
        settled=said.filter(settled=True).count(),
        not_settled=said.filter(settled=False).count(),
        waiting=said.disputed().count(),
    )


@dataclass(frozen=True)
class Toll:
    """The human toll and the damage of the verified incidents that happened in the period, as analysts recorded
    them on each incident (what a sitrep leads with, and where recovery starts)."""

    killed: int
    injured: int
    displaced: int
    buildings_damaged: int

    def __bool__(self) -> bool:
        return any((self.killed, self.injured, self.displaced, self.buildings_damaged))


def incident_toll(filters: Filters, user: Any) -> Toll:
    verified = filters.incidents(Incident.objects.visible_to(user)).filter(
        status__in=[IncidentStatus.VERIFIED, IncidentStatus.RESOLVED]
    )
    sums = verified.aggregate(k=Sum("killed"), i=Sum("injured"), d=Sum("displaced"), b=Sum("buildings_damaged"))
    return Toll(sums["k"] or 0, sums["i"] or 0, sums["d"] or 0, sums["b"] or 0)


# Alerts that come before trouble: the engine's (a grave-incident alert follows its incident; a manual one is a
# person's judgement), not merged into another.
ENGINE_ALERTS = ~Q(kind__in=[AlertKind.MANUAL, AlertKind.GRAVE_INCIDENT]) & Q(merged_into=None)


def alert_quality(filters: Filters, table: IncidentColumns) -> metrics.AlertScore:
    """The engine's alerts raised in the period, scored against the incidents verified later (precision, lead
    time), and the share of the period's incidents an alert in their kelurahan had come before (within the horizon;
    alerts raised up to the horizon before the period count). `table` is incident_columns(filters, ...); two more
    queries for the alerts; the scoring is metrics.score_alert_times."""
    lo, hi = filters.bounds()
    engine = Alert.objects.filter(ENGINE_ALERTS, triggered_at__gte=lo - ALERT_HORIZON, triggered_at__lt=hi)
    areas: dict[int, set[int]] = defaultdict(set)
    for alert_id, region_id in Alert.regions.through.objects.filter(
        alert__in=engine, region_id__in=filters.region_ids()
    ).values_list("alert_id", "region_id"):
        areas[alert_id].add(region_id)
    alerts = [
        (pk, raised, bool(recent))
        for pk, raised, recent in raw_rows(
            engine.order_by().values_list("pk", EpochSeconds("triggered_at"), flag(Q(triggered_at__gte=lo)))
        )
        if pk in areas
    ]
    recent = [a for a in alerts if a[2]]
    horizon = ALERT_HORIZON.total_seconds()
    precision = metrics.score_alert_times(
        np.array([a[1] for a in recent], dtype=float),
        [areas[a[0]] for a in recent],
        table.occurred,
        table.region,
        table.grave,
        horizon,
    )
    period = table.in_period
    warned = metrics.score_alert_times(
        np.array([a[1] for a in alerts], dtype=float),
        [areas[a[0]] for a in alerts],
        table.occurred[period],
        table.region[period],
        table.grave[period],
        horizon,
    )
    return metrics.AlertScore(
        alerts=precision.alerts,
        confirmed=precision.confirmed,
        median_lead_hours=precision.median_lead_hours,
        incidents=warned.incidents,
        warned=warned.warned,
        grave_incidents=warned.grave_incidents,
        grave_warned=warned.grave_warned,
    )

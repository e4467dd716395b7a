"""The period's counted incidents as columns of numbers, read in one query.

The dashboard and the situation report draw three figures from the same incidents (counts per week and category,
time to verify, the alerts' score). A year with a million reports is some 400,000 incidents: read once as numbers
(seconds since the epoch, small integers) and aggregated with numpy, not three times as Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from sigap.core.dbfunctions import EpochSeconds, fixed_offset_seconds
from sigap.dashboard import metrics
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.models import Incident

COUNTED = [IncidentStatus.VERIFIED, IncidentStatus.RESOLVED]
# Alerts are scored against incidents in their kelurahan within this horizon.
ALERT_HORIZON = timedelta(days=7)
GRAVE = Q(urgency__gte=Urgency.HIGH) | Q(killed__gt=0) | Q(arson_or_looting=True) | Q(vital_object_damaged=True)
EPOCH_DAY = date(1970, 1, 1)
CATEGORIES = [c.value for c in Category]


@dataclass(frozen=True)
class IncidentColumns:
    """Verified (or resolved) incidents from the start of the period to the alert horizon after its end, one
    entry per incident in every array."""

    occurred: np.ndarray  # seconds since the epoch
    local_day: np.ndarray  # days since 1970-01-01 in the deployment's time zone
    region: np.ndarray  # region id
    category: np.ndarray  # index into category_names
    category_names: list[str]  # the categories offered, then any others found in the data
    grave: np.ndarray  # bool: urgency high or critical, or it met the escalation criteria
    in_period: np.ndarray  # bool: occurred before the end of the period (the rest is the alert horizon)
    verify_hours: np.ndarray  # from first receipt to verification; NaN when either is missing
    verify_state: np.ndarray  # metrics.MET / MISSED / NOT_COUNTED for the verification deadline


def flag(condition: Q) -> Case:
    """A condition as 1 or 0, the same column type on every database."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def deadline_state(end: str, due: str, now: datetime) -> Case:
    """metrics.deadline_state in SQL: met, missed (done late, or pending past due) or not counted."""
    done = Q(**{f"{end}__isnull": False})
    return Case(
        When(Q(**{f"{due}__isnull": True}), then=Value(metrics.NOT_COUNTED)),
        When(done & Q(**{f"{end}__lte": F(due)}), then=Value(metrics.MET)),
        When(done | Q(**{f"{due}__lt": now}), then=Value(metrics.MISSED)),
        default=Value(metrics.NOT_COUNTED),
        output_field=IntegerField(),
    )


def raw_rows(rows: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """A values_list query's rows as the database driver returns them. Only for columns the driver already gives as
    Python numbers and strings (no datetimes, decimals or booleans): it skips Django's per-value converters, which
    cost more than the query on a year of rows."""
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    out: list[tuple[Any, ...]] = []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(20000):
            out.extend(chunk)
    return out


def local_days(seconds: np.ndarray, zone: tzinfo) -> np.ndarray:
    """Days since 1970-01-01 of each instant in `zone`: arithmetic for a zone of fixed offset, per instant
    otherwise."""
    offset = fixed_offset_seconds(zone)
    if offset is not None:
        return np.floor((seconds + offset) / 86400).astype(np.int64)
    return np.array(
        [(datetime.fromtimestamp(s, zone).date() - EPOCH_DAY).days for s in seconds.tolist()], dtype=np.int64
    )


def period_incidents(base: QuerySet[Incident], lo: datetime, hi: datetime, now: datetime) -> IncidentColumns:
    """`base` (already filtered to the area and category) from lo to the alert horizon after hi, in one query."""
    rows = raw_rows(
        base.filter(status__in=COUNTED, occurred_at__gte=lo, occurred_at__lt=hi + ALERT_HORIZON)
        .order_by()
        .values_list(
            EpochSeconds("occurred_at"),
            "region_id",
            "category",
            flag(GRAVE),
            flag(Q(occurred_at__lt=hi)),
            EpochSeconds("verified_at") - EpochSeconds("first_received_at"),
            deadline_state("verified_at", "verification_due_at", now),
        )
    )
    occurred, region, category, grave, in_period, verify_seconds, verify_state = (
        (list(column) for column in zip(*rows, strict=True)) if rows else ([] for _ in range(7))
    )
    category_index = {value: i for i, value in enumerate(CATEGORIES)}
    for value in sorted(set(category) - set(category_index)):  # no longer offered: counted under its own name
        category_index[value] = len(category_index)
    times = np.array(occurred, dtype=float)
    return IncidentColumns(
        occurred=times,
        local_day=local_days(times, timezone.get_current_timezone()),
        region=np.array(region, dtype=np.int64),
        category=np.fromiter((category_index[c] for c in category), dtype=np.int16, count=len(category)),
        category_names=list(category_index),
        grave=np.array(grave, dtype=bool),
        in_period=np.array(in_period, dtype=bool),
        verify_hours=np.array(verify_seconds, dtype=float) / 3600,  # None (not verified) becomes NaN
        verify_state=np.array(verify_state, dtype=np.int8),
    )

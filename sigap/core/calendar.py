"""The deployment's working-day calendar: the weekdays of SIGAP_WORKWEEK and the PublicHoliday rows."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sigap.core.models import PublicHoliday
from sigap.core.workdays import Calendar

DEFAULT_HOLIDAYS = Path(__file__).resolve().parent / "data" / "holidays-id.csv"


def working_calendar() -> Calendar:
    """Read at each use (a few dozen rows): a holiday an administrator adds counts at once in every process."""
    days = PublicHoliday.objects.values_list("day", flat=True)
    return Calendar.of(set(days), settings.SIGAP_WORKWEEK)


def deadline(start: datetime, working_days: int) -> datetime:
    return working_calendar().deadline(start, working_days, timezone.get_current_timezone())


def holidays_load(path: Path = DEFAULT_HOLIDAYS) -> tuple[int, int]:
    """Add or rename the holidays of a CSV (date,name,kind). Returns (added, updated)."""
    added = updated = 0
    with transaction.atomic(), path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = date.fromisoformat(row["date"].strip())
            _, created = PublicHoliday.objects.update_or_create(
                day=day, defaults={"name": row["name"].strip(), "kind": (row.get("kind") or "national").strip()}
            )
            added += created
            updated += not created
    return added, updated

"""Verified incidents and quiet histories for the risk and alert tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sigap.regions.models import Region
from sigap.risk.models import HistoricalCount
from sigap.triage.choices import Category, IncidentStatus
from sigap.triage.models import Incident

WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2020, 12, 9)
CITY = "35.75"
BUGUL_LOR = "35.75.04.1010"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=WIB)


def verified(region: Region, day: date, *, category: str = Category.BENTROK_PENDUKUNG, **extra: Any) -> Incident:
    """An incident as the analysts' queue leaves it once verified (the risk engine's input)."""
    return Incident.objects.create(
        title=f"Kejadian di {region.name}",
        region=region,
        category=category,
        status=IncidentStatus.VERIFIED,
        occurred_at=at(day),
        verified_at=at(day, 12),
        **extra,
    )


def quiet_history(regions: list[Region], last: date, every: int = 20, days: int = 3 * 364) -> None:
    """One incident every `every` days in each kelurahan for three years: a calm, known baseline."""
    rows = []
    for i, region in enumerate(regions):
        for n in range(i % every, days, every):
            rows.append(
                HistoricalCount(
                    region=region, day=last - timedelta(days=days - n), count=1, weighted=1.0, source="test"
                )
            )
    HistoricalCount.objects.bulk_create(rows)

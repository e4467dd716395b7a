"""Reads of the risk room (no writes)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Max, OuterRef, Subquery

from sigap.regions.models import Region
from sigap.risk.models import AreaRisk


def latest_day(code: str) -> date | None:
    day: date | None = AreaRisk.objects.filter(region__code__startswith=f"{code}.").aggregate(d=Max("day"))["d"]
    return day


def risks_under(code: str, day: date | None = None) -> list[AreaRisk]:
    """The assessment of every kelurahan under `code` on `day` (the latest day assessed when None)."""
    day = day or latest_day(code)
    if day is None:
        return []
    rows = AreaRisk.objects.filter(region__code__startswith=f"{code}.", day=day).select_related("region__parent")
    return list(rows.order_by("-level", "-score", "region__code"))


def risk_history(region_code: str, last: date, days: int = 30) -> list[AreaRisk]:
    first = last - timedelta(days=days - 1)
    rows = AreaRisk.objects.filter(region__code=region_code, day__gte=first, day__lte=last)
    return list(rows.order_by("day"))


def latest_of(regions: Iterable[Region]) -> dict[int, AreaRisk]:
    """Each region's latest assessment, by region id (regions never assessed are left out), in one query."""
    latest_day_of_region = AreaRisk.objects.filter(region=OuterRef("region")).order_by("-day").values("day")[:1]
    rows = AreaRisk.objects.filter(region__in=[r.pk for r in regions], day=Subquery(latest_day_of_region))
    return {risk.region_id: risk for risk in rows}

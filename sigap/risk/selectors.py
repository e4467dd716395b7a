"""Reads of the risk room (no writes)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, OuterRef, Subquery

from sigap.intake.choices import WarningSign
from sigap.intake.models import MonitorCheck
from sigap.intake.services import MONITOR_DAYS
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


def monitor_checks_of(region: Region, last: date, user: Any, days: int = 30) -> list[tuple[MonitorCheck, bool]]:
    """The monitors' checklists of a kelurahan that `user` may read, in the `days` up to `last`, latest first, each
    with whether it weighs in the level of `last` (the latest of its monitor, within MONITOR_DAYS)."""
    return _weighing(MonitorCheck.objects.visible_to(user).filter(region=region), last, days)


def monitor_checks_under(code: str, last: date, user: Any) -> list[tuple[MonitorCheck, bool]]:
    """The checklists of the last MONITOR_DAYS under `code` that `user` may read (the analyst's daily read), latest
    first, each with whether it weighs now."""
    rows = MonitorCheck.objects.visible_to(user).filter(region__code__startswith=f"{code}.")
    return _weighing(rows.select_related("region__parent"), last, MONITOR_DAYS, limit=300)


def _weighing(rows: Any, last: date, days: int, limit: int = 60) -> list[tuple[MonitorCheck, bool]]:
    rows = (
        rows.filter(day__gte=last - timedelta(days=days - 1), day__lte=last)
        .select_related("reporter", "person", "region")
        .order_by("-day", "-at", "-pk")[:limit]
    )
    seen: set[str] = set()
    out = []
    for check in rows:
        weighs = check.monitor_key not in seen and check.day > last - timedelta(days=MONITOR_DAYS)
        seen.add(check.monitor_key)
        out.append((check, weighs))
    return out


@dataclass(frozen=True)
class SignLine:
    sign: str  # the warning sign in words
    kelurahan: int  # how many ticked it at least once in the period
    places: str
    checks: int  # the checklists that ticked it


def signs_in_period(area_code: str, first: date, last: date, user: Any) -> tuple[list[SignLine], int, int]:
    """The warning signs of the monitors' checklists (those `user` may read) sent from `first` to `last` under
    `area_code`, the most widespread first; with the checklists received and the kelurahan that sent any."""

    rows = (
        MonitorCheck.objects.visible_to(user)
        .filter(region__code__startswith=f"{area_code}.", day__gte=first, day__lte=last)
        .values_list("region__name", "signs")
    )
    places: dict[str, set[str]] = defaultdict(set)
    checks: Counter[str] = Counter()
    senders: set[str] = set()
    received = 0
    for name, signs in rows:
        received += 1
        senders.add(name)
        for code in signs:
            places[code].add(name)
            checks[code] += 1
    lines = [
        SignLine(str(WarningSign(code).label), len(names), ", ".join(sorted(names)), checks[code])
        for code, names in places.items()
        if code in WarningSign.values
    ]
    lines.sort(key=lambda line: (-line.kelurahan, -line.checks, line.sign))
    return lines, received, len(senders)

"""What the public page shows: levels and suppressed counts per kecamatan and kelurahan, and the warnings in force.
Never an identity, a note, a title or a point."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from sigap.intake.models import Report
from sigap.public.models import Clarification, PublicWarning
from sigap.public.suppress import suppress_table
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaRisk
from sigap.risk.selectors import latest_day
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident

DAYS = 30


def _label(level: int | None) -> str:
    return str(RiskLevel(level).label) if level is not None else ""


@dataclass
class PublicArea:
    code: str
    name: str
    level: int | None
    reports: str
    verified: str
    resolved: str

    @property
    def level_label(self) -> str:
        return _label(self.level)


@dataclass
class PublicKecamatan:
    code: str
    name: str
    level: int | None  # the highest of its kelurahan
    reports: str
    verified: str
    resolved: str
    kelurahan: list[PublicArea] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return _label(self.level)


@dataclass
class PublicSummary:
    day: date | None
    since: date
    kecamatan: list[PublicKecamatan]
    totals: tuple[str, str, str]
    place: str = ""  # the kab/kota, as people say it: 'Kota Pasuruan', 'Kabupaten Pasuruan'

    @property
    def village_count(self) -> int:
        return sum(len(kec.kelurahan) for kec in self.kecamatan)


def public_summary(today: date | None = None) -> PublicSummary:
    city = settings.SIGAP_DEPLOYMENT_REGION
    day = latest_day(city) or today or timezone.localdate()
    since = day - timedelta(days=DAYS - 1)
    tz = timezone.get_current_timezone()
    lo = datetime.combine(since, time.min, tzinfo=tz)
    hi = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    levels = dict(AreaRisk.objects.filter(day=day, region__code__startswith=f"{city}.").values_list("region", "level"))
    reports = dict(
        Report.objects.filter(received_at__gte=lo, received_at__lt=hi, region__code__startswith=f"{city}.")
        .values_list("region")
        .annotate(n=Count("id"))
    )
    incidents = {
        row["region"]: row
        for row in Incident.objects.filter(occurred_at__gte=lo, occurred_at__lt=hi, region__code__startswith=f"{city}.")
        .values("region")
        .annotate(
            verified=Count("id", filter=Q(status__in=[IncidentStatus.VERIFIED, IncidentStatus.RESOLVED])),
            resolved=Count("id", filter=Q(status=IncidentStatus.RESOLVED)),
        )
    }
    kecamatan = Region.objects.filter(level=Level.KECAMATAN, code__startswith=f"{city}.").defer("boundary")
    kelurahan = Region.objects.filter(level=Level.DESA_KELURAHAN, code__startswith=f"{city}.").defer("boundary")
    by_parent: dict[int, list[Region]] = {}
    for kel in kelurahan.order_by("name"):
        by_parent.setdefault(kel.parent_id or 0, []).append(kel)
    groups = [(kec, by_parent.get(kec.pk, [])) for kec in kecamatan.order_by("code")]
    columns = [
        suppress_table([[reports.get(k.pk, 0) for k in kels] for _, kels in groups]),
        suppress_table([[incidents.get(k.pk, {}).get("verified", 0) for k in kels] for _, kels in groups]),
        suppress_table([[incidents.get(k.pk, {}).get("resolved", 0) for k in kels] for _, kels in groups]),
    ]
    out = []
    for g, (kec, kels) in enumerate(groups):
        areas = [
            PublicArea(k.code, k.name, levels.get(k.pk), *(column.cells[g][i] for column in columns))
            for i, k in enumerate(kels)
        ]
        kec_levels = [a.level for a in areas if a.level is not None]
        out.append(
            PublicKecamatan(
                code=kec.code,
                name=kec.name,
                level=max(kec_levels) if kec_levels else None,
                reports=columns[0].group_totals[g],
                verified=columns[1].group_totals[g],
                resolved=columns[2].group_totals[g],
                kelurahan=areas,
            )
        )
    totals = (columns[0].total, columns[1].total, columns[2].total)
    place = Region.objects.filter(code=city).values_list("name", flat=True).first() or ""
    return PublicSummary(day=day if levels else None, since=since, kecamatan=out, totals=totals, place=place)


# The page's own Cache-Control max-age: a browser or proxy may show it this old anyway.
SUMMARY_SECONDS = 60


def public_summary_recent() -> PublicSummary:
    """public_summary at most a minute old, kept in each process's cache: the page anyone can load (0.6 s with a
    year of a million reports) costs one computation a minute, not one per visitor. Warnings are read fresh."""
    key = f"public-summary:{settings.SIGAP_DEPLOYMENT_REGION}"
    summary = cache.get_or_set(key, public_summary, SUMMARY_SECONDS)
    return summary if isinstance(summary, PublicSummary) else public_summary()


def warnings_in_force(now: datetime | None = None) -> list[PublicWarning]:
    now = now or timezone.now()
    return list(
        PublicWarning.objects.filter(cancelled_at=None, issued_at__lte=now, expires_at__gt=now).prefetch_related(
            "regions"
        )
    )


def warnings_for_feed(now: datetime | None = None) -> list[PublicWarning]:
    """In force, plus those cancelled in the last two days (published as Cancel messages)."""
    now = now or timezone.now()
    recent = now - timedelta(days=2)
    return list(
        PublicWarning.objects.filter(issued_at__lte=now)
        .filter(Q(cancelled_at=None, expires_at__gt=now) | Q(cancelled_at__gte=recent))
        .prefetch_related("regions")
    )


def clarifications_recent(
    now: datetime | None = None, days: int = DAYS, area_code: str | None = None
) -> list[Clarification]:
    """The clarifications in force published in the last `days`, newest first: a rumour is news for weeks at most.
    With `area_code`, those about that area or inside it."""
    now = now or timezone.now()
    rows = Clarification.objects.in_force().filter(published_at__lte=now, published_at__gt=now - timedelta(days=days))
    if area_code is not None:
        rows = rows.filter(Q(region__code=area_code) | Q(region__code__startswith=f"{area_code}."))
    return list(rows.select_related("region")[:20])

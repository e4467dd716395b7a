"""The situation report (laporan situasi) as data: what a Wali Kota takes into a meeting. Rendered as PDF and XLSX
by the modules beside this one; the same data feed both."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone, translation

from sigap.actors.selectors import GroupLine, groups_involved
from sigap.alerts.models import Alert
from sigap.cases.choices import CaseStatus
from sigap.cases.models import Case
from sigap.cases.selectors import breach_board, status_in_force, status_in_words
from sigap.core import audit
from sigap.dashboard import metrics
from sigap.dashboard.selectors import (
    Filters,
    alert_quality,
    incident_columns,
    incident_toll,
    levels_on,
    mediation_counts,
    resolution_word,
    response_times,
)
from sigap.intake.models import Report
from sigap.notify.duty import shift_span
from sigap.notify.models import DutyShift
from sigap.regions.models import Region
from sigap.regions.selectors import village_word
from sigap.risk.choices import RiskLevel
from sigap.risk.mapareas import map_plan
from sigap.risk.selectors import SignLine, signs_in_period
from sigap.risk.words import driver_text
from sigap.sitrep.models import SitrepRecord
from sigap.triage.choices import Category, IncidentStatus
from sigap.triage.models import Incident


@dataclass
class AreaLine:
    code: str
    name: str
    kecamatan: str
    level: int
    score: float
    reasons: list[str]


@dataclass
class MapShape:
    level: int | None  # None: not assessed
    boundary: dict[str, Any]
    stand_in: bool = False  # a kecamatan drawn for its desa without a boundary of their own (risk/mapareas.py)


@dataclass
class HoaxLine:
    decided: str  # dd-mm-yyyy
    kelurahan: str
    what: str  # the clarification's words, or the incident's number and title
    told: str  # what the public was told, in words
    clarified: bool  # a clarification stands (not withdrawn)


@dataclass
class ShiftLine:
    span: str  # dd-mm-yyyy HH.MM - HH.MM
    on_duty: str
    handover: str  # the hand-over as written, or what stands for it


@dataclass
class Sitrep:
    title: str
    area_name: str
    starts_on: date
    ends_on: date
    made_at: datetime
    compared_with: str
    totals: list[tuple[str, int]]
    changes: list[str]
    levels: list[AreaLine]
    by_category: list[tuple[str, int]]
    alerts: list[tuple[int, str, str, str, str]]  # number, level, title, state, areas
    cases: list[tuple[int, str, str, str, str]]  # number, title, lead, status, late stages
    breaches: list[tuple[str, int, int, int]]  # organisation, open cases, late cases, late tasks
    response: dict[str, list[metrics.StageSummary]]
    alert_score: metrics.AlertScore
    mediation: list[tuple[str, int]]
    hoaxes: list[HoaxLine] = field(default_factory=list)
    shifts: list[ShiftLine] = field(default_factory=list)  # the secretariat's duty shifts and their hand-overs
    groups: list[GroupLine] = field(default_factory=list)  # the registry's groups most involved, verified only
    signs: list[SignLine] = field(default_factory=list)  # the field monitors' warning signs of the period
    checklists: tuple[int, int] = (0, 0)  # checklists received, kelurahan that sent any
    status_in_force: str = ""
    status_notes: list[str] = field(default_factory=list)  # its overdue duties and the TNI's help, in words
    audit_anchor: str = ""  # the audit chain's head when the report was made: an outside copy of it
    snapshot: dict[str, Any] = field(default_factory=dict)
    map_shapes: list[MapShape] = field(default_factory=list)  # only with_boundaries
    map_stood_in: int = 0  # desa/kelurahan drawn through their kecamatan
    map_not_drawn: int = 0  # desa/kelurahan with no shape, nor their kecamatan
    village: str = "kelurahan"  # what the area's villages are called: kelurahan, desa or desa/kelurahan

    @property
    def village_title(self) -> str:
        return self.village[:1].upper() + self.village[1:]

    @property
    def elevated(self) -> list[AreaLine]:
        return [a for a in self.levels if a.level >= RiskLevel.SIAGA]


def _snapshot(levels: list[AreaLine], alerts: list[Alert], cases: list[Case]) -> dict[str, Any]:
    return {
        "levels": {a.code: a.level for a in levels},
        "names": {a.code: a.name for a in levels},
        "alerts": sorted(a.pk for a in alerts),
        "cases": sorted(c.pk for c in cases),
    }


def _changes(
    before: dict[str, Any], now: dict[str, Any], alerts: dict[int, Alert], cases: dict[int, Case]
) -> list[str]:
    """In words: level changes, new and closed alerts, new and resolved cases."""
    out = []
    names = {**before.get("names", {}), **now["names"]}
    for code, level in sorted(now["levels"].items(), key=lambda kv: -kv[1]):
        old = before.get("levels", {}).get(code)
        if old is not None and old != level:
            arrow = "naik" if level > old else "turun"
            out.append(f"{names.get(code, code)}: {arrow} dari {RiskLevel(old).label} ke {RiskLevel(level).label}")
    new_alerts = set(now["alerts"]) - set(before.get("alerts", []))
    gone_alerts = set(before.get("alerts", [])) - set(now["alerts"])
    out += [f"Peringatan baru #{pk}: {alerts[pk].title}" for pk in sorted(new_alerts) if pk in alerts]
    if gone_alerts:
        out.append(f"{len(gone_alerts)} peringatan ditutup: " + ", ".join(f"#{pk}" for pk in sorted(gone_alerts)))
    new_cases = set(now["cases"]) - set(before.get("cases", []))
    done_cases = set(before.get("cases", [])) - set(now["cases"])
    out += [f"Penanganan baru P-{pk}: {cases[pk].title}" for pk in sorted(new_cases) if pk in cases]
    if done_cases:
        out.append(f"{len(done_cases)} penanganan selesai: " + ", ".join(f"P-{pk}" for pk in sorted(done_cases)))
    return out or ["Tidak ada perubahan tingkat kerawanan, peringatan atau penanganan."]


def _hoaxes(filters: Filters, user: Any, lo: datetime, hi: datetime) -> list[HoaxLine]:
    """The rumours decided untrue in the period, with what the public was told: the clarification's words where one
    was published, otherwise the incident's title."""
    decided = (
        Incident.objects.visible_to(user)
        .filter(status=IncidentStatus.HOAX, closed_at__gte=lo, closed_at__lt=hi)
        .filter(region__code__startswith=f"{filters.area_code}.")
        .select_related("region")
        .prefetch_related("clarifications")
        .order_by("closed_at", "pk")
    )
    rows = []
    for incident in decided:
        latest = max(incident.clarifications.all(), key=lambda c: c.published_at, default=None)
        if latest is None:
            told = "belum diklarifikasi"
        elif latest.withdrawn_at is None:
            told = f"klarifikasi {timezone.localtime(latest.published_at):%d-%m-%Y}"
        else:
            told = f"klarifikasi ditarik {timezone.localtime(latest.withdrawn_at):%d-%m-%Y}"
        what = latest.claim if latest is not None else f"#{incident.pk} {incident.title}"
        day = f"{timezone.localtime(incident.closed_at):%d-%m-%Y}" if incident.closed_at else ""
        kelurahan = incident.region.name if incident.region else ""
        rows.append(HoaxLine(day, kelurahan, what, told, latest is not None and latest.in_force))
    return rows


def _shifts(lo: datetime, hi: datetime) -> list[ShiftLine]:
    """The secretariat's shifts that ended in the period, with their hand-overs: what the posko saw, in its own
    words (city-wide, whatever the report's kecamatan; the report is read by the roles that see the whole city)."""
    shifts = (
        DutyShift.objects.standing()
        .filter(ends_at__gt=lo, ends_at__lte=hi)
        .select_related("user")
        .order_by("starts_at", "pk")
    )
    return [
        ShiftLine(
            shift_span(shift),
            str(shift.user.get_full_name() or shift.user.get_username()),
            shift.handover_note or "(serah terima tidak ditulis)",
        )
        for shift in shifts
    ]


def _resolution_answers(filters: Filters, user: Any) -> list[tuple[str, int]]:
    word = resolution_word(filters, user)
    return [
        ("Pelapor: masalah sudah selesai", word.settled),
        ("Pelapor: masalah belum selesai", word.not_settled),
    ]


def _toll(filters: Filters, user: Any) -> list[tuple[str, int]]:
    toll = incident_toll(filters, user)
    return [
        ("Korban meninggal", toll.killed),
        ("Korban luka", toll.injured),
        ("Warga mengungsi", toll.displaced),
        ("Rumah atau bangunan rusak", toll.buildings_damaged),
    ]


def _audit_anchor() -> str:
    seq, digest = audit.head()
    return f"#{seq} {digest[:16]}"


def build_sitrep(filters: Filters, user: Any, *, with_boundaries: bool = False) -> Sitrep:
    """Everything in Bahasa Indonesia; compared with the previous report of the same area, or with the state at
    the start of the period when there is none."""
    with translation.override("id"):
        return _build(filters, user, with_boundaries)


def _build(filters: Filters, user: Any, with_boundaries: bool) -> Sitrep:
    now = timezone.now()
    lo, hi = filters.bounds()
    area = Region.objects.defer("boundary").get(code=filters.area_code)
    risk_rows = levels_on(filters)
    plan = None
    if with_boundaries and risk_rows:
        desa = Region.objects.filter(pk__in=[r.region_id for r in risk_rows])
        plan = map_plan(desa, {r.region.code: r for r in risk_rows})
    levels = [
        AreaLine(
            code=r.region.code,
            name=r.region.name,
            kecamatan=r.region.parent.name if r.region.parent else "",
            level=r.level,
            score=r.score,
            reasons=[driver_text(d) for d in r.drivers[:3]],
        )
        for r in risk_rows
    ]
    open_alerts = list(
        Alert.objects.visible_to(user)
        .open()
        .filter(regions__code__startswith=f"{filters.area_code}.")
        .distinct()
        .prefetch_related("regions")
        .order_by("-level", "-triggered_at")
    )
    cases = Case.objects.visible_to(user).open().select_related("lead_organisation").order_by("resolve_due_at")
    if filters.kecamatan:
        cases = cases.filter(region__code__startswith=f"{filters.kecamatan}.")
    open_cases = list(cases)
    board = breach_board(user, now)
    late_by_case = {c.pk: stages for row in board for c, stages in row.late_cases_in_words()}
    snapshot = _snapshot(levels, open_alerts, open_cases)
    previous = SitrepRecord.objects.filter(area_code=filters.area_code, made_at__lt=now).order_by("-made_at").first()
    if previous is not None:
        before = previous.snapshot
        compared = f"laporan sebelumnya ({timezone.localtime(previous.made_at):%d-%m-%Y %H:%M})"
    else:
        start_levels = levels_on(Filters(filters.start, filters.start, filters.kecamatan, filters.category))
        before = {
            "levels": {r.region.code: r.level for r in start_levels},
            "alerts": [a.pk for a in open_alerts if a.triggered_at < lo],
            "cases": [c.pk for c in open_cases if c.opened_at < lo],
        }
        compared = f"awal periode ({filters.start:%d-%m-%Y})"
    incidents = filters.incidents(Incident.objects.visible_to(user))
    reports = Report.objects.filter(received_at__gte=lo, received_at__lt=hi).filter(
        region__code__startswith=f"{filters.area_code}."
    )
    table = incident_columns(filters, user, now)
    labels = dict(Category.choices)
    by_category: Counter[str] = Counter()
    for index, n in enumerate(np.bincount(table.category[table.in_period], minlength=len(table.category_names))):
        if n:
            name = table.category_names[index]
            by_category[str(labels.get(name, name))] += int(n)
    in_force = status_in_force(filters.end)
    hoaxes = _hoaxes(filters, user, lo, hi)
    signs, checklists, checked_areas = signs_in_period(filters.area_code, filters.start, filters.end, user)
    return Sitrep(
        title=f"Laporan Situasi {settings.SIGAP_DEPLOYMENT_NAME}",
        area_name=area.name,
        starts_on=filters.start,
        ends_on=filters.end,
        made_at=now,
        audit_anchor=_audit_anchor(),
        compared_with=compared,
        totals=[
            ("Laporan masuk", reports.count()),
            ("Kejadian terverifikasi", int(table.in_period.sum())),
            *_toll(filters, user),
            ("Kejadian selesai ditangani", incidents.filter(status=IncidentStatus.RESOLVED).count()),
            ("Menunggu verifikasi", incidents.filter(status=IncidentStatus.NEW).count()),
            ("Peringatan terbuka", len(open_alerts)),
            ("Penanganan terbuka", len(open_cases)),
            (
                "Penanganan selesai dalam periode",
                Case.objects.visible_to(user)
                .filter(status=CaseStatus.RESOLVED, resolved_at__gte=lo, resolved_at__lt=hi)
                .count(),
            ),
            ("Kabar diputuskan hoaks", len(hoaxes)),
            ("Diklarifikasi kepada masyarakat", sum(h.clarified for h in hoaxes)),
            *_resolution_answers(filters, user),
        ],
        changes=_changes(before, snapshot, {a.pk: a for a in open_alerts}, {c.pk: c for c in open_cases}),
        levels=levels,
        by_category=sorted(by_category.items(), key=lambda kv: -kv[1]),
        alerts=[
            (
                a.pk,
                str(RiskLevel(a.level).label),
                a.title,
                str(a.get_state_display()),
                ", ".join(r.name for r in a.regions.all()),
            )
            for a in open_alerts
        ],
        cases=[
            (
                c.pk,
                c.title,
                str(c.lead_organisation),
                str(c.get_status_display()),
                ", ".join(late_by_case.get(c.pk, [])),
            )
            for c in open_cases
        ],
        breaches=[(str(r.organisation), r.open_cases, len(r.late_cases), len(r.late_tasks)) for r in board],
        response=response_times(filters, user, table, now),
        alert_score=alert_quality(filters, table),
        mediation=mediation_counts(user),
        hoaxes=hoaxes,
        shifts=_shifts(lo, hi),
        groups=groups_involved(incidents),
        signs=signs,
        checklists=(checklists, checked_areas),
        status_in_force=str(in_force) if in_force else "",
        status_notes=status_in_words(in_force, filters.end, min(now, hi)) if in_force else [],
        snapshot=snapshot,
        map_shapes=[
            MapShape(area.risk.level if area.risk else None, area.region.boundary or {}, bool(area.stands_for))
            for area in (plan.areas if plan else [])
        ],
        map_stood_in=plan.stood_in if plan else 0,
        map_not_drawn=plan.not_drawn if plan else 0,
        village=village_word(filters.area_code),
    )


def remember(sitrep: Sitrep, *, filters: Filters, fmt: str, user: Any) -> SitrepRecord:
    return SitrepRecord.objects.create(
        made_by=user if getattr(user, "is_authenticated", False) else None,
        starts_on=sitrep.starts_on,
        ends_on=sitrep.ends_on,
        area_code=filters.area_code,
        format=fmt,
        snapshot=sitrep.snapshot,
    )

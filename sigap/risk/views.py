from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigap.alerts.models import Alert
from sigap.core.forms import form_errors
from sigap.core.roles import ANALYST_ROLES, Role, require_role, role_of
from sigap.intake.choices import GRAVE_SIGNS
from sigap.intake.services import MONITOR_DAYS
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk import mapsvg
from sigap.risk.choices import RiskLevel
from sigap.risk.forms import IndicatorForm, LevelFloorForm, LevelWithdrawForm
from sigap.risk.mapareas import map_plan
from sigap.risk.models import AreaIndicator, LevelFloor
from sigap.risk.network import RECENT_DAYS, network_of, reporter_network
from sigap.risk.selectors import (
    latest_day,
    monitor_checks_of,
    monitor_checks_under,
    risk_history,
    risks_under,
)
from sigap.risk.services import (
    LEVEL_FLOOR_MAX_DAYS,
    LevelFloorError,
    indicator_update,
    level_floor_in_force,
    level_floor_set,
    level_floor_withdraw,
    thresholds,
)
from sigap.risk.words import driver_text
from sigap.triage.models import Incident

VIEWER_ROLES = {Role.ADMIN, Role.ANALYST, Role.LEADERSHIP, Role.RESPONDER, Role.MEDIATOR}


def _require_viewer(request: HttpRequest) -> None:
    require_role(request.user, VIEWER_ROLES)


def _day(request: HttpRequest, code: str) -> date | None:
    try:
        asked = parse_date(request.GET.get("day", ""))
    except ValueError:  # well-formed but impossible, like 2020-02-31
        asked = None
    return asked or latest_day(code)


@login_required
def risk_map(request: HttpRequest) -> HttpResponse:
    """Peta kerawanan: every kelurahan's level, its reasons, and the ladder's thresholds."""
    _require_viewer(request)
    city = get_object_or_404(Region, code=settings.SIGAP_DEPLOYMENT_REGION)
    day = _day(request, city.code)
    rows = risks_under(city.code, day)
    by_code = {r.region.code: r for r in rows}
    kelurahan = list(Region.objects.under(city.code).filter(level=Level.DESA_KELURAHAN))
    plan = map_plan(kelurahan, by_code)
    shapes, view_box = mapsvg.shapes([area.region for area in plan.areas])
    drawn = {area.region.code: area for area in plan.areas}
    counts = {level: sum(1 for r in rows if r.level == level) for level in RiskLevel}
    context: dict[str, Any] = {
        "city": city,
        "day": day,
        "rows": [(r, [driver_text(d) for d in r.drivers]) for r in rows],
        "shapes": [(s, drawn[s.code]) for s in shapes],
        "view_box": view_box,
        "plan": plan,
        "thresholds": thresholds(),
        "counts": [(RiskLevel(level), n) for level, n in counts.items()],
        "open_alerts": Alert.objects.visible_to(request.user).open().count(),
    }
    return render(request, "risk/map.html", context)


@login_required
def network(request: HttpRequest) -> HttpResponse:
    """The reporter network per kelurahan: who can report from each, and where nobody did lately (the blind spots
    that read "Aman" on the map)."""
    _require_viewer(request)
    city = get_object_or_404(Region, code=settings.SIGAP_DEPLOYMENT_REGION)
    rows = reporter_network(city.code, timezone.now())
    context = {
        "city": city,
        "rows": rows,
        "blind": sum(1 for r in rows if r.blind),
        "without_reporter": sum(1 for r in rows if not r.trusted_reporters),
        "days": RECENT_DAYS,
        "can_add_accounts": role_of(request.user) == Role.ADMIN,
    }
    return render(request, "risk/network.html", context)


@login_required
def checks(request: HttpRequest) -> HttpResponse:
    """The field monitors' checklists of the last fortnight across the city (within the reader's area): what the
    analysts read each day beside the report queue, signs of violence being prepared marked."""
    _require_viewer(request)
    city = get_object_or_404(Region, code=settings.SIGAP_DEPLOYMENT_REGION)
    rows = monitor_checks_under(city.code, timezone.localdate(), request.user)
    weighing = [(c, w) for c, w in rows if w and c.signs]
    context = {
        "city": city,
        "rows": rows,
        "areas_with_signs": len({c.region_id for c, _w in weighing}),
        "grave_areas": len({c.region_id for c, _w in weighing if any(s in GRAVE_SIGNS for s in c.signs)}),
        "monitor_days": MONITOR_DAYS,
    }
    return render(request, "risk/checks.html", context)


@login_required
def risk_area(request: HttpRequest, code: str) -> HttpResponse:
    _require_viewer(request)
    region = get_object_or_404(Region.objects.select_related("parent"), code=code, level=Level.DESA_KELURAHAN)
    day = _day(request, code.rsplit(".", 2)[0])
    history = risk_history(code, day, days=30) if day else []
    current = history[-1] if history and history[-1].day == day else None
    indicator = AreaIndicator.objects.filter(region=region).first()
    context: dict[str, Any] = {
        "region": region,
        "day": day,
        "current": current,
        "drivers": [driver_text(d) for d in current.drivers] if current else [],
        "history": history,
        "thresholds": thresholds(),
        "indicator": indicator,
        "alerts": Alert.objects.visible_to(request.user).filter(regions=region).distinct()[:20],
        "incidents": Incident.objects.visible_to(request.user).filter(region=region).order_by("-occurred_at")[:15],
        "can_edit": role_of(request.user) in ANALYST_ROLES,
        "network": network_of(region, timezone.now()),
        "days": RECENT_DAYS,
        # The judgement in force today (the page may show an earlier day: its level says whether one was in force).
        "floor": level_floor_in_force(region, timezone.localdate()),
        "floor_max_days": LEVEL_FLOOR_MAX_DAYS,
        "checks": monitor_checks_of(region, day or timezone.localdate(), request.user),
        "monitor_days": MONITOR_DAYS,
    }
    if context["can_edit"]:
        context["form"] = IndicatorForm(instance=indicator)
        context["floor_form"] = LevelFloorForm()
        context["withdraw_form"] = LevelWithdrawForm()
    return render(request, "risk/area.html", context)


@login_required
@require_POST
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    region = get_object_or_404(Region, code=code, level=Level.DESA_KELURAHAN)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        indicator_update(region=region, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Indicators saved; the level is being assessed again."))
    else:
        errors = "; ".join(
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items() if f in form.fields
        )
        messages.error(request, _("Indicators not saved: %(errors)s") % {"errors": errors})
    return redirect("risk:area", code=code)


@login_required
@require_POST
def level_set(request: HttpRequest, code: str) -> HttpResponse:
    """An analyst sets the kelurahan's level to at least Waspada, Siaga or Awas for a while, saying why."""
    require_role(request.user, ANALYST_ROLES)
    region = get_object_or_404(Region, code=code, level=Level.DESA_KELURAHAN)
    form = LevelFloorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Level not set: %(why)s") % {"why": form_errors(form)})
        return redirect("risk:area", code=code)
    try:
        floor = level_floor_set(region=region, actor=request.user, **form.cleaned_data)
    except LevelFloorError as exc:
        messages.error(request, _("Level not set: %(why)s") % {"why": exc})
    else:
        messages.success(
            request,
            _("%(name)s stands at least at %(level)s until %(until)s; the map and the alerts follow.")
            % {"name": region.name, "level": floor.get_level_display(), "until": date_format(floor.ends_on, "j M Y")},
        )
    return redirect("risk:area", code=code)


@login_required
@require_POST
def level_withdraw(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    floor = get_object_or_404(LevelFloor, pk=pk, region__code=code)
    form = LevelWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not withdrawn: %(why)s") % {"why": form_errors(form)})
        return redirect("risk:area", code=code)
    try:
        level_floor_withdraw(floor=floor, actor=request.user, reason=form.cleaned_data["reason"])
    except LevelFloorError as exc:
        messages.error(request, _("Not withdrawn: %(why)s") % {"why": exc})
    else:
        messages.success(request, _("Withdrawn; the engine's level holds from today."))
    return redirect("risk:area", code=code)

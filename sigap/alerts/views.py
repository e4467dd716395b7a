from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigap.alerts.choices import ORDER, AlertKind, AlertState
from sigap.alerts.forms import MergeForm, OverrideForm, RaiseForm, StepForm
from sigap.alerts.models import Alert
from sigap.alerts.services import AlertStateError, alert_merge, alert_override, alert_raise, alert_transition
from sigap.core.forms import form_errors
from sigap.core.roles import ANALYST_ROLES, Role, require_role, role_of
from sigap.regions.models import Region
from sigap.risk.selectors import latest_of

# Responders and mediators take the first steps of the alerts of their areas; analysts everything.
STEP_ROLES = {Role.ADMIN, Role.ANALYST, Role.RESPONDER, Role.MEDIATOR}


def _alert_for(request: HttpRequest, pk: int) -> Alert:
    if role_of(request.user) is None:
        raise PermissionDenied
    return get_object_or_404(Alert.objects.visible_to(request.user), pk=pk)


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) is None or role_of(request.user) == Role.TRUSTED_REPORTER:
        raise PermissionDenied
    alerts = Alert.objects.visible_to(request.user).prefetch_related("regions")
    context = {
        "open": alerts.open().order_by("-level", "-triggered_at"),
        "closed": alerts.filter(state=AlertState.CLOSED).order_by("-updated_at")[:20],
        "raise_form": RaiseForm() if role_of(request.user) in ANALYST_ROLES else None,
    }
    return render(request, "alerts/list.html", context)


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert_for(request, pk)
    role = role_of(request.user)
    state = AlertState(alert.state)
    next_steps = [] if state == AlertState.CLOSED else [s for s in ORDER[ORDER.index(state) + 1 : -1]]
    context = {
        "alert": alert,
        "events": alert.events.select_related("actor"),
        "incidents": alert.incidents.select_related("region"),
        "regions": _with_latest_level(alert),
        "next_steps": next_steps if role in STEP_ROLES else [],
        "is_analyst": role in ANALYST_ROLES,
        "override_form": OverrideForm(initial={"level": alert.level}),
        "merge_form": MergeForm(),
        "now": timezone.now(),
        "notifications": _notifications_of(alert) if role in ANALYST_ROLES else [],
    }
    return render(request, "alerts/detail.html", context)


def _with_latest_level(alert: Alert) -> list[tuple[Any, Any]]:
    """The alert's areas with their level now: an alert keeps the level it was raised at, and an analyst deciding
    whether to close it needs to see whether its areas have calmed down."""
    regions = list(alert.regions.all())
    latest = latest_of(regions)
    return [(region, latest.get(region.pk)) for region in regions]


def _notifications_of(alert: Alert) -> list[Any]:
    """Who was told and whether it arrived (the notification room, when installed, keeps the outbox)."""
    from django.apps import apps

    if not apps.is_installed("sigap.notify"):
        return []
    notification = apps.get_model("notify", "Notification")
    return list(notification.objects.filter(alert=alert).select_related("channel").order_by("created_at", "id"))


@login_required
@require_POST
def alert_step(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert_for(request, pk)
    role = role_of(request.user)
    if role not in STEP_ROLES:  # before the form: a read-only role learns nothing from its validation
        raise PermissionDenied
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(errors)s") % {"errors": form_errors(form)})
        return redirect("alerts:detail", pk=pk)
    to = AlertState(form.cleaned_data["to"])
    if to == AlertState.CLOSED and role not in ANALYST_ROLES:
        raise PermissionDenied
    try:
        alert_transition(alert=alert, to=to, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Alert is now: %(state)s") % {"state": to.label})
    except AlertStateError:
        if to == AlertState.CLOSED:
            messages.error(request, _("Say why the alert is closed."))
        else:
            messages.error(request, _("That step is not possible from the alert's present state."))
    return redirect("alerts:detail", pk=pk)


@login_required
@require_POST
def alert_override_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    alert = _alert_for(request, pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        alert_override(
            alert=alert, level=form.cleaned_data["level"], actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Level changed."))
    else:
        messages.error(request, _("Not saved: %(errors)s") % {"errors": form_errors(form)})
    return redirect("alerts:detail", pk=pk)


@login_required
@require_POST
def alert_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    source = _alert_for(request, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not merged: %(errors)s") % {"errors": form_errors(form)})
        return redirect("alerts:detail", pk=pk)
    target = Alert.objects.visible_to(request.user).filter(pk=form.cleaned_data["target"]).first()
    if target is None:
        messages.error(request, _("There is no alert #%(n)s.") % {"n": form.cleaned_data["target"]})
        return redirect("alerts:detail", pk=pk)
    try:
        alert_merge(source=source, target=target, actor=request.user, reason=form.cleaned_data["reason"])
    except AlertStateError:
        messages.error(request, _("Merge into another alert that is still open."))
        return redirect("alerts:detail", pk=pk)
    messages.success(request, _("Merged into #%(n)s.") % {"n": target.pk})
    return redirect("alerts:detail", pk=target.pk)


@login_required
@require_POST
def alert_raise_view(request: HttpRequest) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    form = RaiseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alert not raised: %(errors)s") % {"errors": form_errors(form)})
        return redirect("alerts:list")
    data = form.cleaned_data
    alert = alert_raise(
        kind=AlertKind.MANUAL,
        city=get_object_or_404(Region, code=settings.SIGAP_DEPLOYMENT_REGION),
        regions=list(data["regions"]),
        level=data["level"],
        title=data["title"],
        reason=data["reason"],
        at=timezone.now(),
        actor=request.user,
        attach_to_open=False,
    )
    messages.success(request, _("Alert raised."))
    return redirect("alerts:detail", pk=alert.pk)

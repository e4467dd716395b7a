from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from sigap.alerts.models import Alert
from sigap.core.roles import Role, require_role
from sigap.public import cap
from sigap.public.forms import CancelForm, PublishForm
from sigap.public.models import PublicWarning
from sigap.public.selectors import public_summary_recent, warnings_for_feed, warnings_in_force
from sigap.public.services import PublicWarningError, warning_cancel, warning_publish

ANALYST_ROLES = {Role.ADMIN, Role.ANALYST}


@cache_control(public=True, max_age=60)
def public_page(request: HttpRequest) -> HttpResponse:
    """For everyone, no login: levels and counts per kecamatan and kelurahan, and the warnings in force."""
    context = {"summary": public_summary_recent(), "warnings": warnings_in_force()}
    return render(request, "public/page.html", context)


@cache_control(public=True, max_age=60)
def cap_feed(request: HttpRequest) -> HttpResponse:
    body = cap.atom_feed(warnings_for_feed(), self_url=request.build_absolute_uri(), now=timezone.now())
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@cache_control(public=True, max_age=60)
def cap_message(request: HttpRequest, pk: int) -> HttpResponse:
    warning = get_object_or_404(PublicWarning, pk=pk, issued_at__lte=timezone.now())
    body = cap.cap_document(warning, cancel=warning.cancelled_at is not None)
    return HttpResponse(body, content_type="application/cap+xml; charset=utf-8")


@login_required
def publish(request: HttpRequest, alert_pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    alert = get_object_or_404(Alert, pk=alert_pk)
    form = PublishForm(request.POST or None, initial={"level": alert.level})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            warning_publish(
                actor=request.user,
                regions=alert.regions.all(),
                level=d["level"],
                alert=alert,
                headline=d["headline"],
                description=d["description"],
                instruction=d["instruction"],
                hours=d["hours"],
            )
        except PublicWarningError as exc:
            messages.error(request, _("Not published: %(why)s") % {"why": exc})
        else:
            messages.success(request, _("Published on the public page and in the CAP feed."))
            return redirect("alerts:detail", pk=alert.pk)
    return render(request, "public/publish.html", {"form": form, "alert": alert})


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    warning = get_object_or_404(PublicWarning, pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the warning is withdrawn."))
    else:
        try:
            warning_cancel(warning=warning, actor=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Warning withdrawn; the CAP feed carries the cancellation."))
        except PublicWarningError as exc:
            messages.error(request, str(exc))
    return redirect("alerts:detail", pk=warning.alert_id) if warning.alert_id else redirect("public:page")

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from sigap.alerts.models import Alert
from sigap.core.roles import ANALYST_ROLES, require_role
from sigap.notify.services import public_link
from sigap.public import cap
from sigap.public.forms import CancelForm, ClarificationForm, PublishForm, WithdrawForm
from sigap.public.models import Clarification, PublicWarning
from sigap.public.selectors import (
    clarifications_recent,
    public_summary_recent,
    warnings_for_feed,
    warnings_in_force,
)
from sigap.public.services import (
    ClarificationError,
    PublicWarningError,
    clarification_publish,
    clarification_withdraw,
    warning_cancel,
    warning_publish,
)
from sigap.regions.models import Region
from sigap.regions.selectors import deployment_village_word
from sigap.triage.models import Incident

FOLD_VILLAGES = 60  # Kota Pasuruan's 34 kelurahan fit one table; Kabupaten Pasuruan's 365 desa do not


@cache_control(public=True, max_age=60)
def public_page(request: HttpRequest) -> HttpResponse:
    """For everyone, no login: levels and counts per kecamatan and kelurahan, and the warnings in force.

    A kabupaten has hundreds of desa: past FOLD_VILLAGES the table lists the kecamatan, and the one asked for
    (?kecamatan=) with its desa, instead of a phone's length of rows. The suppressed counts are the whole table's,
    so a part of it gives away nothing the whole would not."""
    summary = public_summary_recent()
    folded = summary.village_count > FOLD_VILLAGES
    context = {
        "summary": summary,
        "folded": folded,
        "opened": request.GET.get("kecamatan", "") if folded else "",
        "warnings": warnings_in_force(),
        "clarifications": clarifications_recent(),
    }
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


@cache_control(public=True, max_age=60)
def clarification(request: HttpRequest, pk: int) -> HttpResponse:
    """One clarification for everyone, short enough to forward; once withdrawn (or its incident reopened) it says
    so instead of the finding."""
    found = get_object_or_404(Clarification.objects.select_related("region", "incident"), pk=pk)
    city = Region.objects.filter(code=settings.SIGAP_DEPLOYMENT_REGION).values_list("name", flat=True).first() or ""
    team = f"{settings.SIGAP_DEPLOYMENT_NAME} {city}".strip()
    link = public_link("public:clarification", found.pk)
    share = f"{_('Not true')}: {found.claim}\n{found.finding}\n({team})\n{link}"
    context = {"clarification": found, "share": share, "city": city}
    return render(request, "public/clarification.html", context)


@login_required
def clarification_new(request: HttpRequest, incident_pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=incident_pk)
    form = ClarificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            published = clarification_publish(incident=incident, actor=request.user, **form.cleaned_data)
        except ClarificationError as exc:
            messages.error(request, _("Not published: %(why)s") % {"why": exc})
        else:
            told = _(
                "Published on the public page; its reporters and the trusted reporters of its %(village)s get its link."
            ) % {"village": deployment_village_word()}
            messages.success(request, told)
            return redirect(reverse("triage:incident_detail", args=[incident.pk]) + f"#klarifikasi-{published.pk}")
    return render(request, "public/clarification_new.html", {"form": form, "incident": incident})


@login_required
@require_POST
def clarification_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    found = get_object_or_404(Clarification, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the clarification is withdrawn."))
    else:
        try:
            clarification_withdraw(clarification=found, actor=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Clarification withdrawn; its page says so."))
        except ClarificationError as exc:
            messages.error(request, str(exc))
    if found.incident_id is None:
        return redirect("public:clarification", pk=found.pk)
    return redirect(reverse("triage:incident_detail", args=[found.incident_id]) + f"#klarifikasi-{found.pk}")

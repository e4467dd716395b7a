from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.cases.selectors import task_changes
from sigap.coordination import forms as f
from sigap.coordination import services
from sigap.coordination.choices import PlanPart
from sigap.coordination.models import ContactLog, Decision, Meeting, PlanItem
from sigap.coordination.paper import minutes_pdf
from sigap.coordination.periods import PERIODS, period_of
from sigap.core.documents import documents_for_page, documents_of, uploaded_file
from sigap.core.forms import form_errors, id_param
from sigap.core.roles import STAFF_ROLES, Role, require_role, role_of
from sigap.triage.models import Incident

# Analysts keep the team's records; every staff role reads them. Responders and mediators log their contacts.
KEEPERS = {Role.ADMIN, Role.ANALYST}
CONTACT_WRITERS = {Role.ADMIN, Role.ANALYST, Role.RESPONDER, Role.MEDIATOR}


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    form = f.MeetingForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, KEEPERS)
        if form.is_valid():
            meeting = services.meeting_record(
                meeting=form.save(commit=False),
                actor=request.user,
                organisations=form.cleaned_data["organisations"],
                decisions=form.decision_lines(),
            )
            messages.success(request, _("Meeting recorded."))
            return redirect("coordination:meeting", pk=meeting.pk)
    context = {
        "meetings": Meeting.objects.visible_to(request.user).prefetch_related("decisions")[:100],
        "form": form,
        "can_keep": role_of(request.user) in KEEPERS,
    }
    return render(request, "coordination/meetings.html", context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    decisions = list(meeting.decisions.select_related("task__owner_organisation"))
    changes = task_changes(d.task for d in decisions if d.task is not None)
    context = {
        "meeting": meeting,
        "decisions": [(d, changes.get(d.task_id, []) if d.task_id else []) for d in decisions],
        "task_form": f.DecisionTaskForm(),
        "now": timezone.now(),
        "can_keep": role_of(request.user) in KEEPERS,
        "documents": documents_for_page(meeting, request.user),
    }
    return render(request, "coordination/meeting.html", context)


@login_required
@require_GET
def meeting_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notulen for the chair's and the notulis' signatures, from what was recorded."""
    require_role(request.user, STAFF_ROLES)
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    response = HttpResponse(minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notulen-rapat-{meeting.pk}.pdf"'
    return response


@login_required
@require_POST
def meeting_document(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Add a document to a meeting ("tambah") or remove one with a reason ("hapus"); the secretariat keeps both."""
    require_role(request.user, KEEPERS)
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    try:
        if action == "tambah":
            title, data = request.POST.get("title", ""), uploaded_file(request)
            services.meeting_document_add(meeting=meeting, title=title, data=data, actor=request.user)
            messages.success(request, _("Document added."))
        elif action == "hapus":
            document = get_object_or_404(
                documents_of(meeting).filter(removed_at=None), pk=id_param(request.POST, "document")
            )
            reason = request.POST.get("reason", "")
            services.meeting_document_remove(meeting=meeting, document=document, actor=request.user, reason=reason)
            messages.success(request, _("The document's file was removed; the page keeps who removed it and why."))
        else:
            raise Http404
    except services.CoordinationError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("coordination:meeting", pk=pk)


@login_required
@require_POST
def decision_task(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, KEEPERS)
    decision = get_object_or_404(Decision, pk=pk)
    form = f.DecisionTaskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
    else:
        try:
            services.decision_to_task(
                decision=decision, owner=form.cleaned_data["owner"], due_at=form.cleaned_data["due"], actor=request.user
            )
            messages.success(request, _("Task created; its owner has been told."))
        except services.CoordinationError as exc:
            messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("coordination:meeting", pk=decision.meeting_id)


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    form = f.ContactForm(
        request.POST or None,
        initial={
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "organisation": getattr(request.user, "organisation_id", None),
        },
    )
    if request.method == "POST":
        require_role(request.user, CONTACT_WRITERS)
        if form.is_valid():
            try:
                ids = form.incidents()
                incidents = list(Incident.objects.visible_to(request.user).filter(pk__in=ids))
                services.contact_record(contact=form.save(commit=False), actor=request.user, incidents=incidents)
            except (services.CoordinationError, ValueError) as exc:
                messages.error(request, _("Not saved: %(why)s") % {"why": exc})
            else:
                messages.success(request, _("Contact recorded."))
                return redirect("coordination:contacts")
    log = ContactLog.objects.visible_to(request.user).select_related("organisation").prefetch_related("incidents")
    context = {"log": log[:200], "form": form, "can_write": role_of(request.user) in CONTACT_WRITERS}
    return render(request, "coordination/contacts.html", context)


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    today = timezone.localdate()
    asked = request.GET.get("tahun", "")
    year = int(asked) if asked.isdigit() and 2000 <= int(asked) <= 2100 else today.year
    form = f.PlanItemForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        require_role(request.user, KEEPERS)
        if form.is_valid():
            d = form.cleaned_data
            services.plan_item_add(
                year=d["year"],
                part=PlanPart(d["part"]),
                action=d["action"],
                owner=d["owner"],
                target=d["target"],
                actor=request.user,
            )
            messages.success(request, _("Action added to the plan."))
            return redirect(f"{request.path}?tahun={d['year']}")
    items = PlanItem.objects.visible_to(request.user).filter(year=year).select_related("owner")
    context = {
        "items": items,
        "year": year,
        "form": form,
        "periods": PERIODS,
        "can_keep": role_of(request.user) in KEEPERS,
        "progress_form": f.ProgressForm(initial={"on": today}),
        "current_period": period_of(today),
    }
    return render(request, "coordination/plan.html", context)


@login_required
@require_POST
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, KEEPERS)
    item = get_object_or_404(PlanItem, pk=pk)
    form = f.ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
    else:
        d = form.cleaned_data
        services.plan_progress_record(item=item, on=d["on"], progress=d["progress"], note=d["note"], actor=request.user)
        messages.success(request, _("Progress recorded."))
    return redirect(f"{reverse('coordination:plan')}?tahun={item.year}")


@login_required
def plan_report(request: HttpRequest, year: int, period: str, fmt: str = "html") -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    if period not in PERIODS:
        raise Http404
    report = services.plan_report(year, period)
    title = settings.SIGAP_DEPLOYMENT_NAME
    if fmt == "xlsx":
        response = HttpResponse(
            services.plan_report_xlsx(report, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="RAT-{year}-{period}.xlsx"'
        return response
    return render(request, "coordination/plan_report.html", {"report": report, "title": title})

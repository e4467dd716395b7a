from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigap.actors.selectors import party_suggestions
from sigap.alerts.models import Alert
from sigap.cases import forms as f
from sigap.cases import services
from sigap.cases.choices import CasePhase, CaseStatus, Stage
from sigap.cases.models import TNI_STATES, Case, ConflictStatus, Task, TniAssistance
from sigap.cases.plans import plan_apply, plan_lead, planned_steps, plans_for
from sigap.cases.rules import StatusRuleError
from sigap.cases.selectors import breach_board, status_duties, status_in_force, status_prompts
from sigap.cases.states import CaseTransitionError
from sigap.core.documents import document_removable_by, documents_for_page, documents_of, uploaded_file
from sigap.core.forms import form_errors, id_param
from sigap.core.roles import ANALYST_ROLES, CITYWIDE_ROLES, Role, require_role, role_of
from sigap.triage.models import Incident

CASE_ROLES = {Role.ADMIN, Role.ANALYST, Role.RESPONDER, Role.MEDIATOR, Role.LEADERSHIP}


def _end_of(day: Any) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=timezone.get_current_timezone())


def _late_words(due: datetime | None, late: timedelta | None) -> str:
    return timesince(due, due + late) if due is not None and late is not None else ""


def _case_for(request: HttpRequest, pk: int) -> Case:
    require_role(request.user, CASE_ROLES)
    return get_object_or_404(Case.objects.visible_to(request.user), pk=pk)


def _is_lead(user: Any, case: Case) -> bool:
    return role_of(user) in ANALYST_ROLES or (
        role_of(user) in (Role.RESPONDER, Role.MEDIATOR) and user.organisation_id == case.lead_organisation_id
    )


def _works_on(user: Any, case: Case) -> bool:
    """The lead, a supporting organisation's staff, or an analyst."""
    if _is_lead(user, case):
        return True
    org = getattr(user, "organisation_id", None)
    if org is None or role_of(user) not in (Role.RESPONDER, Role.MEDIATOR):
        return False
    return case.supporting_organisations.filter(pk=org).exists()


CASES_PER_PAGE = 50
TASKS_PER_PAGE = 50


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, CASE_ROLES)
    cases = Case.objects.visible_to(request.user).select_related("lead_organisation", "region")
    show = "resolved" if request.GET.get("status") == "resolved" else "open"
    listed = cases.filter(status=CaseStatus.RESOLVED) if show == "resolved" else cases.open()
    # Resolved cases pile up over the years: a page at a time, the latest deadlines first among them.
    ordered = (
        listed.order_by("-resolve_due_at", "-id") if show == "resolved" else listed.order_by("resolve_due_at", "id")
    )
    page = Paginator(ordered, CASES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "board": breach_board(request.user),
        "now": timezone.now(),
        "sees_statuses": role_of(request.user) in CITYWIDE_ROLES,  # the statuses page is city-wide only
    }
    return render(request, "cases/list.html", context)


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """Opened by an analyst from a verified incident (?incident=) or an alert (?alert=), optionally after the
    response plan agreed for such a case (?plan=): its steps become the case's tasks."""
    require_role(request.user, ANALYST_ROLES)
    source = request.GET if request.method == "GET" else request.POST
    incident = Incident.objects.filter(pk=id_param(source, "incident")).first()
    alert = Alert.objects.filter(pk=id_param(source, "alert")).first()
    if incident is None and alert is None:
        messages.error(request, _("Open a case from a verified incident or an alert."))
        return redirect("cases:list")
    now = timezone.now()
    if alert is not None:
        plans = plans_for(level=alert.level, categories=set(alert.incidents.values_list("category", flat=True)))
        region = alert.regions.order_by("code").first()
    else:
        plans = plans_for(level=None, categories={incident.category} if incident else set())
        region = incident.region if incident else None
    plan = next((p for p in plans if p.pk == id_param(source, "plan")), None)
    steps = planned_steps(plan, region, now) if plan else []
    if request.method == "POST":
        form = f.CaseOpenForm(request.POST)
        chosen = {int(v) for v in request.POST.getlist("step") if v.isdigit()}
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():  # the case and the plan's tasks, or neither
                    case = services.case_open(
                        title=data["title"],
                        lead_organisation=data["lead"],
                        supporting=data["supporting"],
                        phase=CasePhase(data["phase"]),
                        parties=form.party_list(),
                        summary=data["summary"],
                        resolve_by=_end_of(data["resolve_by"]) if data["resolve_by"] else None,
                        incidents=[incident] if incident else [],
                        alerts=[alert] if alert else [],
                        actor=request.user,
                        at=now,
                    )
                    if plan is not None and chosen:
                        plan_apply(case=case, plan=plan, step_ids=chosen, actor=request.user, at=now)
            except services.CaseRuleError as exc:
                messages.error(request, _("Not opened: %(why)s") % {"why": exc})
            else:
                messages.success(request, _("Case opened; the lead organisation has been told."))
                return redirect("cases:detail", pk=case.pk)
    else:
        base = incident or alert
        groups = "\n".join(party_suggestions(incident)) if incident else ""
        initial: dict[str, Any] = {
            "title": getattr(base, "title", ""),
            "parties": groups,
            "summary": getattr(incident, "summary", ""),
        }
        if plan is not None:
            lead = plan_lead(steps)
            initial |= {
                "lead": lead,
                "supporting": sorted({s.owner.pk for s in steps if s.owner is not None and s.owner != lead}),
            }
        form = f.CaseOpenForm(initial=initial)
        chosen = {s.step.pk for s in steps if s.owner is not None}
    context = {
        "form": form,
        "incident": incident,
        "alert": alert,
        "plans": plans,
        "plan": plan,
        "steps": steps,
        "chosen": chosen,
    }
    return render(request, "cases/new.html", context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    now = timezone.now()
    clock = services.case_clock(case)
    context = {
        "case": case,
        "clock": [(Stage(s.stage).label, s, _late_words(s.due_at, s.late_by(now))) for s in clock],
        "tasks": case.tasks.select_related("owner_organisation", "owner_user"),
        "events": case.events.select_related("actor"),
        "incidents": case.incidents.select_related("region"),
        "alerts": case.alerts.all(),
        "supporting": case.supporting_organisations.all(),
        "is_lead": _is_lead(request.user, case),
        "works_on": _works_on(request.user, case),
        "is_analyst": role_of(request.user) in ANALYST_ROLES,
        "task_form": f.TaskForm(initial={"owner": case.lead_organisation_id}),
        "reassign_form": f.ReassignForm(),
        "update_form": f.CaseUpdateForm(
            initial={"phase": case.phase, "resolve_by": timezone.localtime(case.resolve_due_at).date()}
        ),
        "now": now,
        "mediations": _mediations_of(case),
        "documents": documents_for_page(case, request.user),
    }
    return render(request, "cases/detail.html", context)


def _mediations_of(case: Case) -> list[Any]:
    """The mediation room, when installed, links its mediations to cases."""
    from django.apps import apps

    if not apps.is_installed("sigap.mediation"):
        return []
    return list(apps.get_model("mediation", "Mediation").objects.filter(cases=case))


Action = Callable[[HttpRequest, Case], str]


def _act_acknowledge(request: HttpRequest, case: Case) -> str:
    services.case_acknowledge(case=case, actor=request.user)
    return _("Case acknowledged.")


def _act_log(request: HttpRequest, case: Case) -> str:
    form = f.NoteForm(request.POST)
    if not form.is_valid():
        raise services.CaseRuleError(form_errors(form))
    services.case_log_action(case=case, actor=request.user, note=form.cleaned_data["note"])
    return _("Action recorded.")


def _act_task(request: HttpRequest, case: Case) -> str:
    form = f.TaskForm(request.POST)
    if not form.is_valid():
        raise services.CaseRuleError(form_errors(form))
    data = form.cleaned_data
    services.task_add(case=case, title=data["title"], owner=data["owner"], due_at=data["due"], actor=request.user)
    return _("Task added; its owner has been told.")


def _act_propose(request: HttpRequest, case: Case) -> str:
    form = f.NoteForm(request.POST)
    if not form.is_valid():
        raise services.CaseRuleError(_("Write how the problem was settled."))
    services.case_propose_resolution(case=case, actor=request.user, summary=form.cleaned_data["note"])
    return _("Resolution proposed; an analyst will confirm it.")


def _act_confirm(request: HttpRequest, case: Case) -> str:
    form = f.OptionalNoteForm(request.POST)
    form.is_valid()
    services.case_confirm_resolution(case=case, actor=request.user, note=form.cleaned_data.get("note", ""))
    return _("Case resolved.")


def _act_send_back(request: HttpRequest, case: Case) -> str:
    form = f.NoteForm(request.POST)
    if not form.is_valid():
        raise services.CaseRuleError(_("Say what is still missing."))
    services.case_send_back(case=case, actor=request.user, reason=form.cleaned_data["note"])
    return _("Sent back to the lead organisation.")


def _act_reopen(request: HttpRequest, case: Case) -> str:
    form = f.NoteForm(request.POST)
    if not form.is_valid():
        raise services.CaseRuleError(_("Say why the case is reopened."))
    services.case_reopen(case=case, actor=request.user, reason=form.cleaned_data["note"])
    return _("Case reopened.")


def _act_reassign(request: HttpRequest, case: Case) -> str:
    form = f.ReassignForm(request.POST)
    if not form.is_valid():
        raise services.CaseRuleError(form_errors(form))
    services.case_reassign(
        case=case, lead=form.cleaned_data["lead"], actor=request.user, reason=form.cleaned_data["note"]
    )
    return _("Lead organisation changed.")


def _act_update(request: HttpRequest, case: Case) -> str:
    form = f.CaseUpdateForm(request.POST)
    if not form.is_valid():
        raise services.CaseRuleError(form_errors(form))
    data = form.cleaned_data
    services.case_update(
        case=case,
        actor=request.user,
        reason=data["note"],
        phase=CasePhase(data["phase"]),
        resolve_by=_end_of(data["resolve_by"]),
    )
    return _("Saved.")


def _act_link(request: HttpRequest, case: Case) -> str:
    form = f.LinkIncidentForm(request.POST)
    if not form.is_valid():
        raise services.CaseRuleError(form_errors(form))
    incident = Incident.objects.visible_to(request.user).filter(pk=form.cleaned_data["incident"]).first()
    if incident is None:
        raise services.CaseRuleError(_("There is no incident #%(n)s.") % {"n": form.cleaned_data["incident"]})
    services.case_link_incident(case=case, incident=incident, actor=request.user, reason=form.cleaned_data["note"])
    return _("Incident linked.")


def _act_link_alert(request: HttpRequest, case: Case) -> str:
    form = f.LinkAlertForm(request.POST)
    if not form.is_valid():
        raise services.CaseRuleError(form_errors(form))
    alert = Alert.objects.visible_to(request.user).filter(pk=form.cleaned_data["alert"]).first()
    if alert is None:
        raise services.CaseRuleError(_("There is no alert #%(n)s.") % {"n": form.cleaned_data["alert"]})
    services.case_link_alert(case=case, alert=alert, actor=request.user)
    return _("Alert #%(n)s is now answered by this case.") % {"n": alert.pk}


def _act_document_add(request: HttpRequest, case: Case) -> str:
    title, data = request.POST.get("title", ""), uploaded_file(request)
    services.case_document_add(case=case, title=title, data=data, actor=request.user)
    return _("Document added.")


def _act_document_remove(request: HttpRequest, case: Case) -> str:
    document = get_object_or_404(documents_of(case).filter(removed_at=None), pk=id_param(request.POST, "document"))
    if not document_removable_by(document, request.user):
        raise PermissionDenied
    services.case_document_remove(
        case=case, document=document, actor=request.user, reason=request.POST.get("reason", "")
    )
    return _("The document's file was removed; the page keeps who removed it and why.")


# Who may take each step: "lead" (the lead organisation or an analyst), "works" (also supporting organisations),
# "analyst" (the secretariat only).
ACTIONS: dict[str, tuple[str, Action]] = {
    "terima": ("lead", _act_acknowledge),
    "tindakan": ("works", _act_log),
    "tugas": ("lead", _act_task),
    "usul-selesai": ("lead", _act_propose),
    "konfirmasi": ("analyst", _act_confirm),
    "kembalikan": ("analyst", _act_send_back),
    "buka-kembali": ("analyst", _act_reopen),
    "alihkan": ("analyst", _act_reassign),
    "ubah": ("analyst", _act_update),
    "kaitkan": ("analyst", _act_link),
    "kaitkan-peringatan": ("analyst", _act_link_alert),
    "dokumen": ("works", _act_document_add),
    "hapus-dokumen": ("works", _act_document_remove),
}


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = _case_for(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    who, run = ACTIONS[action]
    allowed = {
        "lead": _is_lead(request.user, case),
        "works": _works_on(request.user, case),
        "analyst": role_of(request.user) in ANALYST_ROLES,
    }[who]
    if not allowed:
        raise PermissionDenied
    try:
        messages.success(request, run(request, case))
    except CaseTransitionError:
        messages.error(request, _("That step is not possible from the case's present status."))
    except services.CaseRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def incident_settle_view(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
    require_role(request.user, ANALYST_ROLES)
    form = f.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
        return redirect("triage:incident_detail", pk=pk)
    try:
        services.incident_settle(incident=incident, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Incident resolved; its reporters are told."))
    except services.CaseRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("triage:incident_detail", pk=pk)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, CASE_ROLES)
    tasks = Task.objects.visible_to(request.user).select_related("case", "owner_organisation", "owner_user")
    open_tasks = tasks.open().order_by("due_at", "pk")
    page_number = _page_of_task(open_tasks, id_param(request.GET, "tugas")) or request.GET.get("page")
    context = {
        "page": Paginator(open_tasks, TASKS_PER_PAGE).get_page(page_number),
        "now": timezone.now(),
        "done": tasks.exclude(status="open").order_by("-done_at")[:30],
    }
    return render(request, "cases/tasks.html", context)


def _page_of_task(open_tasks: QuerySet[Task], wanted: int) -> int | None:
    """The page that shows this task (a message's link names the task, not the page: pages move as tasks end)."""
    task = open_tasks.filter(pk=wanted).first() if wanted else None
    if task is None:
        return None
    earlier = Q(due_at__lt=task.due_at) | Q(due_at=task.due_at, pk__lt=task.pk)
    return open_tasks.filter(earlier).count() // TASKS_PER_PAGE + 1


@login_required
@require_POST
def task_finish_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
    if not task.finishable_by(request.user):
        raise PermissionDenied
    form = f.TaskFinishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
    else:
        try:
            services.task_finish(
                task=task, actor=request.user, done=form.cleaned_data["done"], note=form.cleaned_data["note"]
            )
            messages.success(request, _("Task updated."))
        except services.CaseRuleError as exc:
            messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect(_local_next(request) or reverse("cases:tasks"))


@login_required
def task_change_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a task's deadline (its owner, the case's lead, an analyst) or hand it over (the lead, an analyst)."""
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("case", "owner_organisation"), pk=pk)
    back = _task_back(request, task)
    if not task.reschedulable_by(request.user):
        if request.method == "POST":
            raise PermissionDenied
        messages.info(request, _("Only its owner, the case's lead or an analyst changes this task."))
        return redirect(back)
    transfer = task.transferable_by(request.user)
    if task.status != "open":
        messages.info(request, _("The task is already finished"))
        return redirect(back)
    initial = {"due": timezone.localtime(task.due_at), "owner": task.owner_organisation_id}
    form = f.TaskChangeForm(request.POST or None, initial=initial, transfer=transfer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_change(
                task=task, actor=request.user, reason=data["reason"], due_at=data["due"], owner=data.get("owner")
            )
        except services.CaseRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Task changed; those concerned have been told."))
            return redirect(back)
    context = {"task": task, "form": form, "transfer": transfer, "back": back, "now": timezone.now()}
    return render(request, "cases/task_change.html", context)


def _task_back(request: HttpRequest, task: Task) -> str:
    """Where the reader came from (a page inside Sigap), else the task list at the task: an owner outside the case
    may not open the case's page."""
    return _local_next(request) or f"{reverse('cases:tasks')}?tugas={task.pk}#tugas-{task.pk}"


def _local_next(request: HttpRequest) -> str:
    """The `next` page the form names, if it is a path on this site ("/\\evil.example" is not); else ""."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    on_site = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return back if on_site and back.startswith("/") else ""


# ---- Status Keadaan Konflik --------------------------------------------------------------------------------------


@login_required
def status_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, CITYWIDE_ROLES)
    form = f.DeclareForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, ANALYST_ROLES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incidents = list(Incident.objects.filter(pk__in=form.incident_ids()))
                status = services.status_declare(
                    services.Declaration(
                        decree_number=data["decree_number"],
                        reasons=data["reasons"],
                        dprd_consulted_on=data["dprd_consulted_on"],
                        declared_on=data["declared_on"],
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                    ),
                    actor=request.user,
                    incidents=incidents,
                )
            except (StatusRuleError, ValueError) as exc:
                messages.error(request, _("Not recorded: %(why)s") % {"why": exc})
            else:
                messages.success(request, _("Status recorded."))
                return redirect("cases:status_detail", pk=status.pk)
    context = {
        "statuses": ConflictStatus.objects.all(),
        "in_force": status_in_force(),
        "prompts": status_prompts(),
        "form": form,
        "is_analyst": role_of(request.user) in ANALYST_ROLES,
    }
    return render(request, "cases/status_list.html", context)


@login_required
def status_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, CITYWIDE_ROLES)
    status = get_object_or_404(ConflictStatus, pk=pk)
    today = timezone.localdate()
    context = {
        "status": status,
        "state": status.state_on(today),
        "duties": status_duties(status, today),
        "reports": status.reports.all(),
        "events": status.events.select_related("actor"),
        "incidents": status.incidents.all(),
        "taskforces": status.taskforces.all(),
        "is_analyst": role_of(request.user) in ANALYST_ROLES,
        "today": today,
        "now": timezone.now(),
        "extend_form": f.ExtendForm(),
        "revoke_form": f.RevokeForm(),
        "report_form": f.StatusReportForm(initial={"sent_on": today}),
        "funding_form": f.FundingPlanForm(initial={"filed_on": today}),
        "tni_requests": [_tni_card(r, today) for r in status.tni_requests.select_related("status")],
        "tni_form": f.TniRequestForm(initial={"asked_at": timezone.localtime().replace(second=0, microsecond=0)}),
    }
    return render(request, "cases/status_detail.html", context)


def _tni_card(request: TniAssistance, today: date) -> dict[str, Any]:
    """A request for the TNI's help with its state and, per request, the forms of its next steps."""
    state = request.state_on(today)
    auto_id, initial = f"tni{request.pk}-%s", {"request": request.pk}
    return {
        "request": request,
        "state": state,
        "state_label": TNI_STATES[state],
        "letter_form": f.TniLetterForm(auto_id=auto_id, initial=initial),
        "answer_form": f.TniAnswerForm(auto_id=auto_id, initial=initial | {"answered_on": today}),
        "end_form": f.TniEndForm(auto_id=auto_id, initial=initial),
    }


@login_required
@require_POST
def status_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    status = get_object_or_404(ConflictStatus, pk=pk)
    forms_by_action: dict[str, type[Any]] = {
        "perpanjang": f.ExtendForm,
        "cabut": f.RevokeForm,
        "laporan": f.StatusReportForm,
        "biaya": f.FundingPlanForm,
        "tni": f.TniRequestForm,
        "tni-surat": f.TniLetterForm,
        "tni-jawaban": f.TniAnswerForm,
        "tni-selesai": f.TniEndForm,
    }
    if action not in forms_by_action:
        raise PermissionDenied
    form = forms_by_action[action](request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
        return redirect("cases:status_detail", pk=pk)
    d = form.cleaned_data
    tni = get_object_or_404(status.tni_requests, pk=d["request"]) if "request" in d else None
    try:
        if action == "tni":
            ask = services.TniRequest(**{k: v for k, v in d.items()})
            services.tni_request_record(status, ask, actor=request.user)
        elif tni is not None and action == "tni-surat":
            services.tni_letter_record(
                tni,
                sent_at=d["sent_at"],
                letter_number=d["letter_number"],
                copies_to=d["copies_to"],
                actor=request.user,
            )
        elif tni is not None and action == "tni-jawaban":
            services.tni_answer_record(
                tni, answered_on=d["answered_on"], granted=d["granted"], note=d["note"], actor=request.user
            )
        elif tni is not None and action == "tni-selesai":
            services.tni_end_record(tni, ended_on=d["ended_on"], reason=d["note"], actor=request.user)
        elif action == "perpanjang":
            services.status_extend(
                status=status,
                decided_on=d["decided_on"],
                extended_to=d["extended_to"],
                actor=request.user,
                reason=d["note"],
            )
        elif action == "cabut":
            services.status_revoke(status=status, revoked_on=d["revoked_on"], actor=request.user, reason=d["note"])
        elif action == "laporan":
            services.status_report_record(
                status=status,
                sent_on=d["sent_on"],
                letter_number=d["letter_number"],
                summary=d["summary"],
                actor=request.user,
            )
        else:
            services.status_funding_plan_filed(status=status, filed_on=d["filed_on"], actor=request.user)
        messages.success(request, _("Saved."))
    except StatusRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("cases:status_detail", pk=pk)


@login_required
@require_POST
def status_consider_view(request: HttpRequest, incident_pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    incident = get_object_or_404(Incident, pk=incident_pk)
    in_force = status_in_force()
    if request.POST.get("cover") and in_force is not None:
        services.status_cover(incident=incident, status=in_force, actor=request.user)
        messages.success(
            request, _("Incident #%(n)s is handled under %(decree)s.") % {"n": incident.pk, "decree": in_force}
        )
        return redirect("cases:status_list")
    form = f.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why no status is needed."))
    else:
        services.status_consider(incident=incident, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Recorded: no status needed for incident #%(n)s.") % {"n": incident.pk})
    return redirect("cases:status_list")

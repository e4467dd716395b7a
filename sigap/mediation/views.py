from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.actors.models import Actor
from sigap.actors.selectors import party_suggestions
from sigap.cases.models import Case
from sigap.core.documents import document_removable_by, documents_for_page, documents_of, uploaded_file
from sigap.core.forms import form_errors, id_param
from sigap.core.roles import ANALYST_ROLES, CITYWIDE_ROLES, STAFF_ROLES, Role, require_role, role_of
from sigap.mediation import forms as f
from sigap.mediation import services, taskforce
from sigap.mediation.choices import MediationStatus, MemberElement
from sigap.mediation.models import Forum, Mediation, RelapseFlag, Taskforce
from sigap.mediation.paper import (
    AgreementPaper,
    CommitmentLine,
    agreement_paper,
    agreement_pdf,
    recorded_agreement_paper,
)
from sigap.mediation.selectors import status_counts, workload
from sigap.mediation.states import MediationTransitionError
from sigap.triage.models import Incident

# Analysts and mediators run mediations; responders and leadership read them.
MEDIATION_ROLES = {Role.ADMIN, Role.ANALYST, Role.MEDIATOR}


@login_required
def mediation_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    visible = Mediation.objects.visible_to(request.user)
    by_mediator, by_facilitator = workload(visible)
    context = {
        "active": visible.active().select_related("forum", "region"),
        "closed": visible.exclude(pk__in=visible.active()).select_related("forum")[:50],
        "by_mediator": by_mediator,
        "by_facilitator": by_facilitator,
        "counts": status_counts(visible),
        "can_run": role_of(request.user) in MEDIATION_ROLES,
        "sees_taskforces": role_of(request.user) in TASKFORCE_READERS,
        "open_relapses": RelapseFlag.objects.filter(mediation__in=visible, reviewed_at=None).select_related(
            "mediation", "incident"
        ),
    }
    return render(request, "mediation/list.html", context)


@login_required
def forum_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    form = f.ForumForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, MEDIATION_ROLES)
        if form.is_valid():
            return _forum_saved(request, form)
    forums = (
        Forum.objects.visible_to(request.user).prefetch_related("areas", "facilitators").select_related("organisation")
    )
    context = {"forums": forums, "form": form, "can_run": role_of(request.user) in MEDIATION_ROLES}
    return render(request, "mediation/forums.html", context)


@login_required
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A forum's name, areas and facilitators as people come and go (an RT head replaced, a Babinsa moved on)."""
    require_role(request.user, MEDIATION_ROLES)
    forum = get_object_or_404(Forum.objects.visible_to(request.user), pk=pk)
    form = f.ForumForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        return _forum_saved(request, form)
    return render(
        request, "mediation/forum_edit.html", {"forum": forum, "form": form}, status=400 if form.errors else 200
    )


def _forum_saved(request: HttpRequest, form: f.ForumForm) -> HttpResponse:
    """A new or edited forum, with its areas and facilitators, through the service (audited)."""
    services.forum_save(
        forum=form.save(commit=False),
        actor=request.user,
        areas=form.cleaned_data["areas"],
        facilitators=form.cleaned_data["facilitators"],
    )
    messages.success(request, _("Forum saved."))
    return redirect("mediation:forums")


@login_required
def mediation_new(request: HttpRequest) -> HttpResponse:
    require_role(request.user, MEDIATION_ROLES)
    source = request.GET if request.method == "GET" else request.POST
    case = Case.objects.visible_to(request.user).filter(pk=id_param(source, "case")).first()
    incident = Incident.objects.visible_to(request.user).filter(pk=id_param(source, "incident")).first()
    if request.method == "POST":
        form = f.MediationOpenForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            incidents = [incident] if incident else list(case.incidents.all()) if case else []
            try:
                mediation = services.mediation_open(
                    title=d["title"],
                    actor=request.user,
                    parties=[services.PartyInput(n, r) for n, r in form.parties()],
                    forum=d["forum"],
                    region=d["region"],
                    incidents=incidents,
                    cases=[case] if case else [],
                    facilitators=d["facilitators"],
                    mediator=request.user if role_of(request.user) == Role.MEDIATOR else None,
                )
            except services.MediationRuleError as exc:
                messages.error(request, _("Not started: %(why)s") % {"why": exc})
            else:
                messages.success(request, _("Mediation started."))
                return redirect("mediation:detail", pk=mediation.pk)
    else:
        initial: dict[str, Any] = {"title": case.title if case else incident.title if incident else ""}
        parties = case.parties if case else party_suggestions(incident) if incident else []
        for i, name in enumerate(parties[: f.MAX_PARTIES]):
            initial[f"party_{i}"] = name
        if case and case.region_id:
            initial["region"] = case.region_id
        form = f.MediationOpenForm(initial=initial)
    # The registry's names offered while typing a party, so that a group is written the same way each time.
    names = Actor.objects.visible_to(request.user).active().values_list("name", flat=True)
    context = {"form": form, "case": case, "incident": incident, "group_names": list(names)}
    return render(request, "mediation/new.html", context)


@login_required
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    mediation = get_object_or_404(Mediation.objects.visible_to(request.user), pk=pk)
    agreement = mediation.agreement
    context = {
        "m": mediation,
        "replaced_agreements": mediation.agreements.exclude(replaced_at=None).prefetch_related("commitments"),
        "parties": mediation.parties.all(),
        "sessions": mediation.sessions.all(),
        "agreement": agreement,
        "commitments": agreement.commitments.select_related("party") if agreement else [],
        "follow_ups": agreement.follow_ups.select_related("visited_by") if agreement else [],
        "relapses": mediation.relapses.select_related("incident"),
        "events": mediation.events.select_related("actor"),
        "can_run": role_of(request.user) in MEDIATION_ROLES,
        "session_form": f.SessionForm(),
        "record_form": f.SessionRecordForm(),
        "agreement_form": f.AgreementForm(mediation=mediation),
        "follow_up_form": f.FollowUpForm(agreement=agreement) if agreement else None,
        "documents": documents_for_page(mediation, request.user),
        "sees_taskforces": role_of(request.user) in TASKFORCE_READERS,
        "taskforces": mediation.taskforces.all(),
    }
    return render(request, "mediation/detail.html", context)


def _paper_response(paper: AgreementPaper, name: str) -> HttpResponse:
    response = HttpResponse(agreement_pdf(paper), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def agreement_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement form printed for signing, nothing saved: the parties sign the words typed here, and the same
    words are then saved with the form's other button."""
    require_role(request.user, MEDIATION_ROLES)
    mediation = get_object_or_404(Mediation.objects.visible_to(request.user), pk=pk)
    if mediation.status != MediationStatus.IN_SESSION:
        messages.error(request, _("An agreement is drafted while the talks are on."))
        return redirect("mediation:detail", pk=pk)
    form = f.AgreementForm(request.POST, mediation=mediation)
    if not form.is_valid():
        messages.error(request, _("Not printed: %(why)s") % {"why": form_errors(form)})
        return redirect("mediation:detail", pk=pk)
    parties = {str(p.pk): p.name for p in mediation.parties.all()}
    d = form.cleaned_data
    paper = agreement_paper(
        mediation,
        signed_on=d["signed_on"],
        text=d["text"],
        commitments=[CommitmentLine(t, parties.get(p, ""), o, due) for t, p, o, due in form.rows()],
        draft=True,
    )
    return _paper_response(paper, f"draf-kesepakatan-M-{mediation.pk}.pdf")


@login_required
@require_GET
def agreement_paper_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The recorded agreement as the paper the parties signed, for their copies and the archive."""
    require_role(request.user, STAFF_ROLES)
    mediation = get_object_or_404(Mediation.objects.visible_to(request.user), pk=pk)
    agreement = mediation.agreement
    if agreement is None:
        raise Http404
    return _paper_response(recorded_agreement_paper(agreement), f"kesepakatan-M-{mediation.pk}.pdf")


@login_required
@require_POST
def mediation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_role(request.user, MEDIATION_ROLES)
    mediation = get_object_or_404(Mediation.objects.visible_to(request.user), pk=pk)
    try:
        messages.success(request, _run(request, mediation, action))
    except MediationTransitionError:
        messages.error(request, _("That step is not possible from the mediation's present status."))
    except services.MediationRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("mediation:detail", pk=pk)


def _valid(form: Any) -> Any:
    if not form.is_valid():
        raise services.MediationRuleError(form_errors(form))
    return form.cleaned_data


def _run(request: HttpRequest, mediation: Mediation, action: str) -> str:
    user = request.user
    if action == "jadwal":
        d = _valid(f.SessionForm(request.POST))
        services.session_schedule(mediation=mediation, scheduled_at=d["scheduled_at"], venue=d["venue"], actor=user)
        return _("Session scheduled; the followers have been told.")
    if action == "pertemuan":
        session = get_object_or_404(mediation.sessions, pk=id_param(request.POST, "session"))
        d = _valid(f.SessionRecordForm(request.POST))
        services.session_record(
            session=session,
            actor=user,
            attendees=d["attendees"],
            attendee_count=d["attendee_count"],
            women_count=d["women_count"],
            minutes=d["minutes"],
            held_at=d["held_at"],
        )
        return _("Session recorded.")
    if action == "batal-pertemuan":
        session = get_object_or_404(mediation.sessions, pk=id_param(request.POST, "session"))
        services.session_cancel(session=session, actor=user, reason=request.POST.get("reason", ""))
        return _("Session called off; the followers have been told.")
    if action == "kesepakatan":
        form = f.AgreementForm(request.POST, mediation=mediation)
        d = _valid(form)
        parties = {str(p.pk): p for p in mediation.parties.all()}
        services.agreement_record(
            mediation=mediation,
            actor=user,
            signed_on=d["signed_on"],
            text=d["text"],
            signatories=d["signatories"],
            commitments=[services.CommitmentInput(t, o, due, parties.get(p)) for t, p, o, due in form.rows()],
        )
        return _("Agreement recorded; its commitments will be followed up.")
    if action == "tindak-lanjut":
        agreement = mediation.agreement
        if agreement is None:
            raise services.MediationRuleError(_("There is no agreement yet."))
        follow_up = f.FollowUpForm(request.POST, agreement=agreement)
        d = _valid(follow_up)
        services.follow_up_record(
            agreement=agreement, actor=user, visited_on=d["visited_on"], results=follow_up.results(), notes=d["notes"]
        )
        return _("Follow-up recorded.")
    if action in ("gagal", "tarik", "lanjut"):
        d = _valid(f.NoteForm(request.POST))
        if action == "lanjut":
            services.mediation_resume(mediation=mediation, actor=user, note=d["note"])
        else:
            services.mediation_end(mediation=mediation, actor=user, failed=action == "gagal", note=d["note"])
        return _("Saved.")
    if action == "dokumen":
        title, data = request.POST.get("title", ""), uploaded_file(request)
        services.mediation_document_add(mediation=mediation, title=title, data=data, actor=user)
        return _("Document added.")
    if action == "hapus-dokumen":
        document = get_object_or_404(
            documents_of(mediation).filter(removed_at=None), pk=id_param(request.POST, "document")
        )
        if not document_removable_by(document, user):
            raise PermissionDenied
        reason = request.POST.get("reason", "")
        services.mediation_document_remove(mediation=mediation, document=document, actor=user, reason=reason)
        return _("The document's file was removed; the page keeps who removed it and why.")
    if action == "tinjau-kambuh":
        flag = get_object_or_404(mediation.relapses, pk=id_param(request.POST, "flag"))
        d = _valid(f.NoteForm(request.POST))
        services.relapse_review(flag=flag, actor=user, note=d["note"])
        return _("Review recorded.")
    raise PermissionDenied


# ---- Satgas PKS ----------------------------------------------------------------------------------------------------

# The secretariat records the Wali Kota's Satgas; the leadership and the mediators read it.
TASKFORCE_READERS = CITYWIDE_ROLES | {Role.MEDIATOR}
TASKFORCE_WRITERS = ANALYST_ROLES


@login_required
def taskforce_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, TASKFORCE_READERS)
    form = f.TaskforceForm(request.POST or None, initial={"formed_on": timezone.localdate()})
    if request.method == "POST":
        require_role(request.user, TASKFORCE_WRITERS)
        if form.is_valid():
            d = form.cleaned_data
            formation = taskforce.Formation(
                name=d["name"],
                decree_number=d["decree_number"],
                formed_on=d["formed_on"],
                basis=d["basis"],
                mandate=d["mandate"],
                report_due_on=d["report_due_on"],
            )
            try:
                made = taskforce.taskforce_form(
                    formation, actor=request.user, mediations=d["mediations"], conflict_status=d["conflict_status"]
                )
            except taskforce.TaskforceRuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Recorded: %(name)s. Add its members.") % {"name": made.name})
                return redirect("mediation:taskforce_detail", pk=made.pk)
    taskforces = Taskforce.objects.prefetch_related("members")
    context = {
        "taskforces": [(t, taskforce.women_share(t.members.all())) for t in taskforces],
        "form": form,
        "can_write": role_of(request.user) in TASKFORCE_WRITERS,
        "today": timezone.localdate(),
    }
    return render(request, "mediation/taskforces.html", context)


@login_required
def taskforce_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, TASKFORCE_READERS)
    found = get_object_or_404(Taskforce.objects.select_related("conflict_status"), pk=pk)
    order = list(MemberElement.values)  # the government side first, then the community side as the law lists it
    members = sorted(found.members.all(), key=lambda m: (m.left_on is not None, order.index(m.element), m.name))
    today = timezone.localdate()
    context = {
        "taskforce": found,
        "members": members,
        "share": taskforce.women_share(members),
        "talks": found.mediations.filter(pk__in=Mediation.objects.visible_to(request.user).values("pk")),
        "events": found.events.select_related("actor"),
        "can_write": role_of(request.user) in TASKFORCE_WRITERS and found.dissolved_on is None,
        "today": today,
        "member_form": f.MemberForm(initial={"joined_on": today}),
        "report_form": f.FinalReportForm(initial={"sent_on": today}),
        "dissolve_form": f.DissolveForm(initial={"dissolved_on": today}),
    }
    return render(request, "mediation/taskforce_detail.html", context)


@login_required
@require_POST
def taskforce_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_role(request.user, TASKFORCE_WRITERS)
    found = get_object_or_404(Taskforce, pk=pk)
    forms_by_action: dict[str, type[Any]] = {
        "anggota": f.MemberForm,
        "anggota-keluar": f.MemberLeaveForm,
        "laporan-akhir": f.FinalReportForm,
        "bubar": f.DissolveForm,
    }
    if action not in forms_by_action:
        raise PermissionDenied
    form = forms_by_action[action](request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
        return redirect("mediation:taskforce_detail", pk=pk)
    d = form.cleaned_data
    try:
        if action == "anggota":
            taskforce.member_add(found, actor=request.user, **d)
        elif action == "anggota-keluar":
            member = get_object_or_404(found.members, pk=d["member"])
            taskforce.member_leave(member, left_on=d["left_on"], reason=d["note"], actor=request.user)
        elif action == "laporan-akhir":
            taskforce.final_report_record(found, actor=request.user, **d)
        else:
            taskforce.taskforce_dissolve(found, dissolved_on=d["dissolved_on"], note=d["note"], actor=request.user)
        messages.success(request, _("Saved."))
    except taskforce.TaskforceRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("mediation:taskforce_detail", pk=pk)

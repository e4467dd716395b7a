"""Case and Status Keadaan Konflik writes. Every change goes through one function here, which also writes the
timeline row and the audit row, and queues the messages it owes (through the notification outbox)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from sigap.alerts.choices import ORDER, AlertState
from sigap.alerts.models import Alert
from sigap.alerts.services import alert_transition
from sigap.cases import rules
from sigap.cases.choices import CasePhase, CaseStatus, Stage, StatusState, TaskStatus
from sigap.cases.models import (
    Case,
    CaseEvent,
    ConflictStatus,
    ConflictStatusEvent,
    StatusConsideration,
    StatusReport,
    Task,
    TniAssistance,
)
from sigap.cases.selectors import status_duties
from sigap.cases.states import check_transition
from sigap.core.calendar import deadline, working_calendar
from sigap.core.documents import DocumentError, document_discard, document_store
from sigap.core.models import Document
from sigap.core.roles import Role, role_of
from sigap.core.services import audit_record
from sigap.core.workdays import Calendar
from sigap.directory.models import Organisation
from sigap.notify.models import Notification
from sigap.notify.services import (
    Reminder,
    public_link,
    queue_reminders,
    queue_to,
    queue_to_secretariat,
    secretariat,
)
from sigap.regions.models import Region
from sigap.risk.services import city_of
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident
from sigap.triage.services import incident_reopen, incident_transition
from sigap.triage.states import TransitionError

# Only the secretariat's analysts confirm that a case is resolved (closing needs an analyst's confirmation).
CONFIRMING_ROLES = {Role.ADMIN, Role.ANALYST}


class CaseRuleError(ValueError):
    pass


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _event(case: Case, *, at: datetime, actor: Any, verb: str, note: str = "", to_status: str = "") -> None:
    CaseEvent.objects.create(
        case=case,
        at=at,
        actor=actor if _is_user(actor) else None,
        verb=verb,
        from_status=case.status if to_status and verb != "opened" else "",
        to_status=to_status,
        note=note,
    )
    audit_record(actor=actor, action=f"case.{verb}", target=case, details={"to": to_status} if to_status else {})


def _move(case: Case, to: CaseStatus, *, at: datetime, actor: Any, verb: str, note: str = "") -> None:
    check_transition(CaseStatus(case.status), to)
    _event(case, at=at, actor=actor, verb=verb, note=note, to_status=to)
    case.status = to


def _task_link(task: Task) -> str:
    """The task list, where its owner finishes it: an owner outside the case cannot open the case's page."""
    return public_link("cases:tasks") + f"?tugas={task.pk}#tugas-{task.pk}"


def _tell_lead(case: Case, *, key: str, subject: str, body: str, at: datetime) -> None:
    link = public_link("cases:detail", case.pk)
    queue_to(
        organisations=[case.lead_organisation],
        purpose="case",
        subject=f"[Penanganan P-{case.pk}] {subject}",
        body=f"{body}\n\n{case.title}\n{link}",
        key=key,
        at=at,
    )


# ---- Opening and moving a case -----------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    title: str,
    lead_organisation: Organisation,
    actor: Any,
    incidents: Sequence[Incident] = (),
    alerts: Sequence[Alert] = (),
    supporting: Iterable[Organisation] = (),
    phase: CasePhase = CasePhase.PENCEGAHAN,
    summary: str = "",
    parties: Iterable[str] = (),
    resolve_by: datetime | None = None,
    at: datetime | None = None,
) -> Case:
    """Open the response to verified incidents and/or an alert; the lead organisation is told at once."""
    at = at or timezone.now()
    if not incidents and not alerts:
        raise CaseRuleError(gettext("A case answers a verified incident or an alert"))
    unverified = [i.pk for i in incidents if i.status not in (IncidentStatus.VERIFIED, IncidentStatus.RESOLVED)]
    if unverified:
        raise CaseRuleError(
            gettext("Verify the incident first: %(numbers)s") % {"numbers": ", ".join(f"#{pk}" for pk in unverified)}
        )
    region = next((i.region for i in incidents if i.region_id), None)
    if region is None and alerts:
        region = alerts[0].regions.first()
    city = city_of(region) if region is not None else None
    if city is None:
        city = Region.objects.get(code=settings.SIGAP_DEPLOYMENT_REGION)
    case = Case.objects.create(
        title=title[:200],
        summary=summary,
        city=city,
        region=region,
        lead_organisation=lead_organisation,
        phase=phase,
        parties=[p.strip() for p in parties if p.strip()],
        opened_at=at,
        opened_by=actor if _is_user(actor) else None,
        disposed_at=at,
        ack_due_at=deadline(at, settings.SIGAP_CLOCK_ACK_DAYS),
        act_due_at=deadline(at, settings.SIGAP_CLOCK_ACT_DAYS),
        resolve_due_at=resolve_by or deadline(at, settings.SIGAP_CLOCK_RESOLVE_DAYS),
    )
    case.incidents.set(list(incidents))
    case.alerts.set(list(alerts))
    case.supporting_organisations.set([o for o in supporting if o.pk != lead_organisation.pk])
    _event(case, at=at, actor=actor, verb="opened", note=f"{lead_organisation}", to_status=CaseStatus.OPEN)
    for alert in alerts:  # the alert is now being responded to (its state as stored: the caller's copy may be old)
        alert.refresh_from_db(fields=["state"])
        if alert.state != AlertState.CLOSED and ORDER.index(AlertState(alert.state)) < ORDER.index(
            AlertState.RESPONDING
        ):
            alert_transition(alert=alert, to=AlertState.RESPONDING, actor=actor, note=f"Penanganan P-{case.pk}", at=at)
    _tell_lead(
        case,
        key=f"case{case.pk}:opened:o{lead_organisation.pk}",
        subject="Penanganan baru untuk instansi Anda",
        body=(
            f"Instansi Anda memimpin penanganan ini. Mohon diterima paling lambat "
            f"{timezone.localtime(case.ack_due_at):%d-%m-%Y %H:%M} dan tindakan pertama paling lambat "
            f"{timezone.localtime(case.act_due_at):%d-%m-%Y %H:%M}. (Your organisation leads this case.)"
        ),
        at=at,
    )
    return case


@transaction.atomic
def case_reassign(*, case: Case, lead: Organisation, actor: Any, reason: str) -> Case:
    """Another organisation leads; the previous lead keeps supporting. A case nobody has acted on yet starts its
    acknowledgement and first-action clock again for the new lead."""
    case = Case.objects.select_for_update().get(pk=case.pk)  # the caller's copy may be stale
    if case.status == CaseStatus.RESOLVED:
        raise CaseRuleError(gettext("Reopen the case before changing its lead"))
    if not reason.strip():
        raise CaseRuleError(gettext("Say why the lead changes"))
    if lead.pk == case.lead_organisation_id:
        return case
    at = timezone.now()
    previous = case.lead_organisation
    case.supporting_organisations.add(previous)
    case.supporting_organisations.remove(lead)
    case.lead_organisation = lead
    if case.status in (CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED):
        case.disposed_at = at
        case.ack_due_at = deadline(at, settings.SIGAP_CLOCK_ACK_DAYS)
        case.act_due_at = deadline(at, settings.SIGAP_CLOCK_ACT_DAYS)
        case.acknowledged_at = None
        case.acknowledged_by = None
        case.status = CaseStatus.OPEN
    case.save()
    _event(case, at=at, actor=actor, verb="lead_changed", note=f"{previous} \u2192 {lead}: {reason}")
    _tell_lead(
        case,
        key=f"case{case.pk}:opened:o{lead.pk}",
        subject="Penanganan dialihkan ke instansi Anda",
        body=f"Alasan: {reason}",
        at=at,
    )
    return case


@transaction.atomic
def case_acknowledge(*, case: Case, actor: Any, at: datetime | None = None) -> Case:
    at = at or timezone.now()
    case = Case.objects.select_for_update().get(pk=case.pk)
    _move(case, CaseStatus.ACKNOWLEDGED, at=at, actor=actor, verb="acknowledged")
    case.acknowledged_at = at
    case.acknowledged_by = actor if _is_user(actor) else None
    case.save()
    return case


@transaction.atomic
def case_log_action(*, case: Case, actor: Any, note: str, at: datetime | None = None) -> Case:
    """What was done in the field. The first action also acknowledges the case and starts its handling."""
    at = at or timezone.now()
    if not note.strip():
        raise CaseRuleError(gettext("Describe the action"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.RESOLVED:
        raise CaseRuleError(gettext("The case is resolved; reopen it first"))
    if case.status in (CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED):
        if case.acknowledged_at is None:
            case.acknowledged_at = at
            case.acknowledged_by = actor if _is_user(actor) else None
        _move(case, CaseStatus.IN_PROGRESS, at=at, actor=actor, verb="handling_started")
    if case.first_action_at is None:
        case.first_action_at = at
    case.save()
    _event(case, at=at, actor=actor, verb="action", note=note.strip())
    return case


@transaction.atomic
def case_document_add(
    *, case: Case, title: str, data: bytes | None, actor: Any, at: datetime | None = None
) -> Document:
    """A document kept with the case (the berita acara, a letter, photos of the work), on its timeline. A resolved
    case takes one too: the signed papers often come after."""
    at = at or timezone.now()
    try:
        document = document_store(owner=case, title=title, data=data, actor=actor, at=at)
    except DocumentError as exc:
        raise CaseRuleError(str(exc)) from None
    _event(case, at=at, actor=actor, verb="document_added", note=document.title)
    return document


@transaction.atomic
def case_document_remove(
    *, case: Case, document: Document, actor: Any, reason: str, at: datetime | None = None
) -> None:
    at = at or timezone.now()
    try:
        document_discard(document=document, actor=actor, reason=reason, at=at)
    except DocumentError as exc:
        raise CaseRuleError(str(exc)) from None
    _event(case, at=at, actor=actor, verb="document_removed", note=f"{document.title}: {reason.strip()}")


@transaction.atomic
def case_update(
    *,
    case: Case,
    actor: Any,
    reason: str,
    phase: CasePhase | None = None,
    resolve_by: datetime | None = None,
    at: datetime | None = None,
) -> Case:
    """The phase moves on (pencegahan -> penghentian -> pemulihan) or the target date changes, with a reason."""
    case = Case.objects.select_for_update().get(pk=case.pk)  # the caller's copy may be stale
    changes = []
    if phase is not None and phase != case.phase:
        changes.append(f"fase: {CasePhase(case.phase).label} \u2192 {phase.label}")
        case.phase = phase
    if resolve_by is not None and resolve_by != case.resolve_due_at:
        changes.append(f"target selesai: {timezone.localtime(resolve_by):%d-%m-%Y}")
        case.resolve_due_at = resolve_by
    if not changes:
        return case
    case.save()
    _event(case, at=at or timezone.now(), actor=actor, verb="updated", note="; ".join(changes) + f" ({reason})")
    return case


@transaction.atomic
def case_propose_resolution(*, case: Case, actor: Any, summary: str, at: datetime | None = None) -> Case:
    """The lead proposes that the problem is resolved: a summary, and no task left open."""
    at = at or timezone.now()
    if not summary.strip():
        raise CaseRuleError(gettext("A resolution needs a summary of how the problem was settled"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    open_tasks = case.tasks.filter(status=TaskStatus.OPEN).count()
    if open_tasks:
        raise CaseRuleError(
            ngettext(
                "%(n)d task still open: finish or cancel it first",
                "%(n)d tasks still open: finish or cancel them first",
                open_tasks,
            )
            % {"n": open_tasks}
        )
    _move(case, CaseStatus.RESOLUTION_PROPOSED, at=at, actor=actor, verb="resolution_proposed", note=summary.strip())
    case.resolution_summary = summary.strip()
    case.resolution_proposed_at = at
    case.resolution_proposed_by = actor if _is_user(actor) else None
    case.save()
    queue_to_secretariat(
        purpose="case",
        subject=f"[Penanganan P-{case.pk}] Usul selesai menunggu konfirmasi",
        body=f"{summary.strip()}\n\n{public_link('cases:detail', case.pk)}",
        key=f"case{case.pk}:proposed:{at.isoformat()}",
        at=at,
    )
    return case


@transaction.atomic
def case_confirm_resolution(*, case: Case, actor: Any, note: str = "", at: datetime | None = None) -> Case:
    """An analyst confirms: the case is resolved and its verified incidents too (their reporters are told)."""
    at = at or timezone.now()
    if role_of(actor) not in CONFIRMING_ROLES:
        raise CaseRuleError(gettext("Only an analyst confirms that a case is resolved"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    _move(case, CaseStatus.RESOLVED, at=at, actor=actor, verb="resolved", note=note.strip())
    case.resolved_at = at
    case.resolved_by = actor
    case.save()
    for incident in case.incidents.filter(status=IncidentStatus.VERIFIED):
        incident_transition(incident=incident, to=IncidentStatus.RESOLVED, actor=actor, note=f"P-{case.pk}", at=at)
    return case


@transaction.atomic
def incident_settle(*, incident: Incident, actor: Any, note: str) -> Incident:
    """A verified incident settled without a case (a lurah's musyawarah, a rumour answered by a statement): an
    analyst resolves it, saying how; its reporters are told. Without this a small problem could only stay open or
    be given a case of its own. One that an unresolved case handles is resolved with that case."""
    if role_of(actor) not in CONFIRMING_ROLES:
        raise CaseRuleError(gettext("Only an analyst resolves an incident"))
    if not note.strip():
        raise CaseRuleError(gettext("Say how the problem was settled"))
    handling = [f"P-{pk}" for pk in incident.cases.exclude(status=CaseStatus.RESOLVED).values_list("pk", flat=True)]
    if handling:
        reason = gettext("Case %(cases)s handles this incident; it is resolved with the case")
        raise CaseRuleError(reason % {"cases": ", ".join(handling)})
    try:  # the transition reads the incident again, locked: another analyst may have decided it meanwhile
        return incident_transition(
            incident=incident, to=IncidentStatus.RESOLVED, actor=actor, note=f"Selesai tanpa penanganan: {note.strip()}"
        )
    except TransitionError:
        raise CaseRuleError(gettext("Only a verified incident is resolved")) from None


@transaction.atomic
def case_send_back(*, case: Case, actor: Any, reason: str) -> Case:
    if role_of(actor) not in CONFIRMING_ROLES:
        raise CaseRuleError(gettext("Only an analyst sends a proposed resolution back"))
    if not reason.strip():
        raise CaseRuleError(gettext("Say what is still missing"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    _move(case, CaseStatus.IN_PROGRESS, at=timezone.now(), actor=actor, verb="resolution_returned", note=reason)
    case.resolution_proposed_at = None
    case.save()
    _tell_lead(
        case,
        key=f"case{case.pk}:returned:{timezone.now().isoformat()}",
        subject="Usul selesai dikembalikan",
        body=f"Yang masih kurang: {reason}",
        at=timezone.now(),
    )
    return case


@transaction.atomic
def case_reopen(*, case: Case, actor: Any, reason: str, at: datetime | None = None) -> Case:
    """The problem came back: the case is handled again, with a fresh resolution target, and its resolved incidents
    are open again (else they would stay out of the area's risk and off the responders' queues while the case runs)."""
    at = at or timezone.now()
    if not reason.strip():
        raise CaseRuleError(gettext("Say why the case is reopened"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    _move(case, CaseStatus.IN_PROGRESS, at=at, actor=actor, verb="reopened", note=reason)
    case.resolved_at = None
    case.resolution_proposed_at = None
    case.times_reopened += 1
    case.resolve_due_at = deadline(at, settings.SIGAP_CLOCK_RESOLVE_DAYS)
    case.save()
    for incident in case.incidents.filter(status=IncidentStatus.RESOLVED):
        incident_reopen(incident=incident, actor=actor, reason=f"P-{case.pk} dibuka kembali: {reason.strip()}", at=at)
    _tell_lead(
        case,
        key=f"case{case.pk}:reopened:{case.times_reopened}",
        subject="Penanganan dibuka kembali",
        body=reason,
        at=at,
    )
    return case


@transaction.atomic
@transaction.atomic
def case_link_alert(*, case: Case, alert: Alert, actor: Any, at: datetime | None = None) -> Case:
    """An alert raised where a case is already at work is answered by that case, not by a second one: the case
    carries the alert, and the alert is being responded to (as when a case is opened from it)."""
    at = at or timezone.now()
    alert.refresh_from_db(fields=["state"])
    if case.status == CaseStatus.RESOLVED:
        raise CaseRuleError(gettext("The case is resolved: open a new one for the alert"))
    if alert.state == AlertState.CLOSED:
        raise CaseRuleError(gettext("The alert is closed"))
    if case.alerts.filter(pk=alert.pk).exists():
        return case
    case.alerts.add(alert)
    _event(case, at=at, actor=actor, verb="alert_linked", note=f"#{alert.pk} {alert.title}")
    if ORDER.index(AlertState(alert.state)) < ORDER.index(AlertState.RESPONDING):
        alert_transition(alert=alert, to=AlertState.RESPONDING, actor=actor, note=f"Penanganan P-{case.pk}", at=at)
    audit_record(actor=actor, action="case.alert_linked", target=case, details={"alert": alert.pk})
    return case


def cases_for_alert(alert: Alert) -> list[Case]:
    """Open cases that may already answer this alert: in its kelurahan, or about its incidents; not yet linked."""
    regions = list(alert.regions.values_list("pk", flat=True))
    incidents = list(alert.incidents.values_list("pk", flat=True))
    near = Case.objects.open().filter(Q(region__in=regions) | Q(incidents__in=incidents)).exclude(alerts=alert)
    return list(near.distinct().select_related("lead_organisation").order_by("-opened_at"))


def case_link_incident(*, case: Case, incident: Incident, actor: Any, reason: str, at: datetime | None = None) -> Case:
    at = at or timezone.now()
    if case.incidents.filter(pk=incident.pk).exists():
        return case
    case.incidents.add(incident)
    _event(case, at=at, actor=actor, verb="incident_linked", note=f"#{incident.pk} {incident.title}: {reason}")
    return case


# ---- Tasks -------------------------------------------------------------------------------------------------------


@transaction.atomic
def task_add(
    *,
    title: str,
    owner: Organisation,
    due_at: datetime,
    actor: Any,
    case: Case | None = None,
    owner_user: Any = None,
    at: datetime | None = None,
) -> Task:
    at = at or timezone.now()
    if not title.strip():
        raise CaseRuleError(gettext("A task needs a description"))
    if case is not None and case.status == CaseStatus.RESOLVED:
        raise CaseRuleError(gettext("The case is resolved; reopen it first"))
    task = Task.objects.create(
        case=case,
        title=title.strip()[:300],
        owner_organisation=owner,
        owner_user=owner_user,
        due_at=due_at,
        created_by=actor if _is_user(actor) else None,
    )
    if case is not None:
        _event(case, at=at, actor=actor, verb="task_added", note=f"{task.title} \u2192 {owner}, {_day(due_at)}")
    audit_record(actor=actor, action="task.added", target=task)
    queue_to(
        organisations=[owner],
        users=[owner_user] if owner_user is not None else [],
        purpose="task",
        subject=f"[Tugas] {task.title}"[:200],
        body=f"Tugas untuk {owner}, selesai paling lambat {_day(due_at)}. (A task for your organisation.)\n"
        f"{_task_link(task)}",
        key=f"task{task.pk}:added",
        at=at,
    )
    return task


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M}"


@transaction.atomic
def task_finish(*, task: Task, actor: Any, done: bool, note: str, at: datetime | None = None) -> Task:
    """Done (with what was done) or cancelled (with why)."""
    task = Task.objects.select_for_update().get(pk=task.pk)  # the caller's copy may be stale
    at = at or timezone.now()
    if task.status != TaskStatus.OPEN:
        raise CaseRuleError(gettext("The task is already finished"))
    if not note.strip():
        raise CaseRuleError(gettext("Say what was done") if done else gettext("Say why the task is cancelled"))
    task.status = TaskStatus.DONE if done else TaskStatus.CANCELLED
    task.done_at = at
    task.done_by = actor if _is_user(actor) else None
    task.done_note = note.strip()
    task.save()
    if task.case_id is not None:
        case = task.case
        assert case is not None  # noqa: S101 - narrowed for mypy
        verb = "task_done" if done else "task_cancelled"
        _event(case, at=at, actor=actor, verb=verb, note=f"{task.title}: {task.done_note}")
        if done and case.first_action_at is None and case.status != CaseStatus.RESOLVED:
            case_log_action(case=case, actor=actor, note=f"Tugas selesai: {task.title}", at=at)
    audit_record(actor=actor, action="task.done" if done else "task.cancelled", target=task)
    return task


@transaction.atomic
def task_change(
    *,
    task: Task,
    actor: Any,
    reason: str,
    due_at: datetime | None = None,
    owner: Organisation | None = None,
    at: datetime | None = None,
) -> Task:
    """Move an open task's deadline or hand it to another organisation, with the reason on the case's timeline.

    The first deadline is kept (`first_due_at`), so a task moved again and again still says so. Everyone concerned
    except the actor's own organisation is told: the owner (old and new), and the case's lead. Who may do which is
    the caller's check (`Task.reschedulable_by`, `Task.transferable_by`)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    at = at or timezone.now()
    if task.status != TaskStatus.OPEN:
        raise CaseRuleError(gettext("The task is already finished"))
    if not reason.strip():
        raise CaseRuleError(gettext("Say why the task changes"))
    new_due = due_at if due_at is not None and due_at != task.due_at else None
    new_owner = owner if owner is not None and owner.pk != task.owner_organisation_id else None
    if new_due is None and new_owner is None:
        raise CaseRuleError(gettext("Nothing changed: give another deadline or another organisation"))
    if new_due is not None and new_due <= at:
        raise CaseRuleError(gettext("The new deadline has already passed"))
    previous_owner = task.owner_organisation
    changes = []
    if new_due is not None:
        changes.append(f"batas {_day(task.due_at)} \u2192 {_day(new_due)}")
        task.first_due_at = task.first_due_at or task.due_at
        task.due_at = new_due
    if new_owner is not None:
        changes.append(f"{previous_owner} \u2192 {new_owner}")
        task.owner_organisation = new_owner
        task.owner_user = None  # a person of the old organisation no longer answers for it
    task.save()
    summary = f"{task.title}: {'; '.join(changes)}. {reason.strip()}"
    if task.case is not None:
        verb = "task_handed_over" if new_owner is not None else "task_rescheduled"
        _event(task.case, at=at, actor=actor, verb=verb, note=summary)
    audit_record(
        actor=actor,
        action="task.changed",
        target=task,
        details={"due_at": task.due_at.isoformat(), "owner": task.owner_organisation_id, "reason": reason.strip()},
    )
    _tell_task_changed(task, previous_owner, actor=actor, summary=summary, at=at)
    return task


def _tell_task_changed(task: Task, previous_owner: Organisation, *, actor: Any, summary: str, at: datetime) -> None:
    concerned = {task.owner_organisation, previous_owner}
    if task.case is not None:
        concerned.add(task.case.lead_organisation)
    acting_organisation = getattr(actor, "organisation", None)
    if acting_organisation is not None:
        concerned.discard(acting_organisation)
    if not concerned:
        return
    queue_to(
        organisations=sorted(concerned, key=lambda org: org.pk),
        purpose="task",
        subject=f"[Tugas diubah] {task.title}"[:200],
        body=f"{summary}\nSekarang: {task.owner_organisation}, selesai paling lambat {_day(task.due_at)}. "
        f"(A task was rescheduled or handed over.)\n{_task_link(task)}",
        key=f"task{task.pk}:changed:{at.isoformat()}",
        at=at,
    )


# ---- A new incident about the same parties or place ---------------------------------------------------------------


def _incident_text(incident: Incident) -> str:
    groups = " ".join(g for g in incident.reports.values_list("groups_involved", flat=True) if g)
    return f"{incident.title} {incident.summary} {groups}"


def related_cases(incident: Incident, since: datetime) -> list[tuple[Case, rules.Match]]:
    """Open cases, and cases resolved after `since`, whose parties or place and kind of problem the incident shares."""
    if incident.region is None:
        return []
    city = city_of(incident.region)
    candidates = Case.objects.filter(city=city).filter(Q(resolved_at=None) | Q(resolved_at__gte=since))
    text = _incident_text(incident)
    out = []
    for case in candidates.exclude(incidents=incident).prefetch_related("incidents"):
        places = {case.region.code} if case.region else set()
        places |= {i.region.code for i in case.incidents.all() if i.region}
        categories = {i.category for i in case.incidents.all()}
        match = rules.relates(
            parties=case.parties,
            places=places,
            categories=categories,
            incident_text=text,
            incident_place=incident.region.code,
            incident_category=incident.category,
        )
        if match is not None:
            out.append((case, match))
    return out


def _match_words(match: rules.Match) -> str:
    if match.reason == "parties":
        return f"pihak yang sama ({match.detail})"
    return "tempat dan jenis masalah yang sama"


def incident_changed(incident: Incident, at: datetime) -> None:
    """Hook from triage (after the commit): a newly verified incident joins the open case it concerns, or reopens
    the resolved one (within SIGAP_CASE_REOPEN_DAYS)."""
    if incident.status != IncidentStatus.VERIFIED or Case.objects.filter(incidents=incident).exists():
        return
    since = at - timedelta(days=settings.SIGAP_CASE_REOPEN_DAYS)
    for case, match in related_cases(incident, since):
        reason = f"kejadian baru dengan {_match_words(match)}"
        with transaction.atomic():
            if case.status == CaseStatus.RESOLVED:
                case_reopen(case=case, actor=None, reason=f"#{incident.pk}: {reason}", at=at)
            case_link_incident(case=case, incident=incident, actor=None, reason=reason, at=at)
        return  # the closest (newest) case takes it; others can be linked by hand


# ---- The end-to-end clock ----------------------------------------------------------------------------------------


def case_clock(case: Case) -> list[rules.StageClock]:
    """Receipt -> verification -> disposition -> acknowledgement -> first action -> resolution, with deadlines."""
    incidents = list(case.incidents.all())
    received = [r.received_at for i in incidents for r in i.reports.all()]  # prefetched by the lists
    first_received = min(received) if received else None
    if first_received is None:
        triggered = [a.triggered_at for a in case.alerts.all()]
        first_received = min(triggered) if triggered else case.opened_at
    verified = [i.verified_at for i in incidents if i.verified_at]
    verify_due = [i.verification_due_at for i in incidents if i.verification_due_at]
    return [
        rules.StageClock(Stage.RECEIVED, first_received, None),
        rules.StageClock(Stage.VERIFIED, min(verified) if verified else None, min(verify_due) if verify_due else None),
        rules.StageClock(Stage.DISPOSED, case.disposed_at, None),
        rules.StageClock(Stage.ACKNOWLEDGED, case.acknowledged_at, case.ack_due_at),
        rules.StageClock(Stage.FIRST_ACTION, case.first_action_at, case.act_due_at),
        rules.StageClock(Stage.RESOLVED, case.resolved_at, case.resolve_due_at),
    ]


def _escalation_moment(due: datetime, calendar: Calendar) -> datetime:
    """A breach goes to the secretariat at the end of the next working day after the deadline (a deadline at
    midnight closes the day before it)."""
    return calendar.deadline(due - timedelta(microseconds=1), 1, timezone.get_current_timezone())


def deadlines_due(now: datetime | None = None) -> int:
    """Remind the lead when a case deadline passes and tell the secretariat a working day later; the same for
    tasks and their owners. Idempotent: each reminder once per deadline. Returns messages queued."""
    now = now or timezone.now()
    orgs, users = secretariat()
    secretariat_people = (tuple(orgs), tuple(users))
    calendar = working_calendar()  # once per pass, not once per late stage
    checks = [
        ("ack", "acknowledged_at", "ack_due_at", "Penanganan belum diterima"),
        ("act", "first_action_at", "act_due_at", "Belum ada tindakan pertama"),
        ("resolve", "resolved_at", "resolve_due_at", "Target penyelesaian terlewati"),
    ]
    reminders: list[Reminder] = []
    cases = Case.objects.open().select_related("lead_organisation")
    for case in cases.filter(Q(ack_due_at__lte=now) | Q(act_due_at__lte=now) | Q(resolve_due_at__lte=now)):
        for stage, done_field, due_field, words in checks:
            due = getattr(case, due_field)
            if getattr(case, done_field) is not None or due > now:
                continue
            body = f"{words}: batas {_day(due)}. (Deadline passed.)\n{public_link('cases:detail', case.pk)}"
            key = f"case{case.pk}:{stage}:{due.isoformat()}"
            reminders.append(
                Reminder((case.lead_organisation,), (), "reminder", f"[Terlambat] P-{case.pk} {words}", body, key)
            )
            if _escalation_moment(due, calendar) <= now:
                subject = f"[ESKALASI] P-{case.pk} {words} ({case.lead_organisation})"
                reminders.append(Reminder(*secretariat_people, "escalation", subject, body, f"{key}:esc"))
    for task in Task.objects.open().filter(due_at__lte=now).select_related("owner_organisation", "owner_user"):
        body = f"Tugas lewat batas {_day(task.due_at)}: {task.title}\n{_task_link(task)}"
        key = f"task{task.pk}:late:{task.due_at.isoformat()}"
        owners = (task.owner_user,) if task.owner_user else ()
        reminders.append(
            Reminder((task.owner_organisation,), owners, "reminder", f"[Terlambat] Tugas: {task.title}", body, key)
        )
        if _escalation_moment(task.due_at, calendar) <= now:
            subject = f"[ESKALASI] Tugas terlambat ({task.owner_organisation}): {task.title}"
            reminders.append(Reminder(*secretariat_people, "escalation", subject, body, f"{key}:esc"))
    return queue_reminders(reminders, now)


# ---- Status Keadaan Konflik --------------------------------------------------------------------------------------


def _status_event(status: ConflictStatus, *, actor: Any, verb: str, note: str = "") -> None:
    ConflictStatusEvent.objects.create(
        status=status, at=timezone.now(), actor=actor if _is_user(actor) else None, verb=verb, note=note
    )
    audit_record(actor=actor, action=f"conflict_status.{verb}", target=status)


@dataclass(frozen=True)
class Declaration:
    decree_number: str
    reasons: str
    dprd_consulted_on: date | None
    declared_on: date
    starts_on: date
    ends_on: date


@transaction.atomic
def status_declare(
    declaration: Declaration,
    *,
    actor: Any,
    regions: Iterable[Region] = (),
    incidents: Iterable[Incident] = (),
    cases: Iterable[Case] = (),
) -> ConflictStatus:
    """Record the Wali Kota's declaration (the rules of UU 7/2012 are checked); the incidents whose escalation
    prompted it are answered."""
    d = declaration
    rules.check_declaration(
        dprd_consulted_on=d.dprd_consulted_on, declared_on=d.declared_on, starts_on=d.starts_on, ends_on=d.ends_on
    )
    if not d.decree_number.strip() or not d.reasons.strip():
        raise rules.StatusRuleError("A declaration needs its decree number and reasons")
    assert d.dprd_consulted_on is not None  # noqa: S101 - checked above
    city = Region.objects.get(code=settings.SIGAP_DEPLOYMENT_REGION)
    overlapping = ConflictStatus.objects.filter(city=city, starts_on__lte=d.ends_on)
    if any(s.last_day >= d.starts_on for s in overlapping):
        raise rules.StatusRuleError("Another status is in force in that period: extend or revoke it instead")
    status = ConflictStatus.objects.create(
        city=city,
        decree_number=d.decree_number.strip(),
        reasons=d.reasons.strip(),
        dprd_consulted_on=d.dprd_consulted_on,
        declared_on=d.declared_on,
        starts_on=d.starts_on,
        ends_on=d.ends_on,
        recorded_by=actor if _is_user(actor) else None,
    )
    status.regions.set(list(regions))
    incident_list = list(incidents)
    status.incidents.set(incident_list)
    status.cases.set(list(cases))
    _status_event(status, actor=actor, verb="declared", note=f"{d.starts_on:%d-%m-%Y} s.d. {d.ends_on:%d-%m-%Y}")
    for incident in incident_list:
        StatusConsideration.objects.update_or_create(
            incident=incident,
            defaults={"decided_at": timezone.now(), "decided_by": actor, "declared": status, "note": d.reasons},
        )
    return status


@transaction.atomic
def status_extend(
    *, status: ConflictStatus, decided_on: date, extended_to: date, actor: Any, reason: str
) -> ConflictStatus:
    status = ConflictStatus.objects.select_for_update().get(pk=status.pk)
    if status.revoked_on is not None:
        raise rules.StatusRuleError("A revoked status cannot be extended")
    rules.check_extension(
        ends_on=status.ends_on,
        already_extended=status.extended_to is not None,
        decided_on=decided_on,
        extended_to=extended_to,
    )
    status.extension_decided_on = decided_on
    status.extended_to = extended_to
    status.save()
    _status_event(status, actor=actor, verb="extended", note=f"s.d. {extended_to:%d-%m-%Y}: {reason}")
    return status


@transaction.atomic
def status_revoke(*, status: ConflictStatus, revoked_on: date, actor: Any, reason: str) -> ConflictStatus:
    status = ConflictStatus.objects.select_for_update().get(pk=status.pk)
    if status.revoked_on is not None:
        raise rules.StatusRuleError("The status is already revoked")
    if not reason.strip():
        raise rules.StatusRuleError("Say why the status is revoked")
    rules.check_revocation(starts_on=status.starts_on, last_day=status.last_day, revoked_on=revoked_on)
    status.revoked_on = revoked_on
    status.revocation_reason = reason.strip()
    status.save()
    _status_event(status, actor=actor, verb="revoked", note=reason.strip())
    # The TNI's help ends with the status (UU 7/2012 Ps 34): written down, so that the request says when and why.
    for request in status.tni_requests.filter(ended_on__isnull=True).exclude(granted=False):
        if timezone.localdate(request.asked_at) + timedelta(days=request.days) > revoked_on:
            _tni_end(request, ended_on=revoked_on, reason="status dicabut (UU 7/2012 Ps 34)", actor=actor)
    return status


@transaction.atomic
def status_report_record(
    *, status: ConflictStatus, sent_on: date, letter_number: str, summary: str, actor: Any
) -> StatusReport:
    if not letter_number.strip() or not summary.strip():
        raise rules.StatusRuleError("A progress report needs its letter number and a summary")
    report = StatusReport.objects.create(
        status=status,
        sent_on=sent_on,
        letter_number=letter_number.strip(),
        summary=summary.strip(),
        recorded_by=actor if _is_user(actor) else None,
    )
    _status_event(status, actor=actor, verb="report_sent", note=f"{letter_number} ({sent_on:%d-%m-%Y})")
    return report


@transaction.atomic
def status_funding_plan_filed(*, status: ConflictStatus, filed_on: date, actor: Any) -> None:
    status.funding_plan_filed_on = filed_on
    status.save(update_fields=["funding_plan_filed_on", "updated_at"])
    _status_event(status, actor=actor, verb="funding_plan_filed", note=f"{filed_on:%d-%m-%Y}")


# ---- The TNI's help during a status (UU 7/2012 Ps 33-34, PP 2/2015 Ps 45-47) ------------------------------------


@dataclass(frozen=True)
class TniRequest:
    asked_at: datetime
    asked_orally: bool
    addressed_to: str
    reason: str
    area: str
    days: int
    logistics: str
    letter_number: str = ""
    copies_to: str = ""


def _tni_event(request: TniAssistance, *, actor: Any, verb: str, note: str) -> None:
    _status_event(request.status, actor=actor, verb=verb, note=f"TNI #{request.pk}: {note}")


@transaction.atomic
def tni_request_record(status: ConflictStatus, ask: TniRequest, *, actor: Any) -> TniAssistance:
    """The Wali Kota asked for the TNI's help. Asked by telephone, the written confirmation is owed within 1 x 24
    hours (a duty of the status, reminded); asked in writing, the letter is the request."""
    status = ConflictStatus.objects.select_for_update().get(pk=status.pk)
    asked_on = timezone.localdate(ask.asked_at)
    rules.check_tni_request(asked_on=asked_on, days=ask.days, starts_on=status.starts_on, last_day=status.last_day)
    if ask.asked_at > timezone.now() + timedelta(minutes=5):
        raise rules.StatusRuleError(gettext("A request is recorded once it has been made, not ahead"))
    missing = [
        label
        for label, value in (
            (gettext("addressed to"), ask.addressed_to),
            (gettext("reason"), ask.reason),
            (gettext("area"), ask.area),
            (gettext("logistics"), ask.logistics),
        )
        if not value.strip()
    ]
    if not ask.asked_orally and not ask.letter_number.strip():
        missing.append(gettext("letter number"))
    if missing:
        raise rules.StatusRuleError(gettext("The request needs: %(fields)s") % {"fields": ", ".join(missing)})
    request = TniAssistance.objects.create(
        status=status,
        asked_at=ask.asked_at,
        asked_orally=ask.asked_orally,
        addressed_to=ask.addressed_to.strip(),
        reason=ask.reason.strip(),
        area=ask.area.strip(),
        days=ask.days,
        logistics=ask.logistics.strip(),
        letter_number="" if ask.asked_orally else ask.letter_number.strip(),
        letter_sent_at=None if ask.asked_orally else ask.asked_at,
        copies_to="" if ask.asked_orally else _lines(ask.copies_to),
        recorded_by=actor if _is_user(actor) else None,
    )
    how = "lisan (telepon)" if ask.asked_orally else f"tertulis, {request.letter_number}"
    _tni_event(
        request, actor=actor, verb="tni_requested", note=f"{how}, {ask.days} hari, kepada {request.addressed_to}"
    )
    return request


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@transaction.atomic
def tni_letter_record(
    request: TniAssistance, *, sent_at: datetime, letter_number: str, copies_to: str, actor: Any
) -> TniAssistance:
    """The written confirmation of an oral request went out; a late one is recorded as late, not refused."""
    request = TniAssistance.objects.select_for_update(of=("self",)).select_related("status").get(pk=request.pk)
    if request.letter_sent_at is not None:
        raise rules.StatusRuleError(gettext("The written request is already recorded"))
    if not letter_number.strip():
        raise rules.StatusRuleError(gettext("The written request needs its letter number"))
    if sent_at < request.asked_at:
        raise rules.StatusRuleError(gettext("The letter confirms the oral request: it is sent after it"))
    if sent_at > timezone.now() + timedelta(minutes=5):
        raise rules.StatusRuleError(gettext("A letter is recorded once it has been sent, not ahead"))
    request.letter_sent_at = sent_at
    request.letter_number = letter_number.strip()
    request.copies_to = _lines(copies_to)
    request.save(update_fields=["letter_sent_at", "letter_number", "copies_to", "updated_at"])
    note = request.letter_number
    if request.letter_late:
        hours = max(1, -int(-(sent_at - request.letter_due_at).total_seconds() // 3600))  # whole hours, rounded up
        note += f" · {hours} jam lewat batas 1 x 24 jam"
    _tni_event(request, actor=actor, verb="tni_letter_sent", note=note)
    return request


@transaction.atomic
def tni_answer_record(
    request: TniAssistance, *, answered_on: date, granted: bool, note: str, actor: Any
) -> TniAssistance:
    """The central government's answer: granted (with what comes: units, strength, from when) or refused."""
    request = TniAssistance.objects.select_for_update(of=("self",)).select_related("status").get(pk=request.pk)
    if request.granted is not None:
        raise rules.StatusRuleError(gettext("The answer is already recorded"))
    if not timezone.localdate(request.asked_at) <= answered_on <= timezone.localdate():
        raise rules.StatusRuleError(gettext("The answer comes on or after the day of the request, and by today"))
    if not note.strip():
        raise rules.StatusRuleError(
            gettext("Say what was granted (units, strength, from when)")
            if granted
            else gettext("Say why it was refused")
        )
    request.answered_on, request.granted, request.answer_note = answered_on, granted, note.strip()
    request.save(update_fields=["answered_on", "granted", "answer_note", "updated_at"])
    _tni_event(request, actor=actor, verb="tni_granted" if granted else "tni_refused", note=note.strip())
    return request


def _tni_end(request: TniAssistance, *, ended_on: date, reason: str, actor: Any) -> None:
    request.ended_on, request.end_reason = ended_on, reason
    request.save(update_fields=["ended_on", "end_reason", "updated_at"])
    _tni_event(request, actor=actor, verb="tni_ended", note=f"{ended_on:%d-%m-%Y}: {reason}")


@transaction.atomic
def tni_end_record(request: TniAssistance, *, ended_on: date, reason: str, actor: Any) -> TniAssistance:
    """The help ends before the days asked for (the situation is under control, the troops withdrawn)."""
    request = TniAssistance.objects.select_for_update(of=("self",)).select_related("status").get(pk=request.pk)
    if request.ended_on is not None or request.granted is False:
        raise rules.StatusRuleError(gettext("This request has already ended"))
    if not reason.strip():
        raise rules.StatusRuleError(gettext("Say why the help ends"))
    if not timezone.localdate(request.asked_at) < ended_on <= request.last_day:
        raise rules.StatusRuleError(
            gettext("The help ends after the day it was asked and no later than %(last)s")
            % {"last": f"{request.last_day:%d-%m-%Y}"}
        )
    _tni_end(request, ended_on=ended_on, reason=reason.strip(), actor=actor)
    return request


@transaction.atomic
def status_consider(*, incident: Incident, actor: Any, note: str, at: datetime | None = None) -> StatusConsideration:
    """The team considered a status for an escalating incident and decided none is needed (with why)."""
    if not note.strip():
        raise rules.StatusRuleError("Say why no status is needed")
    consideration, _ = StatusConsideration.objects.update_or_create(
        incident=incident,
        defaults={"decided_at": at or timezone.now(), "decided_by": actor, "declared": None, "note": note.strip()},
    )
    audit_record(actor=actor, action="conflict_status.considered", target=incident, details={"declared": False})
    return consideration


@transaction.atomic
def status_cover(*, incident: Incident, status: ConflictStatus, actor: Any) -> StatusConsideration:
    """An escalating incident while a status is in force: it is handled under that status, not a reason to declare
    another. The prompt is answered and the incident joins the status's incidents."""
    today = timezone.localdate()
    if status.state_on(today) != StatusState.IN_FORCE:
        raise rules.StatusRuleError(gettext("The status is not in force"))
    status.incidents.add(incident)
    consideration, _ = StatusConsideration.objects.update_or_create(
        incident=incident,
        defaults={
            "decided_at": timezone.now(),
            "decided_by": actor if _is_user(actor) else None,
            "declared": status,
            "note": f"Ditangani dalam status {status.decree_number}",
        },
    )
    _status_event(status, actor=actor, verb="incident_linked", note=f"#{incident.pk} {incident.title}")
    return consideration


def status_duties_due(now: datetime | None = None) -> int:
    """Reminders of the duties of every status in force: three days ahead and on the day. Idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    orgs, users = secretariat()
    queued = 0
    for status in ConflictStatus.objects.filter(starts_on__lte=today):
        if status.last_day < today:
            continue
        for duty in status_duties(status, today):
            if duty.done or duty.due_on - timedelta(days=3) > today:
                continue
            key = f"status{status.pk}:{normalise_key(duty.what)}:{duty.due_on.isoformat()}"
            due = f"{duty.due_on:%d-%m-%Y}"
            if duty.due_at is not None:  # counted in hours: told at once, and again once the hour has passed
                due = f"{timezone.localtime(duty.due_at):%d-%m-%Y %H:%M}"
                late = now >= duty.due_at
                when, tag = (":late", "[Terlambat] ") if late else (":ahead", "")
            else:
                when, tag = (":today" if duty.due_on <= today else ":ahead"), ""
            made = queue_to(
                organisations=orgs,
                users=users,
                purpose="reminder",
                subject=f"{tag}[Status Keadaan Konflik] {duty.what}"[:200],
                body=f"{duty.what}: jatuh tempo {due}. Status {status.decree_number}.\n"
                f"{public_link('cases:status_detail', status.pk)}",
                key=key + when,
                at=now,
            )
            queued += len(made)
    return queued


def normalise_key(text: str) -> str:
    return rules.normalise(text).replace(" ", "-")[:40]


_MESSAGE_KEY = re.compile(
    r"^(case|task)(\d+):(ack|act|resolve|late|added|changed|opened|proposed)(?::(.+?))?(?::esc)?:c\d+$"
)
_DONE_FIELDS = {"ack": "acknowledged_at", "act": "first_action_at", "resolve": "resolved_at"}
_STATUS_KEY = re.compile(r"^status(\d+):([a-z0-9-]+):(\d{4}-\d{2}-\d{2}):(?:ahead|today|late):c\d+$")


def _status_duty_overtaken(pk: int, what: str, due_on: str) -> str:
    """A status duty's reminder once the duty is done (the spending plan filed, the TNI letter sent), the status
    has ended, or the duty is no longer owed on that day (the status was extended or revoked)."""
    status = ConflictStatus.objects.filter(pk=pk).first()
    today = timezone.localdate()
    if status is None or status.last_day < today:
        return f"status #{pk} sudah berakhir"
    for duty in status_duties(status, today):
        if normalise_key(duty.what) == what and duty.due_on.isoformat() == due_on:
            return "kewajiban status sudah dipenuhi" if duty.done else ""
    return "kewajiban status sudah berubah"


def message_overtaken(notification: Notification) -> str:
    """Why a message of this room is no longer true when its turn comes (notify.services.overtaken_by): a task's
    news or late reminder once it is done or cancelled, a late reminder once it has a new deadline; a case's once it
    is resolved, a stage's reminder once the stage is passed, a proposed resolution once it was sent back."""
    duty = _STATUS_KEY.match(notification.idempotency_key)
    if duty:
        return _status_duty_overtaken(int(duty.group(1)), duty.group(2), duty.group(3))
    found = _MESSAGE_KEY.match(notification.idempotency_key)
    if not found:
        return ""
    kind, pk, what, rest = found.group(1), int(found.group(2)), found.group(3), found.group(4)
    if kind == "task":
        task = Task.objects.filter(pk=pk).only("status", "due_at").first()
        if task is None or task.status != TaskStatus.OPEN:
            return f"tugas #{pk} sudah ditutup"
        if what == "late" and task.due_at.isoformat() != rest:
            return f"batas tugas #{pk} sudah diubah"
        return ""
    case = Case.objects.filter(pk=pk).first()
    if case is None or case.status == CaseStatus.RESOLVED:
        return f"P-{pk} sudah selesai"
    if what in _DONE_FIELDS and getattr(case, _DONE_FIELDS[what]) is not None:
        return f"P-{pk} sudah melewati tahap itu"
    if what == "proposed" and case.status != CaseStatus.RESOLUTION_PROPOSED:
        return f"usul selesai P-{pk} sudah dikembalikan"
    return ""

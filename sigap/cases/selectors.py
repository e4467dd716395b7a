"""Reads of the cases room: the breach board, a case's clock in words, the prompts to consider a status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sigap.alerts.choices import AlertKind
from sigap.alerts.models import Alert
from sigap.cases import rules
from sigap.cases.choices import Stage
from sigap.cases.models import Case, ConflictStatus, StatusConsideration, Task
from sigap.core.models import AuditLog
from sigap.directory.models import Organisation
from sigap.triage.models import Incident


@dataclass(frozen=True)
class TaskChange:
    at: datetime
    by: str  # the person's name (the account's name when it is gone)
    due_at: datetime | None  # the deadline from then on
    owner: Organisation | None  # who holds the task from then on
    reason: str


def task_changes(tasks: Iterable[Task]) -> dict[int, list[TaskChange]]:
    """Each task's moved deadlines and hand-overs with their reasons, oldest first. A case's task has them on the
    case's timeline; a meeting decision's task has no timeline, so they are read from the audit log."""
    ids = [str(task.pk) for task in tasks]
    rows = list(
        AuditLog.objects.filter(object_type="cases.task", object_id__in=ids, action="task.changed")
        .select_related("actor")
        .order_by("seq")
    )
    owner_ids = {row.details.get("owner") for row in rows}
    owners = Organisation.objects.in_bulk([pk for pk in owner_ids if isinstance(pk, int)])
    changes: dict[int, list[TaskChange]] = {}
    for row in rows:
        due = row.details.get("due_at")
        changes.setdefault(int(row.object_id), []).append(
            TaskChange(
                at=row.at,
                by=(row.actor.get_full_name() or row.actor.get_username()) if row.actor else row.actor_name,
                due_at=parse_datetime(due) if isinstance(due, str) else None,
                owner=owners.get(row.details.get("owner")),
                reason=str(row.details.get("reason") or ""),
            )
        )
    return changes


@dataclass
class OrgBreaches:
    organisation: Any
    open_cases: int = 0
    late_cases: list[tuple[Case, list[str]]] = field(default_factory=list)
    late_tasks: list[Task] = field(default_factory=list)

    def late_cases_in_words(self) -> list[tuple[Case, list[str]]]:
        return [(case, [str(Stage(s).label) for s in stages]) for case, stages in self.late_cases]

    @property
    def breaches(self) -> int:
        return len(self.late_cases) + len(self.late_tasks)


def late_stages(case: Case, now: datetime) -> list[str]:
    """The hand-over stages of an open case past their deadline and not done. (The verification stage is done
    before any case opens: cases answer verified incidents, or alerts, which have no verification.)"""
    checks = (
        (Stage.ACKNOWLEDGED, case.acknowledged_at, case.ack_due_at),
        (Stage.FIRST_ACTION, case.first_action_at, case.act_due_at),
        (Stage.RESOLVED, case.resolved_at, case.resolve_due_at),
    )
    return [str(stage) for stage, done, due in checks if done is None and due < now]


def breach_board(user: Any, now: datetime | None = None) -> list[OrgBreaches]:
    """Per lead organisation: open cases, those with a stage past its deadline (and which stages), late tasks.
    Worst first. Two queries, whatever the number of cases."""
    now = now or timezone.now()
    rows: dict[int, OrgBreaches] = {}
    cases = (
        Case.objects.visible_to(user)
        .open()
        .select_related("lead_organisation")
        .only(
            "id",
            "title",
            "lead_organisation",
            "acknowledged_at",
            "ack_due_at",
            "first_action_at",
            "act_due_at",
            "resolved_at",
            "resolve_due_at",
            "opened_at",
            "status",
        )
        .order_by("resolve_due_at", "id")
    )
    for case in cases:
        row = rows.setdefault(case.lead_organisation_id, OrgBreaches(case.lead_organisation))
        row.open_cases += 1
        late = late_stages(case, now)
        if late:
            row.late_cases.append((case, late))
    for task in Task.objects.visible_to(user).open().filter(due_at__lt=now).select_related("owner_organisation"):
        rows.setdefault(task.owner_organisation_id, OrgBreaches(task.owner_organisation)).late_tasks.append(task)
    return sorted(rows.values(), key=lambda r: (-r.breaches, -r.open_cases, str(r.organisation)))


def status_prompts(days: int = 30) -> list[Incident]:
    """Incidents that met PP 2/2015 Ps 43 (they raised a grave-incident alert) in the last `days`, that the team
    has not yet answered with a declaration or a "not needed"."""
    since = timezone.now() - timedelta(days=days)
    alerts = Alert.objects.filter(kind=AlertKind.GRAVE_INCIDENT, triggered_at__gte=since)
    answered = StatusConsideration.objects.values("incident")
    return list(Incident.objects.filter(alerts__in=alerts).exclude(pk__in=answered).distinct().select_related("region"))


def status_in_force(today: Any = None) -> ConflictStatus | None:
    today = today or timezone.localdate()
    for status in ConflictStatus.objects.filter(starts_on__lte=today).order_by("-starts_on"):
        if status.last_day >= today:  # a revocation dated ahead leaves it in force until then
            return status
    return None


@dataclass(frozen=True)
class Duty:
    what: str
    due_on: date
    done: bool
    due_at: datetime | None = None  # for a duty counted in hours (the written TNI request)


def status_duties(status: ConflictStatus, today: date) -> list[Duty]:
    """What the Wali Kota and the secretariat owe while a status is in force: the spending plan within one working
    day (PP 2/2015 Ps 80), progress reports to the Gubernur (Ps 23; every SIGAP_STATUS_REPORT_EVERY_DAYS and at the
    end), and the extension decision no later than 10 days before the end."""
    from sigap.core.calendar import working_calendar

    duties = [
        Duty(
            "Rencana kebutuhan biaya (PP 2/2015 Ps 80)",
            working_calendar().add_working_days(status.declared_on, 1),
            status.funding_plan_filed_on is not None,
        )
    ]
    sent = sorted(status.reports.values_list("sent_on", flat=True))
    previous = status.starts_on
    for due in rules.report_due_dates(status.starts_on, status.last_day, settings.SIGAP_STATUS_REPORT_EVERY_DAYS):
        done = any(previous < s <= due + timedelta(days=3) for s in sent)
        duties.append(Duty("Laporan perkembangan ke Gubernur, tembusan Mendagri dan DPRD (UU 7/2012 Ps 23)", due, done))
        previous = due
    for request in status.tni_requests.filter(asked_orally=True):
        duties.append(
            Duty(
                f"Permintaan tertulis bantuan TNI #{request.pk} (diminta lisan "
                f"{timezone.localtime(request.asked_at):%d-%m-%Y %H:%M}; PP 2/2015: paling lambat 1 x 24 jam)",
                timezone.localdate(request.letter_due_at),
                request.letter_sent_at is not None,
                due_at=request.letter_due_at,
            )
        )
    if status.extended_to is None and status.revoked_on is None:
        duties.append(
            Duty(
                "Keputusan perpanjangan atau pengakhiran status (paling lambat 10 hari sebelum berakhir)",
                status.ends_on - timedelta(days=rules.EXTENSION_NOTICE_DAYS),
                today > status.ends_on - timedelta(days=rules.EXTENSION_NOTICE_DAYS),
            )
        )
    return duties


def status_overdue(status: ConflictStatus, day: date, now: datetime) -> list[Duty]:
    """The status's duties not done by their deadline: a day, or an hour for the written TNI request."""
    return [
        duty
        for duty in status_duties(status, day)
        if not duty.done and (duty.due_at < now if duty.due_at is not None else duty.due_on < timezone.localdate(now))
    ]


def status_in_words(status: ConflictStatus, day: date, now: datetime) -> list[str]:
    """For the situation report, in Bahasa Indonesia: the status's duties past their deadline at `now`, and each
    request for the TNI's help that still mattered on `day` (asked, granted or refused; ended ones only in the
    week after their end)."""
    lines = []
    for duty in status_overdue(status, day, now):
        due = timezone.localtime(duty.due_at) if duty.due_at else duty.due_on
        lines.append(f"Lewat batas: {duty.what}, jatuh tempo {due:%d-%m-%Y}")
    for request in status.tni_requests.select_related("status"):
        state = request.state_on(day)
        if state == "ended" and request.last_day < day - timedelta(days=7):
            continue
        asked = f"{timezone.localtime(request.asked_at):%d-%m-%Y %H:%M}"
        line = f"Bantuan TNI #{request.pk} (diminta {asked}, {request.days} hari): "
        if state == "refused":
            line += f"ditolak {request.answered_on:%d-%m-%Y}: {request.answer_note}"
        elif state == "ended":
            line += f"berakhir {request.last_day + timedelta(days=1):%d-%m-%Y}"
        elif state == "granted":
            line += f"dikabulkan {request.answered_on:%d-%m-%Y}: {request.answer_note}; paling lambat sampai "
            line += f"{request.last_day:%d-%m-%Y}"
        else:
            line += "menunggu jawaban Pemerintah"
        if request.asked_orally and request.letter_sent_at is None:
            due = timezone.localtime(request.letter_due_at)
            line += f"; permintaan tertulis belum dikirim (batas {due:%d-%m-%Y %H:%M})"
        lines.append(line)
    return lines

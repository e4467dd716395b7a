"""The Satgas PKS (UU 7/2012 Ps 42-51): formed by the Wali Kota when no pranata can settle a conflict or a status is
declared; its members, of whom at least 30 per cent of the community side are women; its final report to the Pemda,
copied to the DPRD; its dissolution. Each write goes through one function here with its timeline and audit rows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sigap.cases.models import ConflictStatus
from sigap.core.services import audit_record
from sigap.mediation.choices import MediationStatus, MemberElement, TaskforceBasis
from sigap.mediation.models import Mediation, Taskforce, TaskforceEvent, TaskforceMember
from sigap.notify.models import Notification
from sigap.notify.services import public_link, queue_to, secretariat

# UU 7/2012: at least 30 per cent of the Satgas' community members are women.
WOMEN_PER_TEN = 3
REMIND_DAYS_AHEAD = 3


class TaskforceRuleError(ValueError):
    pass


@dataclass(frozen=True)
class WomenShare:
    """Women among the serving community-side members (religious, adat and community leaders, peace activists and
    the parties' representatives)."""

    women: int
    community: int

    @property
    def needed(self) -> int:
        """The fewest women the present community side needs: 30 per cent, rounded up."""
        return -(-self.community * WOMEN_PER_TEN // 10)

    @property
    def enough(self) -> bool:
        return self.community > 0 and self.women >= self.needed

    @property
    def percent(self) -> int:
        return round(100 * self.women / self.community) if self.community else 0


def women_share(members: Iterable[TaskforceMember]) -> WomenShare:
    community = [m for m in members if m.left_on is None and m.element != MemberElement.GOVERNMENT]
    return WomenShare(sum(m.woman for m in community), len(community))


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _event(taskforce: Taskforce, *, actor: Any, verb: str, note: str = "") -> None:
    TaskforceEvent.objects.create(
        taskforce=taskforce, at=timezone.now(), actor=actor if _is_user(actor) else None, verb=verb, note=note
    )
    audit_record(actor=actor, action=f"taskforce.{verb}", target=taskforce)


@dataclass(frozen=True)
class Formation:
    name: str
    decree_number: str
    formed_on: date
    basis: str
    mandate: str
    report_due_on: date


def _check_basis(formation: Formation, mediations: list[Mediation], status: ConflictStatus | None) -> None:
    """The basis must hold on the day it was formed: a status in force, or talks that ended without settling."""
    if formation.basis == TaskforceBasis.STATUS:
        if status is None:
            raise TaskforceRuleError(gettext("Name the Status Keadaan Konflik it was formed under"))
        if not status.starts_on <= formation.formed_on <= status.last_day:
            raise TaskforceRuleError(
                gettext("The status %(decree)s was not in force on %(day)s")
                % {"decree": status.decree_number, "day": f"{formation.formed_on:%d-%m-%Y}"}
            )
    still_talking = [m for m in mediations if m.status not in (MediationStatus.FAILED, MediationStatus.WITHDRAWN)]
    if formation.basis == TaskforceBasis.PRANATA_FAILED and still_talking:
        raise TaskforceRuleError(
            gettext("These talks have not ended without agreement: %(talks)s. A Satgas follows a pranata that failed.")
            % {"talks": ", ".join(f"M-{m.pk} {m.title}" for m in still_talking)}
        )


@transaction.atomic
def taskforce_form(
    formation: Formation,
    *,
    actor: Any,
    mediations: Iterable[Mediation] = (),
    conflict_status: ConflictStatus | None = None,
) -> Taskforce:
    """Record the Wali Kota's decree forming a Satgas PKS; its members are added one by one after."""
    f = formation
    missing = [
        label
        for label, value in (
            (gettext("name"), f.name),
            (gettext("decree number"), f.decree_number),
            (gettext("what it is to settle"), f.mandate),
        )
        if not value.strip()
    ]
    if missing:
        raise TaskforceRuleError(gettext("The Satgas needs: %(fields)s") % {"fields": ", ".join(missing)})
    if f.formed_on > timezone.localdate():
        raise TaskforceRuleError(gettext("A Satgas is recorded once the decree is signed, not ahead"))
    if f.report_due_on <= f.formed_on:
        raise TaskforceRuleError(gettext("The final report falls due after the day the Satgas is formed"))
    talks = list(mediations)
    _check_basis(f, talks, conflict_status)
    taskforce = Taskforce.objects.create(
        name=f.name.strip(),
        decree_number=f.decree_number.strip(),
        formed_on=f.formed_on,
        basis=f.basis,
        mandate=f.mandate.strip(),
        report_due_on=f.report_due_on,
        conflict_status=conflict_status,
        recorded_by=actor if _is_user(actor) else None,
    )
    taskforce.mediations.set(talks)
    _event(taskforce, actor=actor, verb="taskforce_formed", note=f"{taskforce.decree_number} ({f.formed_on:%d-%m-%Y})")
    return taskforce


def _open(taskforce: Taskforce) -> Taskforce:
    locked = Taskforce.objects.select_for_update().get(pk=taskforce.pk)
    if locked.dissolved_on is not None:
        raise TaskforceRuleError(gettext("The Satgas has been dissolved"))
    return locked


@transaction.atomic
def member_add(
    taskforce: Taskforce, *, name: str, position: str, element: str, woman: bool, joined_on: date, actor: Any
) -> TaskforceMember:
    taskforce = _open(taskforce)
    if not name.strip() or not position.strip():
        raise TaskforceRuleError(gettext("A member needs a name and a position"))
    if joined_on < taskforce.formed_on:
        raise TaskforceRuleError(gettext("A member joins on or after the day the Satgas is formed"))
    member = TaskforceMember.objects.create(
        taskforce=taskforce,
        name=name.strip(),
        position=position.strip(),
        element=element,
        woman=woman,
        joined_on=joined_on,
    )
    share = women_share(taskforce.members.all())
    _event(
        taskforce,
        actor=actor,
        verb="member_added",
        note=f"{member} · perempuan unsur masyarakat {share.women}/{share.community}",
    )
    return member


@transaction.atomic
def member_leave(member: TaskforceMember, *, left_on: date, reason: str, actor: Any) -> TaskforceMember:
    taskforce = _open(member.taskforce)
    member = TaskforceMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise TaskforceRuleError(gettext("This member has already left"))
    if not reason.strip():
        raise TaskforceRuleError(gettext("Say why the member leaves"))
    if left_on < member.joined_on:
        raise TaskforceRuleError(gettext("A member leaves on or after the day they joined"))
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    _event(taskforce, actor=actor, verb="member_left", note=f"{member}: {reason.strip()}")
    return member


@transaction.atomic
def final_report_record(
    taskforce: Taskforce,
    *,
    sent_on: date,
    letter_number: str,
    findings: str,
    losses: str,
    recommendations: str,
    actor: Any,
) -> Taskforce:
    """The final report went to the Pemda, copied to the DPRD: the facts found, the losses and what is owed, and the
    recommendations, kept here as they were sent."""
    taskforce = _open(taskforce)
    if taskforce.report_sent_on is not None:
        raise TaskforceRuleError(gettext("The final report is already recorded"))
    if not all(text.strip() for text in (letter_number, findings, losses, recommendations)):
        raise TaskforceRuleError(
            gettext("The final report needs its letter number, the facts found, the losses and the recommendations")
        )
    if sent_on < taskforce.formed_on or sent_on > timezone.localdate():
        raise TaskforceRuleError(gettext("The report is sent between the day the Satgas is formed and today"))
    taskforce.report_sent_on = sent_on
    taskforce.report_letter = letter_number.strip()
    taskforce.findings, taskforce.losses = findings.strip(), losses.strip()
    taskforce.recommendations = recommendations.strip()
    taskforce.save(
        update_fields=["report_sent_on", "report_letter", "findings", "losses", "recommendations", "updated_at"]
    )
    late = (sent_on - taskforce.report_due_on).days
    note = f"{taskforce.report_letter} ({sent_on:%d-%m-%Y}) ke Pemda, tembusan DPRD"
    _event(
        taskforce, actor=actor, verb="final_report_sent", note=note + (f"; {late} hari lewat batas" if late > 0 else "")
    )
    return taskforce


@transaction.atomic
def taskforce_dissolve(taskforce: Taskforce, *, dissolved_on: date, note: str, actor: Any) -> Taskforce:
    """An ad hoc Satgas ends once its task is done: after its final report."""
    taskforce = _open(taskforce)
    if taskforce.report_sent_on is None:
        raise TaskforceRuleError(gettext("A Satgas sends its final report before it is dissolved"))
    if not note.strip():
        raise TaskforceRuleError(gettext("Say how the Satgas ends (the decree, or why)"))
    if not taskforce.report_sent_on <= dissolved_on <= timezone.localdate():
        raise TaskforceRuleError(gettext("A Satgas is dissolved between the day of its final report and today"))
    taskforce.dissolved_on, taskforce.dissolve_note = dissolved_on, note.strip()
    taskforce.save(update_fields=["dissolved_on", "dissolve_note", "updated_at"])
    _event(taskforce, actor=actor, verb="taskforce_dissolved", note=f"{dissolved_on:%d-%m-%Y}: {note.strip()}")
    return taskforce


def taskforce_reports_due(now: datetime | None = None) -> int:
    """The secretariat is reminded of a final report three days ahead, on the day, and once it is late. Idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    orgs, users = secretariat()
    queued = 0
    waiting = Taskforce.objects.filter(
        dissolved_on=None, report_sent_on=None, report_due_on__lte=today + timedelta(days=REMIND_DAYS_AHEAD)
    )
    for taskforce in waiting:
        due = taskforce.report_due_on
        when, tag = (":late", "[Terlambat] ") if due < today else (":today", "") if due == today else (":ahead", "")
        made = queue_to(
            organisations=orgs,
            users=users,
            purpose="reminder",
            subject=f"{tag}[Satgas PKS] Laporan akhir {taskforce.name}"[:200],
            body=f"Laporan akhir {taskforce.name} ({taskforce.decree_number}) kepada Pemda, tembusan DPRD: jatuh tempo "
            f"{due:%d-%m-%Y}.\n{public_link('mediation:taskforce_detail', taskforce.pk)}",
            key=f"taskforce{taskforce.pk}:report:{due.isoformat()}{when}",
            at=now,
        )
        queued += len(made)
    return queued


_REPORT_KEY = re.compile(r"^taskforce(\d+):report:")


def message_overtaken(notification: Notification) -> str:
    """A final-report reminder once the report is recorded (or the Satgas dissolved) is not sent."""
    found = _REPORT_KEY.match(notification.idempotency_key)
    if not found:
        return ""
    taskforce = Taskforce.objects.filter(pk=int(found.group(1))).only("report_sent_on", "dissolved_on").first()
    if taskforce is None or taskforce.report_sent_on is not None or taskforce.dissolved_on is not None:
        return f"laporan akhir Satgas #{found.group(1)} sudah dikirim"
    return ""

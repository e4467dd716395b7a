"""Coordination writes, and the four-monthly report of the integrated action plan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sigap.cases.models import Task
from sigap.cases.services import task_add
from sigap.coordination.choices import PlanPart
from sigap.coordination.models import ContactLog, Decision, Meeting, PlanItem, PlanProgress
from sigap.coordination.periods import period_bounds
from sigap.core.documents import DocumentError, document_discard, document_store
from sigap.core.models import Document
from sigap.core.services import audit_record
from sigap.core.spreadsheet import append_text_safe
from sigap.directory.models import Organisation


class CoordinationError(ValueError):
    pass


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def meeting_record(
    *,
    meeting: Meeting,
    actor: Any,
    organisations: Iterable[Organisation] = (),
    decisions: Sequence[str] = (),
    incidents: Iterable[Any] = (),
    cases: Iterable[Any] = (),
) -> Meeting:
    if not meeting.title.strip():
        raise CoordinationError(gettext("A meeting needs its agenda"))
    meeting.recorded_by = _user(actor)
    meeting.save()
    meeting.organisations.set(list(organisations))
    meeting.incidents.set(list(incidents))
    meeting.cases.set(list(cases))
    for text in decisions:
        if text.strip():
            Decision.objects.create(meeting=meeting, text=text.strip()[:500])
    audit_record(actor=actor, action="meeting.recorded", target=meeting)
    return meeting


@transaction.atomic
def decision_to_task(*, decision: Decision, owner: Organisation, due_at: datetime, actor: Any) -> Task:
    """A decision becomes a task with an owner and a due date (followed on the breach board like any task)."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.task_id is not None:
        raise CoordinationError(gettext("This decision already has a task"))
    case = decision.meeting.cases.first()
    task = task_add(title=decision.text, owner=owner, due_at=due_at, actor=actor, case=case)
    decision.task = task
    decision.save(update_fields=["task"])
    return task


@transaction.atomic
def contact_record(*, contact: ContactLog, actor: Any, incidents: Iterable[Any] = ()) -> ContactLog:
    if not contact.summary.strip() or not contact.counterpart.strip():
        raise CoordinationError(gettext("Say whom you contacted and what about"))
    contact.recorded_by = _user(actor)
    contact.save()
    contact.incidents.set(list(incidents))
    audit_record(actor=actor, action="contact.recorded", target=contact)
    return contact


@transaction.atomic
def plan_item_add(*, year: int, part: PlanPart, action: str, owner: Organisation, target: str, actor: Any) -> PlanItem:
    if not action.strip() or not target.strip():
        raise CoordinationError(gettext("An action needs what is to be done and its target"))
    item = PlanItem.objects.create(year=year, part=part, action=action.strip(), owner=owner, target=target.strip())
    audit_record(actor=actor, action="plan.item_added", target=item)
    return item


@transaction.atomic
def plan_progress_record(*, item: PlanItem, on: date, progress: int, note: str, actor: Any) -> PlanProgress:
    if not 0 <= progress <= 100:
        raise CoordinationError(gettext("Progress is a percentage, 0 to 100"))
    if not note.strip():
        raise CoordinationError(gettext("Say what was done"))
    update = PlanProgress.objects.create(
        item=item, on=on, progress=progress, note=note.strip(), recorded_by=_user(actor)
    )
    latest = item.updates.order_by("-on", "-id").first()
    item.progress = latest.progress if latest else progress
    item.save(update_fields=["progress", "updated_at"])
    audit_record(actor=actor, action="plan.progress", target=item, details={"progress": progress})
    return update


# ---- The four-monthly report -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    part: str
    action: str
    owner: str
    target: str
    progress: int  # as of the end of the period
    done_in_period: list[str]


@dataclass(frozen=True)
class PlanReport:
    year: int
    period: str
    starts_on: date
    ends_on: date
    rows: list[ReportRow]
    meetings: int
    contacts: int

    @property
    def achievement(self) -> float:
        """Mean progress of all actions (the share Ditjen Polpum scores), in percent."""
        return round(sum(r.progress for r in self.rows) / len(self.rows), 2) if self.rows else 0.0


def plan_report(year: int, period: str) -> PlanReport:
    """The RAT report for B.04, B.08 or B.12 of `year`: each action's progress at the end of the period and what
    was done within it, and the coordination held."""
    start, end = period_bounds(year, period)
    rows = []
    items = PlanItem.objects.filter(year=year).select_related("owner").prefetch_related("updates")
    order = list(PlanPart)
    for item in sorted(items, key=lambda i: (order.index(PlanPart(i.part)), i.pk)):
        updates = [u for u in item.updates.all() if u.on <= end]
        latest = max(updates, key=lambda u: (u.on, u.id), default=None)
        rows.append(
            ReportRow(
                part=str(PlanPart(item.part).label),
                action=item.action,
                owner=str(item.owner),
                target=item.target,
                progress=latest.progress if latest else 0,
                done_in_period=[f"{u.on:%d-%m-%Y}: {u.note}" for u in updates if u.on >= start],
            )
        )
    tz = timezone.get_current_timezone()
    lo = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    hi = datetime.combine(end, datetime.max.time(), tzinfo=tz)
    return PlanReport(
        year=year,
        period=period,
        starts_on=start,
        ends_on=end,
        rows=rows,
        meetings=Meeting.objects.filter(held_at__range=(lo, hi)).count(),
        contacts=ContactLog.objects.filter(at__range=(lo, hi)).count(),
    )


def plan_report_xlsx(report: PlanReport, title: str) -> bytes:
    """The report as a workbook, in Bahasa Indonesia, ready to send on."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = f"RAT {report.period}"
    sheet.append([title])
    sheet.append(
        [
            f"Laporan Rencana Aksi Terpadu {report.period} tahun {report.year} "
            f"({report.starts_on:%d-%m-%Y} s.d. {report.ends_on:%d-%m-%Y})"
        ]
    )
    sheet.append(
        [
            f"Capaian rata-rata: {report.achievement:.2f}%",
            f"Rapat koordinasi: {report.meetings}",
            f"Kontak koordinasi: {report.contacts}",
        ]
    )
    sheet.append([])
    header = ["No", "Bagian", "Aksi", "Penanggung jawab", "Target", "Capaian (%)", "Kegiatan dalam periode"]
    sheet.append(header)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for n, row in enumerate(report.rows, start=1):
        done = "\n".join(row.done_in_period)
        append_text_safe(sheet, [n, row.part, row.action, row.owner, row.target, row.progress, done])
    for column, width in zip("ABCDEFG", (5, 22, 40, 24, 30, 12, 60), strict=True):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=6):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=13)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def meeting_document_add(
    *, meeting: Meeting, title: str, data: bytes | None, actor: Any, at: datetime | None = None
) -> Document:
    """The notulen, the attendance list, the invitation of a rakor: kept with the meeting, audited (a meeting has no
    timeline of its own)."""
    at = at or timezone.now()
    try:
        document = document_store(owner=meeting, title=title, data=data, actor=actor, at=at)
    except DocumentError as exc:
        raise CoordinationError(str(exc)) from None
    audit_record(actor=actor, action="meeting.document_added", target=meeting, details={"document": document.pk})
    return document


@transaction.atomic
def meeting_document_remove(
    *, meeting: Meeting, document: Document, actor: Any, reason: str, at: datetime | None = None
) -> None:
    try:
        document_discard(document=document, actor=actor, reason=reason, at=at or timezone.now())
    except DocumentError as exc:
        raise CoordinationError(str(exc)) from None
    details = {"document": document.pk, "reason": reason.strip()}
    audit_record(actor=actor, action="meeting.document_removed", target=meeting, details=details)

"""The reporters' word on a resolution, on the team's side: their answers on the incident's timeline (staff only),
and an analyst's answer to a "not settled yet" that keeps the incident resolved. The other answer to it is reopening
the incident (services.incident_reopen), after which the "not settled" no longer waits: it was about a resolution
no longer in force."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sigap.core.services import audit_record
from sigap.intake.models import ResolutionAnswer
from sigap.triage.models import Incident, IncidentEvent
from sigap.triage.services import reporter_message_answer


class ResolutionReviewError(ValueError):
    pass


def resolution_answered(answer: ResolutionAnswer) -> None:
    """Registered with intake: one line on the incident's timeline, without the reporter's words (they are in the
    report's conversation, for those who read reporters' messages)."""
    report = answer.report
    if report.incident_id is None:  # answered about a resolved incident: it has one
        return
    IncidentEvent.objects.create(
        incident_id=report.incident_id,
        at=answer.answered_at,
        actor=report.submitted_by if report.submitted_by_id else None,
        verb="reporter_settled" if answer.settled else "reporter_unsettled",
        note=f"laporan #{report.pk}",
    )


@transaction.atomic
def resolution_uphold(*, answer: ResolutionAnswer, actor: Any, message: str, at: datetime | None = None) -> Incident:
    """The analyst looked at a reporter's "not settled yet" and the incident stays resolved: the reporter reads why
    (on the receipt page, and by SMS or e-mail if they left a contact), the timeline keeps it."""
    at = at or timezone.now()
    message = message.strip()
    if not message:
        raise ResolutionReviewError(gettext("Write to the reporter why the incident stays resolved"))
    answer = ResolutionAnswer.objects.select_for_update(of=("self",)).select_related("report").get(pk=answer.pk)
    if answer.settled or answer.reviewed_at is not None:
        raise ResolutionReviewError(gettext("This answer was already looked at"))
    if not ResolutionAnswer.objects.current().filter(pk=answer.pk).exists():
        raise ResolutionReviewError(gettext("The incident is no longer resolved as it was when the reporter answered"))
    report = answer.report
    reporter_message_answer(report=report, body=message, author=actor, at=at)
    answer.reviewed_at, answer.reviewed_by = at, actor
    answer.save(update_fields=["reviewed_at", "reviewed_by"])
    incident = Incident.objects.get(reports=report)
    IncidentEvent.objects.create(incident=incident, at=at, actor=actor, verb="resolution_upheld", note=message)
    audit_record(actor=actor, action="incident.resolution_upheld", target=incident, details={"report": report.pk})
    return incident

"""Incident writes. Every state change goes through here and leaves a timeline row and an audit row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from sigap.core.services import audit_record
from sigap.intake.models import Report
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.models import Incident, IncidentEvent
from sigap.triage.states import check_transition


def _event(
    incident: Incident,
    *,
    at: datetime,
    actor: Any,
    verb: str,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> None:
    IncidentEvent.objects.create(
        incident=incident,
        at=at,
        actor=actor if _is_user(actor) else None,
        verb=verb,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )
    audit_record(
        actor=actor,
        action=f"incident.{verb}",
        target=incident,
        details={"from": from_status, "to": to_status} if to_status else {},
    )


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


@transaction.atomic
def incident_open(
    *,
    report: Report,
    actor: Any | None,
    title: str,
    category: Category = Category.LAINNYA,
    urgency: Urgency = Urgency.MEDIUM,
    people_estimate: int | None = None,
    at: datetime | None = None,
) -> Incident:
    """Open a new incident from a report (the report's place and time carry over)."""
    at = at or timezone.now()
    incident = Incident.objects.create(
        title=title,
        summary=report.description,
        region=report.region,
        category=category,
        urgency=urgency,
        occurred_at=report.occurred_at or report.received_at,
        people_estimate=people_estimate,
    )
    report.incident = incident
    report.save(update_fields=["incident"])
    _event(
        incident,
        at=at,
        actor=actor,
        verb="opened",
        to_status=IncidentStatus.NEW,
        note=f"report {report.receipt}",
    )
    return incident


@transaction.atomic
def incident_attach_report(
    *, incident: Incident, report: Report, actor: Any | None, at: datetime | None = None
) -> None:
    """Merge one more report into an incident (same event, another source)."""
    report.incident = incident
    report.save(update_fields=["incident"])
    _event(
        incident,
        at=at or timezone.now(),
        actor=actor,
        verb="report_attached",
        note=f"report {report.receipt}",
    )


@transaction.atomic
def incident_transition(
    *, incident: Incident, to: IncidentStatus, actor: Any | None, note: str = "", at: datetime | None = None
) -> Incident:
    """Move an incident along its workflow (verify, reject as hoax, resolve, reopen...)."""
    at = at or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    current = IncidentStatus(incident.status)
    check_transition(current, to)
    incident.status = to
    if to == IncidentStatus.VERIFIED and incident.verified_at is None:
        incident.verified_at = at
    incident.closed_at = None if to in (IncidentStatus.NEW, IncidentStatus.VERIFIED) else at
    incident.save(update_fields=["status", "verified_at", "closed_at", "updated_at"])
    _event(incident, at=at, actor=actor, verb="status_changed", from_status=current, to_status=to, note=note)
    return incident

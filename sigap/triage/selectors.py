"""Reads of incidents shared by pages: the incident list's filters."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from sigap.actors.models import IncidentActor
from sigap.intake.models import Report
from sigap.intake.receipts import receipt_normalise
from sigap.triage.models import IncidentQuerySet


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def incidents_matching(incidents: IncidentQuerySet, filters: dict[str, Any]) -> IncidentQuerySet:
    """`incidents` narrowed by the incident list's filters (IncidentFilterForm.valid_data()), latest first.

    Words are looked for in the title, the summary and every report's text (a reporter's words are how an analyst
    remembers an event) and receipt; dates are days in the deployment's time zone, both ends included."""
    status = filters.get("status")
    if status == "open":
        incidents = incidents.open()
    elif status:
        incidents = incidents.filter(status=status)
    if area := filters.get("area"):
        incidents = incidents.filter(Q(region__code=area) | Q(region__code__startswith=f"{area}."))
    if categories := filters.get("category"):
        incidents = incidents.filter(category__in=categories)
    if urgency := filters.get("urgency"):
        incidents = incidents.filter(urgency__gte=urgency)
    if since := filters.get("since"):
        incidents = incidents.filter(occurred_at__gte=_start_of(since))
    if until := filters.get("until"):
        incidents = incidents.filter(occurred_at__lt=_start_of(until + timedelta(days=1)))
    if group := filters.get("group"):
        named = IncidentActor.objects.current().filter(actor=group, incident=OuterRef("pk"))
        incidents = incidents.filter(Exists(named))
    if words := filters.get("q"):
        # A reporter who calls with the receipt code is found by it too (typed in any case, with or without dashes).
        in_reports = Report.objects.filter(
            Q(description__icontains=words) | Q(receipt=receipt_normalise(words)), incident=OuterRef("pk")
        )
        incidents = incidents.filter(Q(title__icontains=words) | Q(summary__icontains=words) | Exists(in_reports))
    return incidents.order_by(F("occurred_at").desc(nulls_last=True), "-pk")

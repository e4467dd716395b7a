from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.grading import Credibility, Reliability
from sigap.core.models import TimeStampedModel
from sigap.core.roles import CITYWIDE_ROLES, Role, role_of, under_codes
from sigap.core.timeline import TimelineWords
from sigap.triage.choices import Category, ConflictSource, IncidentStatus, Urgency


class IncidentQuerySet(models.QuerySet["Incident"]):
    def visible_to(self, user: Any) -> IncidentQuerySet:
        """Citywide roles see all; responders and mediators their areas; trusted reporters their own."""
        role = role_of(user)
        if role is None:
            return self.none()
        if role in CITYWIDE_ROLES:
            return self.all()
        if role == Role.TRUSTED_REPORTER:
            return self.filter(reports__submitted_by=user).distinct()
        return self.filter(under_codes("region", user.area_codes()))

    def open(self) -> IncidentQuerySet:
        return self.filter(status__in=[IncidentStatus.NEW, IncidentStatus.VERIFIED])


class Incident(TimeStampedModel):
    """A real-world event: one or more reports merged, triaged and verified."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices, default=Category.LAINNYA)
    conflict_source = models.CharField(_("conflict source"), max_length=32, choices=ConflictSource.choices, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.MEDIUM)
    status = models.CharField(
        _("status"), max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.NEW, db_index=True
    )
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    people_estimate = models.PositiveIntegerField(_("people involved (estimate)"), null=True, blank=True)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    killed = models.PositiveIntegerField(_("killed"), default=0)
    # The toll a sitrep leads with and recovery (pemulihan) starts from: people who fled their homes, and houses or
    # buildings damaged or burned (SNPK records both).
    displaced = models.PositiveIntegerField(_("displaced"), default=0)
    buildings_damaged = models.PositiveIntegerField(_("houses or buildings damaged"), default=0)
    # Escalation criteria of PP 2/2015 Ps 43 (with its Penjelasan), kept by the analyst; they raise an alert.
    crowd_growing = models.BooleanField(_("crowd growing and spreading"), default=False)
    arson_or_looting = models.BooleanField(_("arson, looting or destruction"), default=False)
    vital_object_damaged = models.BooleanField(_("offices or vital objects damaged or occupied"), default=False)
    police_outnumbered = models.BooleanField(_("police outnumbered or under-equipped"), default=False)
    # When its first report came in: the start of the end-to-end clock (kept here so that counting a year of
    # incidents does not join their reports).
    first_received_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Verification (Admiralty grading) and its clock.
    verification_due_at = models.DateTimeField(_("verify by"), null=True, blank=True, db_index=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "I am checking this one": the analyst verifying it now, so that two do not call the same Babinsa.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # A verified incident that nobody handles yet is looked at again on this day (EWARS' "monitor" outcome), and
    # the analyst who set it is reminded then.
    follow_up_on = models.DateField(_("look again on"), null=True, blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices, blank=True
    )
    info_credibility = models.PositiveSmallIntegerField(
        _("information credibility"), choices=Credibility.choices, null=True, blank=True
    )
    corroboration = models.TextField(_("corroborating sources"), blank=True)
    triage = models.JSONField(default=dict, blank=True, help_text="Automatic suggestions with reasons")

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["status", "urgency"]),
            models.Index(fields=["region", "occurred_at"]),
            # The dashboard, the sitrep and the public page count a period's verified incidents. The other columns
            # the dashboard reads make the index covering: a year of incidents is read from the index alone (on
            # SQLite 0.9 s instead of 1.9 s for 400,000 incidents; bench/dashboard_bench.py).
            models.Index(
                fields=[
                    "status",
                    "occurred_at",
                    "region",
                    "category",
                    "urgency",
                    "killed",
                    "arson_or_looting",
                    "vital_object_damaged",
                    "first_received_at",
                    "verified_at",
                    "verification_due_at",
                ],
                name="incident_period_covering",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IncidentEvent(TimelineWords, models.Model):
    """One line of an incident's timeline; written by the service that made the change."""

    status_choices = IncidentStatus

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    verb = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"

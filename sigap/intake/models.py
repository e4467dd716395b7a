from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.roles import CITYWIDE_ROLES, Role, role_of, under_codes
from sigap.intake.choices import Channel, PublicStatus


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: Any) -> ReportQuerySet:
        role = role_of(user)
        if role is None:
            return self.none()
        if role in CITYWIDE_ROLES:
            return self.all()
        if role == Role.TRUSTED_REPORTER:
            return self.filter(submitted_by=user)
        return self.filter(under_codes("region", user.area_codes()))


class Report(models.Model):
    """One submission from one source, kept as received, with its receipt code."""

    receipt = models.CharField(max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    description = models.TextField(_("what happened"))
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    location_text = models.CharField(_("place (as written)"), max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    raw = models.JSONField(default=dict, blank=True, help_text="The payload as received")
    # Incident is defined by the triage app, which merges reports; referenced by name to keep imports one-way.
    incident = models.ForeignKey(
        "triage.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.receipt

    @property
    def public_status(self) -> PublicStatus:
        if self.incident is None:
            return PublicStatus.RECEIVED
        return {
            "new": PublicStatus.IN_REVIEW,
            "verified": PublicStatus.VERIFIED,
            "resolved": PublicStatus.RESOLVED,
        }.get(self.incident.status, PublicStatus.CLOSED)

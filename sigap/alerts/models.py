"""Alerts: something that needs the Tim Terpadu's response now, followed through its lifecycle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.alerts.choices import AlertKind, AlertState
from sigap.core.models import TimeStampedModel
from sigap.core.roles import CITYWIDE_ROLES, Role, role_of, under_codes
from sigap.core.timeline import TimelineWords
from sigap.risk.choices import RiskLevel


class AlertQuerySet(models.QuerySet["Alert"]):
    def visible_to(self, user: Any) -> AlertQuerySet:
        """Staff of the whole city see every alert; responders and mediators those touching their areas."""
        role = role_of(user)
        if role is None:
            return self.none()
        if role in CITYWIDE_ROLES:
            return self.all()
        if role not in (Role.RESPONDER, Role.MEDIATOR):
            return self.none()
        return self.filter(under_codes("regions", user.area_codes())).distinct()

    def open(self) -> AlertQuerySet:
        return self.exclude(state=AlertState.CLOSED).filter(merged_into=None)


class Alert(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    state = models.CharField(_("state"), max_length=16, choices=AlertState.choices, default=AlertState.TRIGGERED)
    level = models.PositiveSmallIntegerField(_("level"), choices=RiskLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    reasons = models.JSONField(default=list, help_text="The reasons in words, one line each, newest last")
    city = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    regions = models.ManyToManyField("regions.Region", related_name="alerts")
    incidents = models.ManyToManyField("triage.Incident", related_name="alerts", blank=True)
    triggered_at = models.DateTimeField(_("triggered at"))
    last_activity_at = models.DateTimeField(help_text="New incidents in its areas attach until this + the window")
    close_proposed_at = models.DateTimeField(null=True, blank=True)
    close_proposed_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-triggered_at", "-id"]
        indexes = [models.Index(fields=["state", "triggered_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class AlertEvent(TimelineWords, models.Model):
    """The alert's timeline: each step with its time and who took it."""

    status_choices = AlertState
    status_fields = ("from_state", "to_state")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    verb = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.alert_id} {self.at:%Y-%m-%d %H:%M} {self.verb}"

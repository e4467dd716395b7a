"""Coordination of the Tim Terpadu: meetings and their decisions, the log of contacts between stakeholders, and the
integrated action plan (Rencana Aksi Terpadu) with its progress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.coordination.choices import ContactChannel, MeetingKind, PlanPart
from sigap.core.models import TimeStampedModel
from sigap.core.roles import STAFF_ROLES, role_of


class StaffQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> Any:
        """Coordination records are the team's own: every staff role reads them."""
        return self.all() if role_of(user) in STAFF_ROLES else self.none()


class Meeting(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices, default=MeetingKind.RAKOR)
    title = models.CharField(_("agenda"), max_length=200)
    held_at = models.DateTimeField(_("held at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=200, blank=True)
    organisations = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="meetings", verbose_name=_("organisations present")
    )
    attendees = models.TextField(_("attendance"), blank=True)
    attendee_count = models.PositiveSmallIntegerField(_("number present"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    incidents = models.ManyToManyField("triage.Incident", blank=True, related_name="meetings")
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="meetings")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_at:%Y-%m-%d})"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("decision"), max_length=500)
    task = models.OneToOneField("cases.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="decision")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class ContactLog(models.Model):
    """One contact between stakeholders: who reached whom, how, and what about."""

    at = models.DateTimeField(_("when"))
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("from organisation"),
    )
    counterpart = models.CharField(_("contacted"), max_length=200, help_text=_("Person, group or organisation"))
    channel = models.CharField(_("how"), max_length=12, choices=ContactChannel.choices)
    summary = models.TextField(_("what about"))
    incidents = models.ManyToManyField("triage.Incident", blank=True, related_name="contacts")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.counterpart}"


class PlanItem(TimeStampedModel):
    """One action of the Rencana Aksi Terpadu."""

    year = models.PositiveSmallIntegerField(_("year"))
    part = models.CharField(_("part"), max_length=12, choices=PlanPart.choices)
    action = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("owner")
    )
    target = models.CharField(_("target"), max_length=300, help_text=_("What counts as done"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["year", "part", "id"]

    def __str__(self) -> str:
        return self.action


class PlanProgress(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("as of"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("what was done"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.on}: {self.progress}%"

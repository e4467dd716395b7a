"""Response cases (penanganan) with their tasks and timeline, and the Status Keadaan Konflik of UU 7/2012."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.cases.choices import CasePhase, CaseStatus, StatusState, TaskStatus
from sigap.cases.rules import TNI_LETTER_HOURS
from sigap.core.models import TimeStampedModel
from sigap.core.roles import CITYWIDE_ROLES, Role, role_of
from sigap.core.timeline import TimelineWords
from sigap.directory.choices import OrganisationKind

# Responders and mediators work the cases their organisation leads or supports.
ORG_ROLES = {Role.RESPONDER, Role.MEDIATOR}


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any) -> CaseQuerySet:
        role = role_of(user)
        if role in CITYWIDE_ROLES:
            return self.all()
        if role in ORG_ROLES and user.organisation_id:
            org = user.organisation_id
            return self.filter(Q(lead_organisation=org) | Q(supporting_organisations=org)).distinct()
        return self.none()

    def open(self) -> CaseQuerySet:
        return self.exclude(status=CaseStatus.RESOLVED)


class Case(TimeStampedModel):
    """The response to a verified incident or an alert, until it is resolved (sampai tuntas)."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what is to be handled"), blank=True)
    city = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("area")
    )
    incidents = models.ManyToManyField("triage.Incident", related_name="cases", blank=True)
    alerts = models.ManyToManyField("alerts.Alert", related_name="cases", blank=True)
    lead_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("lead")
    )
    supporting_organisations = models.ManyToManyField(
        "directory.Organisation", related_name="supported_cases", blank=True, verbose_name=_("supporting")
    )
    phase = models.CharField(_("phase"), max_length=16, choices=CasePhase.choices, default=CasePhase.PENCEGAHAN)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    parties = models.JSONField(_("parties"), default=list, blank=True, help_text="Groups involved, one per item")
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The clock: when the present lead organisation got the case, and its deadlines (working days).
    disposed_at = models.DateTimeField()
    ack_due_at = models.DateTimeField()
    act_due_at = models.DateTimeField()
    resolve_due_at = models.DateTimeField(_("resolve by"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_action_at = models.DateTimeField(null=True, blank=True)
    resolution_summary = models.TextField(_("resolution"), blank=True)
    resolution_proposed_at = models.DateTimeField(null=True, blank=True)
    resolution_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    times_reopened = models.PositiveSmallIntegerField(default=0)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "lead_organisation"])]

    def __str__(self) -> str:
        return f"P-{self.pk} {self.title}"


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: Any) -> TaskQuerySet:
        role = role_of(user)
        if role in CITYWIDE_ROLES:
            return self.all()
        if role in ORG_ROLES:
            cases = Case.objects.visible_to(user)
            return self.filter(Q(owner_organisation=user.organisation_id) | Q(owner_user=user) | Q(case__in=cases))
        return self.none()

    def open(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.OPEN)


class Task(TimeStampedModel):
    """Work with an owner and a due date: part of a case, or a decision of a coordination meeting."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    owner_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("owner")
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("person in charge"),
    )
    due_at = models.DateTimeField(_("due"))
    # The deadline first given, kept when the deadline moves: a task moved three times still reads as such.
    first_due_at = models.DateTimeField(_("first due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_note = models.TextField(blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return self.title

    def finishable_by(self, user: Any) -> bool:
        """Its owner's staff report it done or cancelled, or an analyst does; the case's lead sees it but does not
        answer for another organisation."""
        role = role_of(user)
        if role in (Role.ADMIN, Role.ANALYST):
            return True
        return role in (Role.RESPONDER, Role.MEDIATOR) and user.organisation_id == self.owner_organisation_id

    def reschedulable_by(self, user: Any) -> bool:
        """Its owner may ask for more time (the timeline shows it to the lead), and so may the case's lead or an
        analyst, who may also hand it to another organisation (`transferable_by`)."""
        if self.finishable_by(user):
            return True
        return self.transferable_by(user)

    def transferable_by(self, user: Any) -> bool:
        role = role_of(user)
        if role in (Role.ADMIN, Role.ANALYST):
            return True
        lead = self.case.lead_organisation_id if self.case_id is not None and self.case is not None else None
        return role in ORG_ROLES and lead is not None and user.organisation_id == lead


class CaseEvent(TimelineWords, models.Model):
    """The case's timeline: actions taken in the field and every change of the case, with who and when."""

    status_choices = CaseStatus

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    verb = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"P-{self.case_id} {self.at:%Y-%m-%d %H:%M} {self.verb}"


class ConflictStatus(TimeStampedModel):
    """A Status Keadaan Konflik skala kabupaten/kota (UU 7/2012 Ps 14-31): declared by the Wali Kota after consulting
    the DPRD leadership, at most 90 days, one extension of at most 30 days, revocable early."""

    city = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    regions = models.ManyToManyField(
        "regions.Region", blank=True, related_name="conflict_statuses", verbose_name=_("area (empty: whole city)")
    )
    decree_number = models.CharField(_("decree number"), max_length=120)
    reasons = models.TextField(_("reasons"))
    dprd_consulted_on = models.DateField(_("DPRD leadership consulted on"))
    declared_on = models.DateField(_("declared on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    extension_decided_on = models.DateField(_("extension decided on"), null=True, blank=True)
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    funding_plan_filed_on = models.DateField(_("spending plan filed on"), null=True, blank=True)
    incidents = models.ManyToManyField("triage.Incident", blank=True, related_name="conflict_statuses")
    cases = models.ManyToManyField(Case, blank=True, related_name="conflict_statuses")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("Status Keadaan Konflik")

    def __str__(self) -> str:
        return f"{self.decree_number} ({self.starts_on}\u2013{self.last_day})"

    @property
    def last_day(self) -> date:
        """The last day in force: the revocation ends it the day before; an extension moves the end."""
        end = self.extended_to or self.ends_on
        if self.revoked_on is not None:
            end = min(end, self.revoked_on - timedelta(days=1))
        return end

    def state_on(self, day: date) -> StatusState | None:
        """None before it starts."""
        if day < self.starts_on:
            return None
        if day <= self.last_day:
            return StatusState.IN_FORCE
        return StatusState.REVOKED if self.revoked_on is not None else StatusState.EXPIRED


class ConflictStatusEvent(TimelineWords, models.Model):
    status = models.ForeignKey(ConflictStatus, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    verb = models.CharField(max_length=32)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"


class StatusReport(models.Model):
    """A progress report on a status (UU 7/2012 Ps 23): to the Gubernur, copied to the Mendagri and the DPRD."""

    status = models.ForeignKey(ConflictStatus, on_delete=models.CASCADE, related_name="reports")
    sent_on = models.DateField(_("sent on"))
    letter_number = models.CharField(_("letter number"), max_length=120)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.letter_number} ({self.sent_on})"


class TniAssistance(TimeStampedModel):
    """A request for the TNI's help while a status is in force (UU 7/2012 Ps 33-34; PP 2/2015 Ps 45-47): the Wali
    Kota asks the central government, by telephone if it cannot wait, and confirms an oral request in writing
    within 1 x 24 hours; the request states the reason, the area, how long and the logistics, with its copies. The
    help is coordinated by Polri and ends with the status (revoked or expired) at the latest."""

    status = models.ForeignKey(ConflictStatus, on_delete=models.CASCADE, related_name="tni_requests")
    asked_at = models.DateTimeField(_("asked at"))
    asked_orally = models.BooleanField(_("asked orally first (by telephone)"), default=True)
    addressed_to = models.CharField(_("addressed to"), max_length=200)
    reason = models.TextField(_("reason"))
    area = models.TextField(_("area"))
    days = models.PositiveSmallIntegerField(_("for how many days"))
    logistics = models.TextField(_("logistics"))
    letter_number = models.CharField(_("letter number"), max_length=120, blank=True)
    letter_sent_at = models.DateTimeField(_("letter sent at"), null=True, blank=True)
    copies_to = models.TextField(_("copies to"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    granted = models.BooleanField(_("granted"), null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("TNI assistance request")

    def __str__(self) -> str:
        return f"TNI #{self.pk} ({self.asked_at:%Y-%m-%d})"

    @property
    def letter_due_at(self) -> datetime:
        return self.asked_at + timedelta(hours=TNI_LETTER_HOURS)

    @property
    def letter_late(self) -> bool:
        """The written confirmation came (or is still missing) after 1 x 24 hours of an oral request."""
        if not self.asked_orally:
            return False
        sent = self.letter_sent_at or timezone.now()
        return sent > self.letter_due_at

    @property
    def last_day(self) -> date:
        """The last day of help: the days asked for, cut by an earlier end and by the status's own end."""
        asked_on = timezone.localdate(self.asked_at)
        end = min(asked_on + timedelta(days=self.days - 1), self.status.last_day)
        if self.ended_on is not None:
            end = min(end, self.ended_on - timedelta(days=1))
        return end

    def state_on(self, day: date) -> str:
        """One of asked, granted, refused, ended (the words are in TNI_STATES)."""
        if self.granted is False:
            return "refused"
        if day > self.last_day:
            return "ended"
        return "granted" if self.granted else "asked"


TNI_STATES = {
    "asked": _("Asked, awaiting the answer"),
    "granted": _("Granted"),
    "refused": _("Refused"),
    "ended": _("Ended"),
}


class StatusConsideration(models.Model):
    """The team's answer to the prompt an incident meeting PP 2/2015 Ps 43 raises: a status was declared, or
    is not needed (and why). Recorded so that the prompt is answered once and the reason stays."""

    incident = models.OneToOneField("triage.Incident", on_delete=models.CASCADE, related_name="status_consideration")
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    declared = models.ForeignKey(ConflictStatus, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField()

    def __str__(self) -> str:
        return f"#{self.incident_id}: {self.note[:60]}"


class ResponsePlan(TimeStampedModel):
    """Langkah yang disepakati (a protap): what the team agreed beforehand to do when an alert of a level, or an
    incident of a kind, comes: who does what within how many hours. The warning-response gap is in part nobody
    knowing whose move it is (ECOWARN's lesson: pre-agreed response options, explicit authority); opening a case
    from an alert or an incident offers the plans that fit, and the chosen one becomes the case's tasks."""

    name = models.CharField(_("name"), max_length=160)
    min_level = models.PositiveSmallIntegerField(
        _("from level"),
        choices=[(1, "Waspada"), (2, "Siaga"), (3, "Awas")],
        default=2,
        help_text=_("Offered for alerts at this level or above (incidents are matched by their kind only)."),
    )
    categories = models.JSONField(
        _("kinds of problem"),
        default=list,
        blank=True,
        help_text=_("Incident categories (e.g. bentrok_pendukung); empty: any."),
    )
    basis = models.CharField(
        _("agreed at"), max_length=200, blank=True, help_text=_("e.g. Rakor Tim Terpadu, 2 November 2020")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from sigap.triage.choices import Category

        if not isinstance(self.categories, list) or not all(isinstance(c, str) for c in self.categories):
            raise ValidationError({"categories": _('A list of categories, e.g. ["bentrok_pendukung"].')})
        unknown = sorted(set(self.categories) - set(Category.values))
        if unknown:
            raise ValidationError(
                {
                    "categories": _("Not a category: %(codes)s. Known: %(known)s.")
                    % {"codes": ", ".join(unknown), "known": ", ".join(Category.values)}
                }
            )


class ResponseStep(models.Model):
    """One agreed step: an action, by a named organisation or by the one of a kind that covers the place (the
    Polsek of the kecamatan, the kecamatan office), within so many hours of the case's opening."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    action = models.CharField(_("action"), max_length=300)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_kind = models.CharField(
        _("or the organisation of this kind covering the place"),
        max_length=24,
        blank=True,
        choices=OrganisationKind.choices,
    )
    due_hours = models.PositiveSmallIntegerField(_("within hours"), default=24)
    leads = models.BooleanField(_("leads the case"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_kind=""), name="response_step_has_an_owner"
            )
        ]

    def __str__(self) -> str:
        return self.action

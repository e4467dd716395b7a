"""Peaceful dispute resolution: forums, mediations with their parties and sessions, the agreement (kesepakatan
damai) with its commitments, follow-up visits, and the relapse watch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.core.models import TimeStampedModel
from sigap.core.roles import CITYWIDE_ROLES, STAFF_ROLES, Role, role_of, under_codes
from sigap.core.timeline import TimelineWords
from sigap.mediation.choices import Compliance, ForumKind, MediationStatus, MemberElement, TaskforceBasis


class ForumQuerySet(models.QuerySet["Forum"]):
    def visible_to(self, user: Any) -> ForumQuerySet:
        return self.all() if role_of(user) in STAFF_ROLES else self.none()


class Forum(TimeStampedModel):
    """A forum or institution that settles disputes, and the community leaders who facilitate it."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ForumKind.choices)
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="forums"
    )
    areas = models.ManyToManyField("regions.Region", blank=True, related_name="forums", verbose_name=_("areas"))
    facilitators = models.ManyToManyField("directory.Person", blank=True, related_name="forums")
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(default=True)

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MediationQuerySet(models.QuerySet["Mediation"]):
    def visible_to(self, user: Any) -> MediationQuerySet:
        """The whole city for citywide roles; mediators and responders their areas and the mediations they
        follow or their organisation facilitates."""
        role = role_of(user)
        if role in CITYWIDE_ROLES:
            return self.all()
        if role in (Role.MEDIATOR, Role.RESPONDER):
            mine = Q(mediator=user) | under_codes("region", user.area_codes())
            if user.organisation_id:
                mine |= Q(forum__organisation=user.organisation_id)
            return self.filter(mine).distinct()
        return self.none()

    def active(self) -> MediationQuerySet:
        return self.filter(status__in=[MediationStatus.PREPARING, MediationStatus.IN_SESSION, MediationStatus.AGREED])


class Mediation(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    forum = models.ForeignKey(Forum, null=True, blank=True, on_delete=models.PROTECT, related_name="mediations")
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="mediations"
    )
    incidents = models.ManyToManyField("triage.Incident", blank=True, related_name="mediations")
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="mediations")
    facilitators = models.ManyToManyField("directory.Person", blank=True, related_name="mediations")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediations",
        verbose_name=_("followed by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MediationStatus.choices, default=MediationStatus.PREPARING
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    objects = MediationQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"M-{self.pk} {self.title}"

    @property
    def agreement(self) -> Agreement | None:
        """The agreement in force: the latest signed, unless talks ended in a renewed one (then that one)."""
        return self.agreements.in_force().first()


class Party(models.Model):
    """A side in the dispute (a group) and who speaks for it."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("group"), max_length=200)
    representative = models.CharField(_("representative"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="sessions")
    scheduled_at = models.DateTimeField(_("scheduled at"))
    venue = models.CharField(_("venue"), max_length=200)
    held = models.BooleanField(_("held"), default=False)
    attendees = models.TextField(_("attendance"), blank=True, help_text=_("Who came, one per line"))
    attendee_count = models.PositiveSmallIntegerField(_("number present"), default=0)
    women_count = models.PositiveSmallIntegerField(_("women present"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    # Called off before it was held (a party cannot come, the venue is taken); a new date is a new session.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["scheduled_at", "id"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.scheduled_at:%Y-%m-%d}"


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def in_force(self) -> AgreementQuerySet:
        return self.filter(replaced_at=None)


class Agreement(models.Model):
    """The kesepakatan damai: what was agreed, signed by the parties' representatives. Talks that resume after a
    relapse may end in a renewed agreement, which replaces this one; the one replaced stays as it was signed."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="agreements")
    signed_on = models.DateField(_("signed on"))
    text = models.TextField(_("agreement"))
    signatories = models.TextField(_("signed by"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["signed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mediation"], condition=models.Q(replaced_at=None), name="one_agreement_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"Kesepakatan M-{self.mediation_id} ({self.signed_on})"


class Commitment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    description = models.CharField(_("commitment"), max_length=400)
    owner = models.CharField(_("owner"), max_length=200, help_text=_("Who is to do it"))
    due_on = models.DateField(_("due on"))
    compliance = models.CharField(max_length=8, choices=Compliance.choices, default=Compliance.PENDING)
    checked_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class FollowUp(models.Model):
    """A visit after the agreement that records whether each commitment is kept."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    results = models.JSONField(default=dict, help_text="commitment id -> compliance")

    class Meta:
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"M-{self.agreement_id} {self.visited_on}"


class RelapseFlag(models.Model):
    """A new verified incident involving the same parties or area after an agreement."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="relapses")
    incident = models.ForeignKey("triage.Incident", on_delete=models.CASCADE, related_name="relapse_flags")
    raised_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["mediation", "incident"], name="relapse_once")]

    def __str__(self) -> str:
        return f"M-{self.mediation_id} #{self.incident_id}"


class MediationEvent(TimelineWords, models.Model):
    status_choices = MediationStatus

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    verb = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"M-{self.mediation_id} {self.at:%Y-%m-%d %H:%M} {self.verb}"


class Taskforce(TimeStampedModel):
    """A Satuan Tugas Penyelesaian Konflik Sosial (UU 7/2012 Ps 42-51): formed ad hoc by the Wali Kota when no
    pranata adat or sosial can settle a conflict, or a status is declared. It finds the facts, reckons the losses
    and what is owed, recommends, and sends its final report to the Pemda, copied to the DPRD."""

    name = models.CharField(_("name"), max_length=200)
    decree_number = models.CharField(_("decree number"), max_length=120)
    formed_on = models.DateField(_("formed on"))
    basis = models.CharField(_("formed because"), max_length=16, choices=TaskforceBasis.choices)
    mandate = models.TextField(_("what it is to settle"))
    report_due_on = models.DateField(_("final report due on"))
    mediations = models.ManyToManyField(Mediation, blank=True, related_name="taskforces")
    conflict_status = models.ForeignKey(
        "cases.ConflictStatus", null=True, blank=True, on_delete=models.SET_NULL, related_name="taskforces"
    )
    findings = models.TextField(_("facts found"), blank=True)
    losses = models.TextField(_("losses and compensation"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    report_letter = models.CharField(_("letter number"), max_length=120, blank=True)
    report_sent_on = models.DateField(_("final report sent on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolve_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-formed_on", "-id"]
        verbose_name = _("Satgas PKS")

    def __str__(self) -> str:
        return self.name


class TaskforceMember(models.Model):
    taskforce = models.ForeignKey(Taskforce, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, help_text=_("e.g. Kapolres Pasuruan Kota, Ketua FKUB"))
    element = models.CharField(_("element"), max_length=16, choices=MemberElement.choices)
    woman = models.BooleanField(_("woman"), default=False)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["element", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class TaskforceEvent(TimelineWords, models.Model):
    taskforce = models.ForeignKey(Taskforce, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    verb = models.CharField(max_length=32)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"

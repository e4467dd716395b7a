"""The actor registry: the groups that appear in incidents, cases and mediations, kept under one name so that the
team sees the same groups over time (who keeps clashing with whom, where, and what was agreed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.actors.choices import ActorKind, LinkSource
from sigap.core.models import TimeStampedModel
from sigap.core.roles import STAFF_ROLES, role_of


class ActorQuerySet(models.QuerySet["Actor"]):
    def visible_to(self, user: Any) -> ActorQuerySet:
        """Staff only: a list of groups with their religion, ethnicity or camp is sensitive (never public, never
        shown to trusted reporters)."""
        return self.all() if role_of(user) in STAFF_ROLES else self.none()

    def active(self) -> ActorQuerySet:
        return self.filter(active=True)


class Actor(TimeStampedModel):
    """A group that takes part in conflicts: a candidate's supporters, an ormas, the residents of an RW, a
    developer. Reports name it in many ways; its aliases let Sigap find it in their words."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=ActorKind.choices)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("How reports write it, one per line (for example: relawan 01, tim paslon 01)"),
    )
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actors",
        verbose_name=_("home area"),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Who leads it, whom to contact, what to know"))
    active = models.BooleanField(
        _("still named in new reports"),
        default=True,
        help_text=_("Untick when the group has dissolved or was merged into another; its history stays."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Staff who asked to be told when a new incident names the group (a mediator after an agreement between camps).
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="followed_groups")

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        """The name and every alias, as written."""
        return [self.name, *(line.strip() for line in self.aliases.splitlines() if line.strip())]


class IncidentActorQuerySet(models.QuerySet["IncidentActor"]):
    def current(self) -> IncidentActorQuerySet:
        return self.filter(removed_at__isnull=True)


class IncidentActor(models.Model):
    """A group involved in an incident: found in the reports' words, or linked by an analyst. A link the analyst
    removes stays as a tombstone, so that the next report naming the group does not link it again."""

    incident = models.ForeignKey("triage.Incident", on_delete=models.CASCADE, related_name="actor_links")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="incident_links")
    source = models.CharField(max_length=12, choices=LinkSource.choices)
    matched_name = models.CharField(max_length=160, blank=True)
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_reason = models.CharField(max_length=300, blank=True)

    objects = IncidentActorQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "actor"], name="incident_actor_unique")]
        ordering = ["actor__name"]

    def __str__(self) -> str:
        return f"{self.actor} @ #{self.incident_id}"

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.models import TimeStampedModel
from sigap.core.roles import STAFF_ROLES, role_of
from sigap.directory.choices import FORKOPIMDA_KINDS, OrganisationKind, PersonRole, SubTeam, TeamPosition


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        """Every account sees the organisations (who handles what is no secret inside the team)."""
        return self.all() if role_of(user) is not None else self.none()


class Organisation(TimeStampedModel):
    """Polres, Kodim, Kejari, DPRD, Bakesbangpol, an OPD, a kecamatan office, FKUB, a community organisation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="units")
    areas = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="organisations",
        help_text=_("Regions this organisation covers"),
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    active = models.BooleanField(default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_forkopimda(self) -> bool:
        return self.kind in FORKOPIMDA_KINDS


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: Any) -> PersonQuerySet:
        """People and their contacts are for staff; trusted reporters and the public see none."""
        return self.all() if role_of(user) in STAFF_ROLES else self.none()

    def serving(self) -> PersonQuerySet:
        """Those who still serve: an RT head replaced or a Babinsa moved on stays in the history, not in the network
        or the choices of a new forum or mediation."""
        return self.filter(active=True)


class Person(TimeStampedModel):
    """A community leader or officer the team works with (tokoh, RT/RW, Babinsa, Bhabinkamtibmas...)."""

    name = models.CharField(_("name"), max_length=160)
    role = models.CharField(_("role"), max_length=24, choices=PersonRole.choices)
    title = models.CharField(_("position"), max_length=160, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    active = models.BooleanField(
        _("still serves"),
        default=True,
        help_text=_("Untick when the person no longer serves (replaced, moved, passed away); their history stays."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class TeamDecree(TimeStampedModel):
    """The Keputusan Wali Kota that forms the Tim Terpadu for a year."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="team_decrees")
    number = models.CharField(_("decree number"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    issued_on = models.DateField(_("issued on"))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-year", "-issued_on"]

    def __str__(self) -> str:
        return f"{self.number} ({self.year})"


class TeamMembershipQuerySet(models.QuerySet["TeamMembership"]):
    def visible_to(self, user: Any) -> TeamMembershipQuerySet:
        return self.all() if role_of(user) is not None else self.none()


class TeamMembership(models.Model):
    """A seat in the Tim Terpadu: held by an organisation (through its head) and/or a named person."""

    decree = models.ForeignKey(TeamDecree, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="team_seats"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="team_seats")
    seat_title = models.CharField(_("seat"), max_length=200, help_text="e.g. Kapolres Pasuruan Kota")
    sub_team = models.CharField(_("sub-team"), max_length=16, choices=SubTeam.choices)
    position = models.CharField(
        _("position"), max_length=16, choices=TeamPosition.choices, default=TeamPosition.ANGGOTA
    )

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["decree", "sub_team", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(person__isnull=False),
                name="team_membership_has_holder",
            )
        ]

    def __str__(self) -> str:
        return self.seat_title

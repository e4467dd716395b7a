from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    """Who the group is, in the words of a Pilkada city (ACLED's actor types, narrowed to what a kelurahan sees)."""

    CANDIDATE_CAMP = "candidate_camp", _("Candidate's team and supporters")
    POLITICAL_PARTY = "political_party", _("Political party")
    ORMAS = "ormas", _("Community organisation (ormas)")
    RELIGIOUS = "religious", _("Religious group")
    ETHNIC = "ethnic", _("Ethnic or regional association (paguyuban)")
    RESIDENTS = "residents", _("Residents of a place (RT/RW, kampung)")
    YOUTH = "youth", _("Youth group, perguruan silat, supporters' club")
    WORKERS = "workers", _("Workers, traders, drivers")
    STUDENTS = "students", _("Students")
    BUSINESS = "business", _("Company or developer")
    GOVERNMENT = "government", _("Government office or official")
    SECURITY = "security", _("Police, military or security guards")
    OTHER = "other", _("Other")


class LinkSource(models.TextChoices):
    NAMED = "named", _("named in the reports")
    ANALYST = "analyst", _("linked by an analyst")

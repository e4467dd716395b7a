from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.IntegerChoices):
    """The local ladder (conflict law has no graded scale; PVMBG's volcano scale lent the words)."""

    AMAN = 0, _("Aman")
    WASPADA = 1, _("Waspada")
    SIAGA = 2, _("Siaga")
    AWAS = 3, _("Awas")


class PhaseKind(models.TextChoices):
    KAMPANYE = "kampanye", _("Campaign")
    MASA_TENANG = "masa_tenang", _("Quiet period (masa tenang)")
    PEMUNGUTAN = "pemungutan", _("Voting day")
    REKAPITULASI = "rekapitulasi", _("Recapitulation")
    SENGKETA = "sengketa", _("Disputes over results")


class Vulnerability(models.IntegerChoices):
    NONE = 0, _("None")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")

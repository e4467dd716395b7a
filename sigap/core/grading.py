"""The Admiralty (NATO) grading of sources and information, used when reports are verified."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reliability(models.TextChoices):
    """Source reliability, the A-F half of the Admiralty (NATO) grading."""

    A = "A", _("A - completely reliable")
    B = "B", _("B - usually reliable")
    C = "C", _("C - fairly reliable")
    D = "D", _("D - not usually reliable")
    E = "E", _("E - unreliable")
    F = "F", _("F - reliability cannot be judged")


class Credibility(models.IntegerChoices):
    """Information credibility, the 1-6 half of the Admiralty grading."""

    CONFIRMED = 1, _("1 - confirmed by other sources")
    PROBABLY_TRUE = 2, _("2 - probably true")
    POSSIBLY_TRUE = 3, _("3 - possibly true")
    DOUBTFUL = 4, _("4 - doubtful")
    IMPROBABLE = 5, _("5 - improbable")
    CANNOT_JUDGE = 6, _("6 - truth cannot be judged")

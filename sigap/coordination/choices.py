from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    RAKOR = "rakor", _("Coordination meeting (rapat koordinasi)")
    APEL = "apel", _("Assembly (apel)")
    TERBATAS = "terbatas", _("Restricted meeting (rapat terbatas)")
    OTHER = "other", _("Other")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    MESSAGE = "message", _("Message (WhatsApp, SMS)")
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    LETTER = "letter", _("Letter")


class PlanPart(models.TextChoices):
    """The parts of a Rencana Aksi Terpadu (Inpres 1/2014)."""

    PENCEGAHAN = "pencegahan", _("Prevention (pencegahan)")
    PENGHENTIAN = "penghentian", _("Stopping and root causes (penghentian)")
    PEMULIHAN = "pemulihan", _("Recovery (pemulihan)")

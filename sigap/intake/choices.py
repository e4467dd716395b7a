from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.grading import Credibility, Reliability

__all__ = ["Channel", "Credibility", "CrowdSize", "MessageDirection", "PublicStatus", "Reliability"]


class Channel(models.TextChoices):
    WEB = "web", _("Public web form")
    TRUSTED = "trusted", _("Trusted reporter")
    API = "api", _("API")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    IMPORT = "import", _("Import (CSV/XLSX)")


class PublicStatus(models.TextChoices):
    """What a reporter sees through the receipt; derived from the incident, never staff notes."""

    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("Being checked")
    VERIFIED = "verified", _("Verified, being handled")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed without action")


class CrowdSize(models.TextChoices):
    FEW = "1-10", _("1 to 10 people")
    TENS = "11-50", _("11 to 50 people")
    HUNDRED = "51-100", _("51 to 100 people")
    HUNDREDS = "100+", _("more than 100 people")


class MessageDirection(models.TextChoices):
    FROM_REPORTER = "in", _("From the reporter")
    TO_REPORTER = "out", _("From the team")

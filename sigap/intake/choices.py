from django.db import models
from django.utils.translation import gettext_lazy as _


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

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    LEVEL_RISE = "level_rise", _("Level rose")
    CLUSTER = "cluster", _("Spreading over several neighbouring villages")
    GRAVE_INCIDENT = "grave_incident", _("Incident meets the escalation criteria")
    MANUAL = "manual", _("Raised by an analyst")


class AlertState(models.TextChoices):
    """The lifecycle of WHO EWARS: from the signal to the response."""

    TRIGGERED = "triggered", _("Triggered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSESSED = "assessed", _("Assessed")
    RESPONDING = "responding", _("Responding")
    CLOSED = "closed", _("Closed")


ORDER = [AlertState.TRIGGERED, AlertState.ACKNOWLEDGED, AlertState.ASSESSED, AlertState.RESPONDING, AlertState.CLOSED]

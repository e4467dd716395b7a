from django.db import models
from django.utils.translation import gettext_lazy as _


class CasePhase(models.TextChoices):
    """The three parts of conflict handling in UU 7/2012."""

    PENCEGAHAN = "pencegahan", _("Prevention (pencegahan)")
    PENGHENTIAN = "penghentian", _("Stopping (penghentian)")
    PEMULIHAN = "pemulihan", _("Recovery (pemulihan)")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the lead organisation")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("Being handled")
    RESOLUTION_PROPOSED = "resolution_proposed", _("Resolution proposed")
    RESOLVED = "resolved", _("Resolved")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Stage(models.TextChoices):
    """The stages of the end-to-end clock, in order."""

    RECEIVED = "received", _("Report received")
    VERIFIED = "verified", _("Verified")
    DISPOSED = "disposed", _("Handed to the lead organisation")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the lead organisation")
    FIRST_ACTION = "first_action", _("First action")
    RESOLVED = "resolved", _("Resolved")


class StatusState(models.TextChoices):
    """A Status Keadaan Konflik: in force, or ended (expired or revoked)."""

    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked early")

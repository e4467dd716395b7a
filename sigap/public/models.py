"""What the team tells the public in its own words (never an identity, a note or an exact point): warnings about an
alert, published on the public page and in the CAP feed, and clarifications of rumours found untrue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.risk.choices import RiskLevel
from sigap.triage.choices import IncidentStatus


class PublicWarning(models.Model):
    alert = models.ForeignKey(
        "alerts.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="public_warnings"
    )
    regions = models.ManyToManyField("regions.Region", related_name="+", verbose_name=_("areas"))
    level = models.PositiveSmallIntegerField(_("level"), choices=RiskLevel.choices)
    headline = models.CharField(_("headline"), max_length=160)
    description = models.TextField(_("what is happening"))
    instruction = models.TextField(_("what the public should do"))
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("valid until"))
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_note = models.CharField(max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.headline


class ClarificationQuerySet(models.QuerySet["Clarification"]):
    def in_force(self) -> ClarificationQuerySet:
        """Not withdrawn, and its incident still decided a hoax: reopening the incident puts the finding in doubt,
        so the page stops saying it without anyone having to remember to withdraw it."""
        return self.filter(withdrawn_at=None, incident__status=IncidentStatus.HOAX)


class Clarification(models.Model):
    """A rumour the team checked and found untrue, told to the public in the team's words: what is going round and
    what is true (counter-messaging, as Una Hakika does). It is for the many who heard the rumour and never
    reported it; its page is short enough to forward to the WhatsApp groups where the rumour went round."""

    incident = models.ForeignKey("triage.Incident", null=True, on_delete=models.SET_NULL, related_name="clarifications")
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("area")
    )
    claim = models.CharField(_("what is going round"), max_length=300)
    finding = models.TextField(_("what the team found"))
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_note = models.CharField(max_length=300, blank=True)

    objects = ClarificationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.claim

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None and self.incident is not None and self.incident.status == IncidentStatus.HOAX

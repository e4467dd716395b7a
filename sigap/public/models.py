"""Public warnings: what the team decides to tell the public about an alert, in words written for the public
(never an identity, a note or an exact point), published on the public page and in the CAP feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.risk.choices import RiskLevel


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

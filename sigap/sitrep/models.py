"""Every situation report made is remembered by what it showed, so that the next one says what changed since."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SitrepRecord(models.Model):
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    starts_on = models.DateField()
    ends_on = models.DateField()
    area_code = models.CharField(max_length=32)
    format = models.CharField(max_length=8)
    snapshot = models.JSONField(default=dict, help_text="levels per kelurahan, open alert and case numbers")

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"{self.starts_on}\u2013{self.ends_on} ({self.format})"

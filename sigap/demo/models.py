from __future__ import annotations

from django.db import models


class DemoWebhookDelivery(models.Model):
    """What the demo's own webhook receiver got (a stand-in for a command centre's system)."""

    received_at = models.DateTimeField(auto_now_add=True)
    signature_ok = models.BooleanField()
    idempotency_key = models.CharField(max_length=120)
    payload = models.JSONField()

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M:%S} {self.idempotency_key}"

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


class DemoTextMessage(models.Model):
    """What the demo's own SMS/WhatsApp gateway got (a stand-in for a provider that reaches reporters' phones)."""

    received_at = models.DateTimeField(auto_now_add=True)
    to = models.CharField(max_length=32)  # the phone at the other end
    text = models.TextField()
    idempotency_key = models.CharField(max_length=120)
    # Sent from the demo phone to Sigap (/demo/ponsel/), rather than by Sigap to a phone.
    from_phone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M:%S} {self.idempotency_key}"

    @property
    def to_masked(self) -> str:
        """The number with its middle hidden: the demo page is a stand-in for the provider, not a contact list."""
        return self.to[:5] + "*" * max(len(self.to) - 9, 0) + self.to[-4:] if len(self.to) > 9 else "*" * len(self.to)

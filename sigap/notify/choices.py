from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook (JSON)")
    TELEGRAM = "telegram", _("Telegram")
    GATEWAY = "gateway", _("SMS/WhatsApp gateway")
    IN_APP = "in_app", _("In the app")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed for good")
    DROPPED = "dropped", _("Not sent: no longer true")

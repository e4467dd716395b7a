from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from sigap.notify.transports.base import Outgoing, TransportError

kind = "in_app"


def validate(config: dict[str, Any]) -> dict[str, Any]:
    if config:
        raise ValidationError({"config": "in-app channels take no configuration (they belong to a user)"})
    return {}


def send(message: Outgoing, channel: Any) -> None:
    from sigap.notify.models import InAppMessage, Notification

    if channel.user_id is None:
        raise TransportError("an in-app channel needs a user", retryable=False)
    notification = Notification.objects.get(idempotency_key=message.idempotency_key)
    InAppMessage.objects.get_or_create(
        notification=notification,
        defaults={"user_id": channel.user_id, "subject": message.subject, "body": message.body, "at": timezone.now()},
    )

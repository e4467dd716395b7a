from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email

from sigap.notify.transports.base import Outgoing, TransportError

kind = "email"


def validate(config: dict[str, Any]) -> dict[str, Any]:
    address = str(config.get("address", "")).strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"config": f"email needs a valid 'address', not {address!r}"}) from None
    return {"address": address}


def send(message: Outgoing, channel: Any) -> None:
    mail = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[channel.config["address"]],
        # The same key on every retry: a receiving system can drop a duplicate after a crash mid-send.
        headers={
            "Message-ID": f"<{message.idempotency_key}@sigap>",
            "X-Sigap-Idempotency-Key": message.idempotency_key,
        },
    )
    try:
        mail.send(fail_silently=False)
    except OSError as exc:  # smtplib errors are OSErrors: refused, timed out, rejected
        raise TransportError(f"SMTP: {exc}") from exc

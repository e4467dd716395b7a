from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from django.core.exceptions import ValidationError

from sigap.notify.transports.base import Outgoing, TransportError, post_json

kind = "webhook"


def validate(config: dict[str, Any]) -> dict[str, Any]:
    url = str(config.get("url", "")).strip()
    secret = str(config.get("secret", "")).strip()
    if not url.startswith(("https://", "http://")):
        raise ValidationError({"config": "webhook needs a 'url' starting with https://"})
    if len(secret) < 16:
        raise ValidationError({"config": "webhook needs a 'secret' of at least 16 characters (HMAC-SHA256)"})
    return {"url": url, "secret": secret}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def send(message: Outgoing, channel: Any) -> None:
    body = {**message.payload, "subject": message.subject, "text": message.body, "ack_url": message.ack_url}
    raw = json.dumps(body, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Idempotency-Key": message.idempotency_key,
        "X-Sigap-Timestamp": timestamp,
        "X-Sigap-Signature": "sha256=" + signature(channel.config["secret"], timestamp, raw),
    }
    if not channel.config.get("url"):
        raise TransportError("no URL configured", retryable=False)
    post_json(channel.config["url"], body, headers)

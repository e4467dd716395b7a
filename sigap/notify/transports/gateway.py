"""A WhatsApp/SMS gateway over HTTP: POST {"to", "text", "id"} with a bearer token; the text fits one SMS."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from sigap.notify.transports.base import Outgoing, post_json

kind = "gateway"


def validate(config: dict[str, Any]) -> dict[str, Any]:
    url = str(config.get("url", "")).strip()
    phone = "".join(ch for ch in str(config.get("phone", "")) if ch.isdigit() or ch == "+")
    if not url.startswith(("https://", "http://")):
        raise ValidationError({"config": "gateway needs a 'url'"})
    if len(phone.lstrip("+")) < 9:
        raise ValidationError({"config": "gateway needs a 'phone' number, e.g. +62812..."})
    return {"url": url, "phone": phone, "token": str(config.get("token", ""))}


def send(message: Outgoing, channel: Any) -> None:
    headers = {"Idempotency-Key": message.idempotency_key}
    if channel.config.get("token"):
        headers["Authorization"] = f"Bearer {channel.config['token']}"
    body = {"to": channel.config["phone"], "text": message.short, "id": message.idempotency_key}
    post_json(channel.config["url"], body, headers)

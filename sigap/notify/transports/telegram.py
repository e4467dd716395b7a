from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from sigap.notify.transports.base import Outgoing, TransportError, post_json

kind = "telegram"


def validate(config: dict[str, Any]) -> dict[str, Any]:
    chat_id = str(config.get("chat_id", "")).strip()
    token = str(config.get("bot_token", "")).strip() or settings.SIGAP_TELEGRAM_BOT_TOKEN
    if not chat_id.lstrip("-").isdigit():
        raise ValidationError({"config": "telegram needs a numeric 'chat_id'"})
    if ":" not in token:
        raise ValidationError({"config": "telegram needs a 'bot_token' (or SIGAP_TELEGRAM_BOT_TOKEN)"})
    return {"chat_id": chat_id, **({"bot_token": config["bot_token"]} if config.get("bot_token") else {})}


def send(message: Outgoing, channel: Any) -> None:
    token = channel.config.get("bot_token") or settings.SIGAP_TELEGRAM_BOT_TOKEN
    if not token:
        raise TransportError("no bot token", retryable=False)
    url = f"{settings.SIGAP_TELEGRAM_API.rstrip('/')}/bot{token}/sendMessage"
    text = f"{message.subject}\n\n{message.body}"[:4000]
    post_json(url, {"chat_id": channel.config["chat_id"], "text": text, "disable_web_page_preview": True})

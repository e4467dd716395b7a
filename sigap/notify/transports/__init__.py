"""Transports: one module per channel kind, each with `validate(config)` and `send(message, channel)`.

Adding a kind is one module here, registered in REGISTRY below, plus its tests (checklist in docs/architecture.md).
"""

from __future__ import annotations

from sigap.notify.transports import email, gateway, in_app, telegram, webhook
from sigap.notify.transports.base import Outgoing, Transport, TransportError

REGISTRY: dict[str, Transport] = {t.kind: t for t in (email, webhook, telegram, gateway, in_app)}

__all__ = ["REGISTRY", "Outgoing", "Transport", "TransportError"]

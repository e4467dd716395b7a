from __future__ import annotations

import ipaddress
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings


class TransportError(Exception):
    """A failed send; `retryable` says whether trying again later may help (timeouts, 5xx, 429)."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Outgoing:
    subject: str
    body: str  # full text, Bahasa Indonesia then English
    short: str  # at most 160 characters, for SMS
    idempotency_key: str
    ack_url: str  # empty for messages that need no acknowledgement (tasks, cases, digests, tests)
    payload: dict[str, Any]  # structured, for webhooks


class Transport(Protocol):
    kind: str

    def validate(self, config: dict[str, Any]) -> dict[str, Any]: ...

    def send(self, message: Outgoing, channel: Any) -> None: ...


def guard_address(url: str) -> None:
    """Refuse URLs that resolve to private, loopback or link-local addresses (a webhook must not reach the inside
    of the network it is sent from), unless SIGAP_NOTIFY_ALLOW_PRIVATE is on (tests, an intranet gateway)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TransportError(f"not an http(s) URL: {url}", retryable=False)
    if settings.SIGAP_NOTIFY_ALLOW_PRIVATE:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise TransportError(f"cannot resolve {parts.hostname}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise TransportError(f"{parts.hostname} resolves to a private address ({address})", retryable=False)


def post_json(url: str, body: dict[str, Any], headers: dict[str, str] | None = None, timeout: float = 10.0) -> bytes:
    guard_address(url)
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by guard_address
        url, data=data, method="POST", headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        retryable = exc.code >= 500 or exc.code == 429
        raise TransportError(f"HTTP {exc.code} from {urlsplit(url).hostname}", retryable=retryable) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TransportError(f"no answer from {urlsplit(url).hostname}: {exc}") from exc

"""Inbound SMS/WhatsApp: signature checks for the two webhook forms, and the parser of message text. No Django ORM.

Generic form: JSON {"channel": "sms"|"whatsapp", "from": "+62...", "text": "...", "id": "<message id>"} with
headers X-Sigap-Timestamp (unix seconds) and X-Sigap-Signature = hex(HMAC-SHA256(secret, "<timestamp>.<body>")).
A timestamp outside the window, or a message id already received, is a replay and is refused.

Twilio form (SMS and WhatsApp): application/x-www-form-urlencoded with From, Body, MessageSid, signed in the
X-Twilio-Signature header = base64(HMAC-SHA1(auth token, URL + each POST key and value, keys sorted)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

REPLAY_WINDOW_SECONDS = 300
_SHORT_FORMAT = re.compile(r"^\s*lapor[\s:#.,-]+(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)


class SignatureError(ValueError):
    pass


def _same(expected: str, given: str) -> bool:
    """Constant-time comparison of a signature as bytes: compare_digest refuses str with non-ASCII characters, and a
    forged header may carry any."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))


def generic_signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify_generic(*, secret: str, timestamp: str, signature: str, body: bytes, now: float) -> None:
    if not secret:
        raise SignatureError("gateway secret not configured")
    try:
        sent = int(timestamp)
    except ValueError:
        raise SignatureError("missing or malformed X-Sigap-Timestamp") from None
    if abs(now - sent) > REPLAY_WINDOW_SECONDS:
        raise SignatureError("timestamp outside the replay window")
    if not _same(generic_signature(secret, timestamp, body), signature.strip().lower()):
        raise SignatureError("signature does not match")


def twilio_signature(token: str, url: str, params: Mapping[str, str]) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


def verify_twilio(*, token: str, url: str, params: Mapping[str, str], signature: str) -> None:
    if not token:
        raise SignatureError("gateway secret not configured")
    if not _same(twilio_signature(token, url, params), signature.strip()):
        raise SignatureError("signature does not match")


@dataclass(frozen=True)
class ParsedMessage:
    description: str
    place_code: str | None  # a kelurahan named right after LAPOR
    place_text: str
    short_format: bool


def parse_message(text: str, *, resolve_place: Callable[[str], str | None]) -> ParsedMessage:
    """'LAPOR Bugul Lor ada bentrok di pasar' -> place Bugul Lor + description; anything else is free text.

    resolve_place maps a candidate name (1-3 words) to a kelurahan code or None.
    """
    text = " ".join(text.split())
    match = _SHORT_FORMAT.match(text)
    if not match:
        return ParsedMessage(description=text, place_code=None, place_text="", short_format=False)
    words = match.group("rest").split(" ")
    for size in (3, 2, 1):
        if len(words) <= size:
            continue
        candidate = " ".join(words[:size])
        code = resolve_place(candidate)
        if code:
            return ParsedMessage(
                description=" ".join(words[size:]), place_code=code, place_text=candidate, short_format=True
            )
    return ParsedMessage(description=match.group("rest"), place_code=None, place_text="", short_format=True)

"""Encryption of reporter identities at rest (Fernet, rotatable keys) and keyed digests for look-ups.

Keys come from SIGAP_FIELD_KEYS (comma-separated Fernet keys, newest first; or SIGAP_FIELD_KEYS_FILE).
A raw database dump shows only tokens; finding a reporter by contact uses an HMAC digest, never plaintext.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UnreadableSecret(ValueError):
    """A sealed value that none of the configured keys opens (wrong or missing key)."""


@cache
def _fernet() -> MultiFernet:
    keys = list(settings.SIGAP_FIELD_KEYS)
    if not keys:
        raise ImproperlyConfigured("SIGAP_FIELD_KEYS is empty: reporter identities cannot be stored safely.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"SIGAP_FIELD_KEYS holds a key that is not a Fernet key: {exc}") from None


@cache
def _digest_key() -> bytes:
    # Derived from the newest key, so one secret to manage; a separate purpose label keeps it distinct.
    return hashlib.sha256(b"sigap-contact-digest\0" + settings.SIGAP_FIELD_KEYS[0].encode()).digest()


def seal(text: str) -> str:
    """Encrypt; the empty string stays empty (nothing to hide)."""
    if not text:
        return ""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def unseal(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise UnreadableSecret("a sealed value could not be opened with the configured keys") from None


def seal_bytes(data: bytes) -> bytes:
    """Encrypt a file's bytes (an uploaded log with reporters' contacts, kept until it is confirmed)."""
    return _fernet().encrypt(data)


def unseal_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken:
        raise UnreadableSecret("sealed bytes could not be opened with the configured keys") from None


def normalise_contact(contact: str) -> str:
    """One form per contact: e-mail lower-cased; Indonesian phone numbers as 62xxxxxxxx."""
    value = contact.strip().lower()
    if "@" in value:
        return value
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def international_phone(number: str) -> str:
    """A phone number's digits in international form: 0812..., +62 812... and 812... (a mobile typed without its 0)
    are all 62812...; a landline keeps its area code (0343 421234 is 62343421234)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits.startswith("0"):
        return "62" + digits[1:]
    if digits.startswith("8") and 9 <= len(digits) <= 12:
        return "62" + digits
    return digits


def contact_digest(contact: str) -> str:
    normal = normalise_contact(contact)
    if not normal:
        return ""
    return hmac.new(_digest_key(), normal.encode("utf-8"), hashlib.sha256).hexdigest()

"""Receipt codes: unguessable (60 random bits) and easy to read aloud or copy (no 0/O, 1/I/L)."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols; 12 of them give about 59 bits
_GROUP = 4
_LENGTH = 12
_CLEAN = re.compile(r"[^0-9A-Z]")


def receipt_new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(_LENGTH))
    return "-".join(raw[i : i + _GROUP] for i in range(0, _LENGTH, _GROUP))


def receipt_normalise(text: str) -> str:
    """Accept what people type: lower case, spaces, missing dashes."""
    raw = _CLEAN.sub("", text.upper())
    return "-".join(raw[i : i + _GROUP] for i in range(0, len(raw), _GROUP))

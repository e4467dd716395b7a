"""Partner systems' tokens, checked on every API report."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from sigap.intake.models import ApiPartner

# How long a web process trusts a token it has accepted before asking the database again: the lookup was about a
# tenth of a report's cost on the API. Disabling or rotating a token in this process takes effect at once
# (forget_partners, on the model's signals); in the other processes (another web process, `sigap partners
# disable`) within this time.
TRUSTED_FOR_S = 5.0
_MAX_REMEMBERED = 1_000
_accepted: dict[str, tuple[float, ApiPartner]] = {}


def forget_partners(**_signal: Any) -> None:
    _accepted.clear()


def partner_for_token(token: str) -> ApiPartner | None:
    """The active partner holding this token, or None. Only accepted tokens are remembered: unknown ones are
    asked for every time, so guessing cannot fill the memory."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    now = time.monotonic()
    remembered = _accepted.get(digest)
    if remembered is not None and now - remembered[0] < TRUSTED_FOR_S:
        return remembered[1]
    partner = ApiPartner.objects.filter(token_sha256=digest, active=True).first()
    if partner is None:
        _accepted.pop(digest, None)
        return None
    if len(_accepted) >= _MAX_REMEMBERED:
        _accepted.clear()
    _accepted[digest] = (now, partner)
    return partner

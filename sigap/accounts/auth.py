"""Who is calling the staff API: the session's user, or the owner of a bearer staff token."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from sigap.accounts.models import StaffToken, User
from sigap.core.roles import STAFF_ROLES, role_of


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def staff_token_create(user: User, name: str) -> str:
    """Make a token and return it; it is shown once and only its hash is stored."""
    token = f"sgs_{secrets.token_urlsafe(32)}"
    StaffToken.objects.create(user=user, name=name, token_sha256=token_digest(token))
    return token


def staff_caller(request: HttpRequest) -> Any | None:
    """A staff user from the session or an `Authorization: Bearer` staff token; None otherwise.

    Staff are the roles of STAFF_ROLES: a trusted reporter signs in to send reports, not to read the team's work.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user if role_of(user) in STAFF_ROLES else None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = StaffToken.objects.select_related("user").filter(token_sha256=token_digest(token.strip()), active=True)
    row = found.first()
    if row is None or not row.user.is_active or role_of(row.user) not in STAFF_ROLES:
        return None
    StaffToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user

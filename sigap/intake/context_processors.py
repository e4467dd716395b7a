"""The count of identity requests waiting beside the custodian's menu link: a request nobody sees waits forever."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from sigap.intake.models import IdentityRequest


def identity_requests(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "identity_custodian", False):
        return {}

    @cache
    def waiting() -> int:  # counted only on pages that show the menu, and only for custodians
        return IdentityRequest.objects.filter(decided_at=None).exclude(requested_by=user).count()

    return {"identity_waiting": waiting}

"""The unread count beside "Inbox" in the navigation: an in-app warning is only useful if it is noticed."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from sigap.notify.models import InAppMessage


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread() -> int:  # templates call it; counted once, and only on pages that show it
        return InAppMessage.objects.filter(user=user, read_at=None).count()

    return {"inbox_unread": unread}

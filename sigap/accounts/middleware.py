"""Accounts of the roles in SIGAP_TWO_FACTOR_ROLES reach nothing but the two-step setup until they have set it up."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sigap.accounts.two_factor import device_of, required_for


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        needs_setup = settings.SIGAP_TWO_FACTOR_ROLES and required_for(request.user) and not _allowed(request.path)
        if needs_setup and device_of(request.user) is None:
            messages.warning(request, _("Your role signs in with a code from an authenticator app: set it up first."))
            return redirect("accounts:two_factor")
        return self.get_response(request)


def _allowed(path: str) -> bool:
    """The setup itself, signing out, the language switch and static files."""
    open_paths = (reverse("accounts:two_factor"), reverse("logout"), reverse("set_language"), settings.STATIC_URL)
    return path.startswith(open_paths)

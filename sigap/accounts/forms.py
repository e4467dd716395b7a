"""Sign-in with a brake on password guessing, and a person's own password change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sigap.core import audit
from sigap.core.net import client_ip
from sigap.core.ratelimit import hit, is_over

LOCKED = _(
    "Too many failed sign-ins. Wait a quarter of an hour and try again, or ask Sigap's administrator "
    "to set a new password."
)


def _limits(username: str, address: str) -> list[tuple[str, int, timedelta]]:
    """(key, failures allowed, window): failures per account from one address (a mistyped password), per address
    over all accounts (one machine trying many), and per account over all addresses (many machines trying one).
    The last is high, so that someone who knows an analyst's user name cannot easily lock them out on election
    day."""
    per_quarter = settings.SIGAP_SIGN_IN_FAILURES_PER_15_MIN
    per_hour = settings.SIGAP_SIGN_IN_FAILURES_PER_HOUR
    return [
        (f"signin:{username}:{address}", per_quarter, timedelta(minutes=15)),
        (f"signin-address:{address}", per_hour, timedelta(hours=1)),
        (f"signin-account:{username}", 4 * per_hour, timedelta(hours=1)),
    ]


def sign_in_locked(username: str, address: str) -> bool:
    """Whether this account or address has failed too often to be given another try for now."""
    return any(is_over(key, limit=allowed - 1, period=period) for key, allowed, period in _limits(username, address))


def sign_in_failed(username: str, address: str) -> None:
    """Count a failed password or code; the failure that reaches a limit locks, and writes one audit row."""
    limits = _limits(username, address)
    # The failure that reaches a limit locks (hence limit - 1: the counter is over it from then on).
    crossed = [key for key, allowed, period in limits if hit(key, limit=allowed - 1, period=period)]
    if crossed:  # the failure that locks is the last one counted in this window: one audit row per lock
        audit.append(
            actor=None,
            action="account.sign_in_locked",
            object_type="accounts.user",
            object_id=username[:64],  # the audit column's width; a longer name is an attack, not an account
            details={"address": address, "limits": [key.split(":")[0] for key in crossed]},
        )


class SignInForm(AuthenticationForm):
    """Django's sign-in, refused without looking at the password once an account or address has failed too often.

    An unknown user name fails and locks like a known one, so the lock tells nothing about who has an account."""

    locked = False

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip().lower()[:150]
        address = client_ip(self.request) if self.request is not None else ""
        if sign_in_locked(username, address):
            self.locked = True
            raise ValidationError(LOCKED, code="locked")
        try:
            return super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                sign_in_failed(username, address)
            raise


class CodeForm(forms.Form):
    """The second step: the 6-digit code the authenticator app shows now, or one of the person's recovery codes
    (a field of its own, so that a phone's keyboard has digits for the one and letters for the other)."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
    recovery = forms.CharField(
        label=_("Or one of your recovery codes"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("code") or "").strip() and not (cleaned.get("recovery") or "").strip():
            raise ValidationError(_("Type the code the app shows, or one of your recovery codes."), code="empty")
        return cleaned

    def typed(self) -> str:
        return str(self.cleaned_data.get("code") or "").strip() or str(self.cleaned_data.get("recovery") or "")


class ResetRequestForm(forms.Form):
    """ "Forgot your password?": the user name or the e-mail address that the administrator gave the account."""

    account = forms.CharField(
        label=_("User name or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}),
    )

    def users(self) -> list[Any]:
        """The active accounts this names (none, which the page does not tell, or several sharing one address:
        each gets its own link); whether one has somewhere to send the link is the sender's question."""
        from sigap.accounts.models import User

        named = self.cleaned_data["account"].strip()
        matches = User.objects.filter(is_active=True)
        found = matches.filter(username__iexact=named) or matches.exclude(email="").filter(email__iexact=named)
        return [user for user in found.order_by("pk") if user.has_usable_password()]

"""Two-step sign-in: after the password, a 6-digit code from an authenticator app (TOTP, RFC 6238).

An account that can reveal a reporter's identity is worth guessing and phishing; a code from the person's phone
makes a stolen password alone useless. django-otp keeps the secret and checks codes (clock drift, a code used once,
throttling after failures); Sigap adds who must use it (SIGAP_TWO_FACTOR_ROLES), the setup on one's own account
page, the second step of the sign-in, and an administrator's audited reset for a lost phone.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigap.core.services import audit_record

DEVICE_NAME = "aplikasi autentikator"


def device_of(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they turned two-step sign-in on."""
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def required_for(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in settings.SIGAP_TWO_FACTOR_ROLES


def setup_start(user: Any) -> TOTPDevice:
    """A new secret for the user to scan (unconfirmed until a code from it is given): a setup left half-way and
    started again gets a fresh secret, never one that may have been seen on another screen."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_setup(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def setup_confirm(user: Any, code: str) -> bool:
    """The first code from the scanned secret turns two-step sign-in on (and replaces an earlier authenticator)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(_digits(code)):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="account.two_factor_on", target=user)
    return True


@transaction.atomic
def code_accepted(user: Any, code: str) -> bool:
    """A sign-in's second step. The device row is locked, so one code cannot be used twice at once; django-otp
    refuses a code already used and slows down repeated failures."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    return device is not None and bool(device.verify_token(_digits(code)))


@transaction.atomic
def two_factor_off(user: Any, *, actor: Any, reason: str) -> int:
    """Remove the user's authenticators: by the person (with a code), or by an administrator for a lost phone."""
    removed: int = TOTPDevice.objects.filter(user=user).delete()[0]
    if removed:
        audit_record(actor=actor, action="account.two_factor_off", target=user, details={"reason": reason[:200]})
    return removed


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in (base32, in groups of four)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth URI as an inline SVG QR code, drawn here (no image service sees the secret)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1b1b1b", light="#ffffff"))


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())[:8]

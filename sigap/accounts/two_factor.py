"""Two-step sign-in: after the password, a 6-digit code from an authenticator app (TOTP, RFC 6238).

An account that can reveal a reporter's identity is worth guessing and phishing; a code from the person's phone
makes a stolen password alone useless. django-otp keeps the secret and checks codes (clock drift, a code used once,
throttling after failures); Sigap adds who must use it (SIGAP_TWO_FACTOR_ROLES), the setup on one's own account
page, the second step of the sign-in, recovery codes for a lost phone, and an administrator's audited reset.

Recovery codes are django-otp static tokens, but the table holds a keyed digest of each code, not the code: a
database dump or backup that leaves the machine does not carry a way into the accounts.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any, Literal

import segno
from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigap.core.services import audit_record

DEVICE_NAME = "aplikasi autentikator"
RECOVERY_NAME = "kode cadangan"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper and typed on a phone
RECOVERY_LENGTH = 10  # 31**10, about 49 bits: with django-otp's doubling delay after each miss, beyond guessing
Accepted = Literal["app", "recovery"]


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
def code_accepted(user: Any, code: str, *, recovery: bool = True) -> Accepted | None:
    """A sign-in's second step: the app's code, or else (unless `recovery` is off) one of the person's recovery
    codes, spent by its use. The device row is locked, so one code cannot be used twice at once; django-otp refuses
    a code already used and slows down repeated failures."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return None
    typed = _typed(code)
    if typed.isdigit() and len(typed) <= 8:
        return "app" if device.verify_token(typed) else None
    if not recovery or len(typed) != RECOVERY_LENGTH:
        return None
    codes = StaticDevice.objects.select_for_update().filter(user=user, name=RECOVERY_NAME).first()
    if codes is None or not codes.verify_token(_recovery_digest(user, typed)):
        return None
    left = codes.token_set.count()
    audit_record(actor=user, action="account.recovery_code_used", target=user, details={"left": left})
    return "recovery"


@transaction.atomic
def recovery_codes_new(user: Any) -> list[str]:
    """A new set of recovery codes for the person to keep on paper; the earlier set stops working. The codes are
    returned once, for showing: only their digests are kept."""
    recovery, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    recovery.token_set.all().delete()
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=_recovery_digest(user, code)) for code in codes)
    audit_record(actor=user, action="account.recovery_codes_new", target=user, details={"count": len(codes)})
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(user: Any) -> int:
    left: int = StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()
    return left


@transaction.atomic
def two_factor_off(user: Any, *, actor: Any, reason: str) -> int:
    """Remove the user's authenticators: by the person (with a code), or by an administrator for a lost phone."""
    removed: int = TOTPDevice.objects.filter(user=user).delete()[0]
    StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).delete()  # the codes were a way past the app
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


def _typed(code: str) -> str:
    """A code as typed, less spaces, dashes and case."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _recovery_digest(user: Any, typed: str) -> str:
    """What the token table holds for a recovery code: a digest keyed with the project's secret key and the
    account (16 hex characters fill django-otp's column)."""
    return salted_hmac("sigap.accounts.recovery-code", f"{user.pk}:{typed}", algorithm="sha256").hexdigest()[:16]

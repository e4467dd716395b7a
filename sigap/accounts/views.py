from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache

from sigap.accounts import two_factor
from sigap.accounts.forms import LOCKED, CodeForm, ResetRequestForm, SignInForm, sign_in_failed, sign_in_locked
from sigap.accounts.models import User
from sigap.core.net import client_ip
from sigap.core.ratelimit import hit
from sigap.core.services import audit_record
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel
from sigap.notify.transports import REGISTRY, Outgoing, TransportError

log = logging.getLogger(__name__)

PENDING = "sigap_sign_in_pending"  # the session key of a sign-in whose password was right and whose code is due
PENDING_FOR = timedelta(minutes=5)
NEW_RECOVERY_CODES = "sigap_new_recovery_codes"  # shown once on the next view of the setup page, then gone
RECOVERY_CODES_LOW = 2  # the account page asks for a new set when this few are left
WRONG_CODE = gettext_lazy("That code is not right. Type the code the app shows now (it changes every 30 seconds).")
WRONG_CODE_OR_RECOVERY = gettext_lazy(
    "That code is not right. Type the code the old phone's app shows now, or one of your recovery codes."
)


class SignInView(auth_views.LoginView):
    """Django's sign-in; an account with two-step sign-in on is not signed in yet: its code is asked next."""

    template_name = "core/login.html"
    authentication_form = SignInForm

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if two_factor.device_of(user) is None:
            return super().form_valid(form)
        self.request.session.cycle_key()  # a new session id from here on: a planted one learns nothing
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", ""),
            "at": timezone.now().isoformat(),
            "next": self.get_success_url(),
        }
        return redirect("accounts:sign_in_code")


def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step of a sign-in: the code from the authenticator app, within five minutes of the password.
    Wrong codes count towards the same brake as wrong passwords."""
    pending: dict[str, Any] | None = request.session.get(PENDING)
    started = parse_datetime(pending["at"]) if pending else None
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    if pending is None or started is None or user is None or timezone.now() - started > PENDING_FOR:
        request.session.pop(PENDING, None)
        if pending is not None:
            messages.info(request, _("Sign in again: the code was not given within five minutes."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        address = client_ip(request)
        username = user.get_username().lower()
        if sign_in_locked(username, address):
            error = str(LOCKED)
        elif accepted := two_factor.code_accepted(user, form.typed()):
            del request.session[PENDING]
            login(request, user, backend=pending["backend"] or None)
            target = pending["next"]
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = "/"
            if accepted == "recovery":
                left = two_factor.recovery_codes_left(user)
                messages.warning(request, _recovery_code_used(left))
            return HttpResponseRedirect(target)
        else:
            sign_in_failed(username, address)
            error = _("That code is not right, or it was used already. Type the code the app shows now.")
    return render(request, "accounts/sign_in_code.html", {"form": form, "error": error})


def _recovery_code_used(left: int) -> str:
    used = ngettext(
        "You signed in with a recovery code; %(left)d is left.",
        "You signed in with a recovery code; %(left)d are left.",
        left,
    ) % {"left": left}
    return f"{used} " + _(
        "Phone lost or replaced? Set the app up on the new phone under Your account, Two-step sign-in; "
        "make new recovery codes there too."
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Who the reader is in Sigap, and their own password change (audited; their other sessions end with it)."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # this session stays; others signed in as the user end
        audit_record(actor=user, action="account.password_changed", target=user)
        messages.success(request, _("Password changed. Other devices signed in with your account are signed out."))
        return redirect("accounts:account")
    own = Channel.objects.filter(user=request.user.pk, active=True).order_by("kind", "pk")
    organisation = getattr(request.user, "organisation", None)
    shared = Channel.objects.filter(organisation=organisation, active=True) if organisation else Channel.objects.none()
    context = {
        "form": form,
        "own_channels": own,
        "organisation_channels": shared,
        "email_kind": ChannelKind.EMAIL,
        "two_factor_on": two_factor.device_of(request.user) is not None,
        "two_factor_required": two_factor.required_for(request.user),
        "recovery_codes_left": two_factor.recovery_codes_left(request.user),
        "recovery_codes_low": RECOVERY_CODES_LOW,
    }
    return render(request, "accounts/account.html", context)


@never_cache  # the page shows a secret key or recovery codes: no copy of it in a browser's or proxy's cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn two-step sign-in on (scan the secret, give the first code), move it to a new phone, make new recovery
    codes, or turn it off; each change that opens a way in asks for a current code."""
    user = request.user
    device = two_factor.device_of(user)
    error = ""
    if request.method == "POST":
        action, code = request.POST.get("action"), request.POST.get("code", "")
        if action == "start" and device is None:
            two_factor.setup_start(user)
        elif action == "start":  # a new phone: the old app's code, or a recovery code if the phone is lost
            if two_factor.code_accepted(user, code):
                two_factor.setup_start(user)
            else:
                error = str(WRONG_CODE_OR_RECOVERY)
        elif action == "confirm":
            if two_factor.setup_confirm(user, code):
                messages.success(request, _("Two-step sign-in is on: from now on Sigap asks for the app's code."))
                if not two_factor.recovery_codes_left(user):
                    request.session[NEW_RECOVERY_CODES] = two_factor.recovery_codes_new(user)
                return redirect("accounts:two_factor")
            error = str(WRONG_CODE)
        elif action == "recovery_codes" and device is not None:
            # The app's code only: a recovery code typed here would be spent on nothing.
            if two_factor.code_accepted(user, code, recovery=False):
                request.session[NEW_RECOVERY_CODES] = two_factor.recovery_codes_new(user)
                return redirect("accounts:two_factor")
            error = str(WRONG_CODE)
        elif action == "off" and device is not None:
            if two_factor.required_for(user):
                error = _("Your role must sign in with a code; ask the administrator if you lost your phone.")
            elif two_factor.code_accepted(user, code, recovery=False):
                two_factor.two_factor_off(user, actor=user, reason="by the account's owner")
                messages.success(request, _("Two-step sign-in is off."))
                return redirect("accounts:account")
            else:
                error = str(WRONG_CODE)
    pending = two_factor.pending_setup(user)
    context = {
        "device": device,
        "pending": pending,
        "qr": mark_safe(two_factor.qr_svg(pending)) if pending else "",  # noqa: S308 - segno's SVG of our own URI
        "secret": two_factor.secret_text(pending) if pending else "",
        "required": two_factor.required_for(user),
        "new_codes": request.session.pop(NEW_RECOVERY_CODES, None) if request.method == "GET" else None,
        "codes_left": two_factor.recovery_codes_left(user),
        "error": error,
    }
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)


RESETS_PER_ADDRESS_PER_HOUR = 10  # one machine asking for many accounts' links
RESETS_PER_ACCOUNT_PER_HOUR = 3  # one mailbox flooded with links


def password_reset(request: HttpRequest) -> HttpResponse:
    """ "Forgot your password?": a link to choose a new one, sent to the e-mail address and the phones the
    administrator gave the account (`_send_reset_link`). The page answers the same whether or not the account
    exists, so that it tells nobody who has one; the link works once, for an hour (PASSWORD_RESET_TIMEOUT), and a
    new password signs out every other session. An account with two-step sign-in still asks for its code after the
    new password."""
    form = ResetRequestForm(request.POST or None)
    sent, error = False, ""
    if request.method == "POST" and form.is_valid():
        address = client_ip(request)
        if hit(f"reset-address:{address}", limit=RESETS_PER_ADDRESS_PER_HOUR, period=timedelta(hours=1)):
            error = _("Too many requests from this connection. Wait an hour, or ask Sigap's administrator.")
        else:
            for user in form.users():
                if not hit(f"reset-account:{user.pk}", limit=RESETS_PER_ACCOUNT_PER_HOUR, period=timedelta(hours=1)):
                    _send_reset_link(request, user, address)
            sent = True
    return render(request, "accounts/password_reset.html", {"form": form, "sent": sent, "error": error})


def _send_reset_link(request: HttpRequest, user: User, address: str) -> None:
    """The link, to the account's e-mail address and to the phones the administrator gave the person (an SMS or
    WhatsApp gateway channel: a Bhabinkamtibmas or a tokoh often has no e-mail). Sent now, not through the outbox,
    so that the link is never stored; an account with neither gets nothing (and the page says the same)."""
    path = reverse(
        "accounts:password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
    )
    link = (settings.SIGAP_PUBLIC_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/")) + path
    phones = Channel.objects.filter(user=user, kind=ChannelKind.GATEWAY, active=True).order_by("pk")
    if not user.email and not phones:
        return
    sent: list[str] = []
    if user.email and _mail_reset_link(user, link):
        sent.append("email")
    for channel in phones:
        short = f"Sigap: kata sandi baru akun {user.get_username()}, 1 jam, sekali: {link}"
        message = Outgoing(
            subject="",
            body=short,
            short=short[:160],
            idempotency_key=f"password-reset:{user.pk}:{timezone.now().timestamp()}:c{channel.pk}",
            ack_url="",
            payload={},
        )
        try:
            REGISTRY[ChannelKind.GATEWAY].send(message, channel)
            sent.append(f"gateway:{channel.pk}")
        except TransportError:
            log.exception("password reset message for user %s not sent through channel %s", user.pk, channel.pk)
    audit_record(
        actor=None,
        action="account.password_reset_requested",
        target=user,
        details={"address": address, "sent": sent},
    )


def _mail_reset_link(user: User, link: str) -> bool:
    body = (
        f'Seseorang (semoga Anda) meminta kata sandi baru untuk akun Sigap "{user.get_username()}".\n'
        f"Buka tautan ini dalam satu jam untuk memilihnya (tautan hanya berlaku sekali):\n{link}\n\n"
        "Bila bukan Anda yang meminta, abaikan surel ini: kata sandi Anda tidak berubah. Bila surel seperti ini "
        "datang berulang kali, beri tahu administrator Sigap.\n\n"
        f'Someone (hopefully you) asked for a new password for the Sigap account "{user.get_username()}". '
        "Open the link above within an hour to choose one (it works once). If it was not you, ignore this "
        "message: your password has not changed."
    )
    try:
        send_mail("[Sigap] Kata sandi baru / New password", body, None, [user.email])
    except (smtplib.SMTPException, OSError):
        log.exception("password reset mail for user %s not sent", user.pk)
        return False
    return True


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page: a new password (Django checks the token, hides it from the address bar, and signs every
    other session of the account out with the new password)."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("login")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=form.user, action="account.password_reset", target=form.user)
        messages.success(self.request, _("New password saved. Sign in with it."))
        return response

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigap.accounts import two_factor
from sigap.accounts.forms import LOCKED, CodeForm, SignInForm, sign_in_failed, sign_in_locked
from sigap.accounts.models import User
from sigap.core.net import client_ip
from sigap.core.services import audit_record
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel

PENDING = "sigap_sign_in_pending"  # the session key of a sign-in whose password was right and whose code is due
PENDING_FOR = timedelta(minutes=5)
WRONG_CODE = gettext_lazy("That code is not right. Type the code the app shows now (it changes every 30 seconds).")


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
        elif two_factor.code_accepted(user, form.cleaned_data["code"]):
            del request.session[PENDING]
            login(request, user, backend=pending["backend"] or None)
            target = pending["next"]
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = "/"
            return HttpResponseRedirect(target)
        else:
            sign_in_failed(username, address)
            error = _("That code is not right, or it was used already. Type the code the app shows now.")
    return render(request, "accounts/sign_in_code.html", {"form": form, "error": error})


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
    }
    return render(request, "accounts/account.html", context)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn two-step sign-in on (scan the secret, give the first code), or off (with a current code)."""
    user = request.user
    device = two_factor.device_of(user)
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "")
        if request.POST.get("action") == "start" and device is None:
            two_factor.setup_start(user)
        elif request.POST.get("action") == "confirm":
            if two_factor.setup_confirm(user, code):
                messages.success(request, _("Two-step sign-in is on: from now on Sigap asks for the app's code."))
                return redirect("accounts:account")
            error = str(WRONG_CODE)
        elif request.POST.get("action") == "off" and device is not None:
            if two_factor.required_for(user):
                error = _("Your role must sign in with a code; ask the administrator if you lost your phone.")
            elif two_factor.code_accepted(user, code):
                two_factor.two_factor_off(user, actor=user, reason="by the account's owner")
                messages.success(request, _("Two-step sign-in is off."))
                return redirect("accounts:account")
            else:
                error = str(WRONG_CODE)
    pending = two_factor.pending_setup(user) if device is None else None
    context = {
        "device": device,
        "pending": pending,
        "qr": mark_safe(two_factor.qr_svg(pending)) if pending else "",  # noqa: S308 - segno's SVG of our own URI
        "secret": two_factor.secret_text(pending) if pending else "",
        "required": two_factor.required_for(user),
        "error": error,
    }
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)

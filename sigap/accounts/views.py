from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sigap.core.services import audit_record
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel


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
    context = {"form": form, "own_channels": own, "organisation_channels": shared, "email_kind": ChannelKind.EMAIL}
    return render(request, "accounts/account.html", context)

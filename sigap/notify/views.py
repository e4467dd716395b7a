from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sigap.core.forms import id_param
from sigap.core.roles import Role, role_of
from sigap.notify.choices import ChannelKind
from sigap.notify.forms import PreviewForm
from sigap.notify.models import Channel, InAppMessage
from sigap.notify.services import (
    AckError,
    NothingToAcknowledge,
    TooManyAddresses,
    acknowledge_via_link,
    channels_for_rules,
    matching_rules,
    message_link,
    notification_from_token,
    personal_channel_remove,
    personal_email_add,
)


@require_http_methods(["GET", "POST"])
def ack(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every message. GET shows the alert and one button; the POST acknowledges (a mail scanner that
    follows links must not acknowledge on anybody's behalf)."""
    try:
        notification = notification_from_token(token)
    except NothingToAcknowledge as nothing:
        # A task's or a case's message: its reader wanted the page that the message is about.
        link = message_link(nothing.notification)
        if not link.startswith(settings.SIGAP_PUBLIC_URL.rstrip("/") + "/"):
            return render(request, "notify/ack.html", {"nothing": True})
        parts = urlsplit(link)
        return redirect(parts.path + (f"#{parts.fragment}" if parts.fragment else ""))
    except AckError:
        return render(request, "notify/ack.html", {"invalid": True}, status=404)
    if request.method == "POST":
        alert = acknowledge_via_link(token, request.user)
        messages.success(request, _("Thank you: the alert is acknowledged."))
        return (
            redirect("notify:ack", token=token)
            if not request.user.is_authenticated
            else redirect("alerts:detail", pk=alert.pk)
        )
    return render(request, "notify/ack.html", {"notification": notification, "alert": notification.alert})


INBOX_PAGE_SIZE = 30


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Newest first, a page at a time; the messages shown are the ones marked read (an unread message on a later
    page stays counted in the navigation until it is seen)."""
    mine = InAppMessage.objects.filter(user_id=int(request.user.pk or 0)).order_by("-at", "-id")
    page = Paginator(mine, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    unread = [m.pk for m in page if m.read_at is None]
    InAppMessage.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "notify/inbox.html", {"items": page, "page": page})


@login_required
def routing_preview(request: HttpRequest) -> HttpResponse:
    """Who would be told, tier by tier, of an alert in a kelurahan at a level (and category)."""
    if role_of(request.user) not in (Role.ADMIN, Role.ANALYST):
        raise PermissionDenied
    form = PreviewForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        rules = matching_rules([data["region"].code], data["level"], {data["category"]} if data["category"] else set())
        context |= {"rules": rules, "tiers": channels_for_rules(rules)}
    return render(request, "notify/preview.html", context)


@login_required
@require_POST
def my_channels(request: HttpRequest) -> HttpResponse:
    """Add an e-mail address of one's own, or stop one of one's own channels (from the account page)."""
    if request.POST.get("remove"):
        # Only the e-mail addresses one adds here; the in-app inbox and the channels the administrator set stay.
        channel = get_object_or_404(
            Channel, pk=id_param(request.POST, "remove"), user=request.user, kind=ChannelKind.EMAIL, active=True
        )
        personal_channel_remove(user=request.user, channel=channel)
        messages.success(
            request, _("Sigap no longer writes to %(name)s.") % {"name": channel.config.get("address", channel.name)}
        )
    else:
        address = request.POST.get("address", "")[:254]
        try:
            channel = personal_email_add(user=request.user, address=address)
        except ValidationError:
            words = _("%(address)s is not an e-mail address.") % {"address": address or "—"}
            messages.error(request, _("Not saved: %(why)s") % {"why": words})
        except TooManyAddresses as exc:
            messages.error(request, _("Not saved: %(why)s") % {"why": exc})
        else:
            messages.success(
                request,
                _("Saved. A test message is on its way to %(address)s.") % {"address": channel.config["address"]},
            )
    return redirect(f"{reverse('accounts:account')}#kanal")

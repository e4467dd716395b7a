from __future__ import annotations

from datetime import time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sigap.core.forms import id_param
from sigap.core.roles import CITYWIDE_ROLES, STAFF_ROLES, Role, require_role, role_of
from sigap.notify import duty
from sigap.notify.choices import ChannelKind
from sigap.notify.forms import HandoverForm, PreviewForm, ShiftCancelForm, ShiftForm, ShiftHandForm
from sigap.notify.models import Channel, DutyShift, InAppMessage
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


# ---- The secretariat's duty roster ------------------------------------------------------------------------------

ROSTER_KEEPERS = {Role.ADMIN, Role.ANALYST}
ROSTER_AHEAD = timedelta(days=14)
ROSTER_BEHIND = timedelta(days=7)
GAPS_AHEAD = timedelta(days=7)


@login_required
def duty_roster(request: HttpRequest) -> HttpResponse:
    """Who is on duty now, the shifts ahead with the stretches nobody took, and the last week's hand-overs; the
    analysts and the administrator keep it, every staff role reads it."""
    require_role(request.user, STAFF_ROLES)
    now = timezone.now()
    initial = {"day": timezone.localdate(now), "starts": time(8), "ends": time(20), "days": 1}
    form = ShiftForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require_role(request.user, ROSTER_KEEPERS)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shifts = duty.shifts_add(
                    user=data["user"],
                    spans=duty.spans_of(data["day"], data["starts"], data["ends"], data["days"]),
                    actor=request.user,
                    now=now,
                )
            except duty.DutyError as exc:
                messages.error(request, _("Not saved: %(why)s") % {"why": exc})
            else:
                messages.success(
                    request,
                    ngettext("%(n)d shift added.", "%(n)d shifts added.", len(shifts)) % {"n": len(shifts)},
                )
                return redirect("notify:duty")
    listed = list(
        DutyShift.objects.filter(ends_at__gt=now - ROSTER_BEHIND, starts_at__lt=now + ROSTER_AHEAD)
        .select_related("user")
        .order_by("starts_at", "pk")
    )
    context = {
        "now": now,
        "on_duty": duty.on_duty(now),
        "ahead": [s for s in listed if s.ends_at > now],
        "behind": [s for s in reversed(listed) if s.ends_at <= now],
        "gaps": duty.gaps(now, now + GAPS_AHEAD),
        "form": form,
        "can_keep": role_of(request.user) in ROSTER_KEEPERS,
        "reads_handover": role_of(request.user) in CITYWIDE_ROLES,
    }
    return render(request, "notify/duty.html", context)


@login_required
def duty_shift(request: HttpRequest, pk: int) -> HttpResponse:
    """One shift: what happened during it, the hand-over it took over and the one it leaves; the one on duty writes
    the hand-over, the keepers hand the shift to a colleague or call it off."""
    require_role(request.user, STAFF_ROLES)
    shift = get_object_or_404(DutyShift.objects.select_related("user"), pk=pk)
    now = timezone.now()
    keeper = role_of(request.user) in ROSTER_KEEPERS
    mine = shift.user_id == request.user.pk
    forms = {
        "handover": HandoverForm(initial={"note": shift.handover_note}),
        "hand": ShiftHandForm(),
        "cancel": ShiftCancelForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not (keeper or mine) or (action == "handover" and not mine) or (action in ("hand", "cancel") and not keeper):
            raise PermissionDenied
        if action not in forms:
            return HttpResponseBadRequest(_("Unknown action."))
        form = {"handover": HandoverForm, "hand": ShiftHandForm, "cancel": ShiftCancelForm}[action](request.POST)
        forms[action] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "handover":
                    duty.handover_record(shift=shift, actor=request.user, note=data["note"], now=now)
                    messages.success(request, _("Hand-over saved: the next shift reads it on its page."))
                elif action == "hand":
                    duty.shift_hand_to(
                        shift=shift, to_user=data["to_user"], actor=request.user, reason=data["reason"], now=now
                    )
                    messages.success(request, _("The shift changed hands; both have been told."))
                else:
                    duty.shift_cancel(shift=shift, actor=request.user, reason=data["reason"], now=now)
                    messages.success(request, _("The shift is called off."))
                return redirect("notify:duty_shift", pk=shift.pk)
            except duty.DutyError as exc:
                messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    standing = shift.cancelled_at is None
    # The hand-over and the city's counts are the secretariat's words about incidents anywhere in the city: read by
    # the roles that see the whole city; a Polsek's responder reads who is on duty, to call the posko.
    reads_handover = role_of(request.user) in CITYWIDE_ROLES
    context = {
        "shift": shift,
        "now": now,
        "running": standing and shift.starts_at <= now < shift.ends_at,
        "over": shift.ends_at <= now,
        "summary": duty.shift_summary(shift, now) if reads_handover and standing and shift.starts_at <= now else None,
        "before": duty.shift_before(shift) if reads_handover else None,
        "reads_handover": reads_handover,
        "forms": forms,
        "can_write": mine and standing and shift.starts_at <= now,
        "can_change": keeper and standing and shift.ends_at > now,
    }
    return render(request, "notify/duty_shift.html", context)

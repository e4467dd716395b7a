"""The demo's stand-ins for the outside world: a webhook receiver, an SMS/WhatsApp gateway and a mailbox, so that
`make run` shows alerts reaching people by email and webhook, and reporters by SMS, without any server of their own."""

from __future__ import annotations

import hmac
import json
import re
import uuid
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sigap.accounts.models import User
from sigap.core.crypto import international_phone
from sigap.core.roles import Role, role_of
from sigap.demo.models import DemoTextMessage, DemoWebhookDelivery
from sigap.notify.models import Channel
from sigap.notify.transports.webhook import signature

DEMO_WEBHOOK_NAME = "Ruang situasi (demo)"


@csrf_exempt
@require_POST
def webhook_receiver(request: HttpRequest) -> HttpResponse:
    channel = Channel.objects.filter(name=DEMO_WEBHOOK_NAME, kind="webhook").first()
    if channel is None:
        return JsonResponse({"detail": "no demo webhook channel"}, status=404)
    raw = request.body
    expected = "sha256=" + signature(channel.config["secret"], request.headers.get("X-Sigap-Timestamp", ""), raw)
    ok = hmac.compare_digest(expected, request.headers.get("X-Sigap-Signature", ""))
    try:
        payload = json.loads(raw)
    except ValueError:
        return JsonResponse({"detail": "not JSON"}, status=400)
    key = request.headers.get("Idempotency-Key", "")
    if not DemoWebhookDelivery.objects.filter(idempotency_key=key).exists():  # a retry is recorded once
        DemoWebhookDelivery.objects.create(signature_ok=ok, idempotency_key=key, payload=payload)
    return JsonResponse({"ok": ok}, status=200 if ok else 401)


@csrf_exempt
@require_POST
def sms_gateway(request: HttpRequest) -> HttpResponse:
    """The demo's outbound SMS/WhatsApp gateway (`make run` points SIGAP_REPORTER_GATEWAY_URL here). Only where the
    demo is set up: elsewhere this address answers 404."""
    if not _demo_on():
        return JsonResponse({"detail": "no demo"}, status=404)
    token = settings.SIGAP_REPORTER_GATEWAY_TOKEN
    if token and not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
        return JsonResponse({"detail": "bad token"}, status=401)
    try:
        payload = json.loads(request.body)
        to, text, key = str(payload["to"]), str(payload["text"]), str(payload.get("id", ""))
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": "expected JSON with 'to' and 'text'"}, status=400)
    if not key or not DemoTextMessage.objects.filter(idempotency_key=key).exists():  # a retry is recorded once
        DemoTextMessage.objects.create(to=to[:32], text=text, idempotency_key=key[:120])
    return JsonResponse({"ok": True})


def _demo_on() -> bool:
    return Channel.objects.filter(name=DEMO_WEBHOOK_NAME, kind="webhook").exists()


def _masked_address(address: str) -> str:
    """An address with its local part hidden but its first letter: enough to tell two messages apart."""
    local, at, domain = address.strip().partition("@")
    return f"{local[:1]}***@{domain}" if at else "***"


def _recipients_shown(to: str, staff: set[str]) -> str:
    """Staff and agency addresses as they are; any other (a reporter's, after a receipt resend or a status update)
    masked, like the text messages: the mailbox stands in for a mail server, and its readers need no contact list."""
    return ", ".join(
        address if address.lower() in staff else _masked_address(address)
        for address in (part.strip() for part in to.split(","))
        if address
    )


def _staff_addresses() -> set[str]:
    users = User.objects.exclude(email="").values_list("email", flat=True)
    channels = Channel.objects.filter(kind="email").values_list("config", flat=True)
    return {e.lower() for e in users} | {str(c.get("address", "")).lower() for c in channels}


def _mails(limit: int = 50) -> list[dict[str, Any]]:
    folder = Path(settings.EMAIL_FILE_PATH)
    if not folder.is_dir():
        return []
    staff = _staff_addresses()
    out = []
    for path in sorted(folder.glob("*.log"), reverse=True)[:20]:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            message = message_from_bytes(chunk.strip())
            payload = message.get_payload(decode=True)
            body = payload.decode(errors="replace") if isinstance(payload, bytes) else ""
            out.append(
                {
                    "to": _recipients_shown(message["To"] or "", staff),
                    "date": message["Date"],
                    # A long subject is folded over lines in the file; unfolded, it reads as it was written.
                    "subject": re.sub(r"\r?\n(?=[ \t])", "", str(make_header(decode_header(message["Subject"] or "")))),
                    "body": body,
                }
            )
    return out[-limit:][::-1]


@login_required
def mailbox(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in (Role.ADMIN, Role.ANALYST, Role.LEADERSHIP):
        raise PermissionDenied
    return render(
        request,
        "demo/mailbox.html",
        {
            "mails": _mails(),
            "webhooks": DemoWebhookDelivery.objects.all()[:50],
            "texts": DemoTextMessage.objects.all()[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    """The demo's stand-in for a trusted reporter's phone: the texts Sigap sent to the number the administrator gave
    them, and a box to text Sigap from it (NIHIL, PANTAU, LAPOR), answered as a real gateway's message would be."""
    from sigap.intake.choices import Channel as ReportChannel
    from sigap.intake.commands import EmptyMessage, TextMessage, text_message_receive

    if not _demo_on():
        raise Http404
    number = _registered_phone(request.user)
    if role_of(request.user) != Role.TRUSTED_REPORTER or not number:
        raise PermissionDenied
    if request.method == "POST":
        text = request.POST.get("text", "").strip()[:2000]
        if not text:
            messages.error(request, _("Type a message first."))
            return redirect("demo:phone")
        DemoTextMessage.objects.create(to=number, text=text, idempotency_key="", from_phone=True)
        try:
            answer = text_message_receive(
                TextMessage(
                    channel=ReportChannel.SMS,
                    sender=number,
                    text=text,
                    message_id=uuid.uuid4().hex,
                    gateway="demo",
                )
            )
        except EmptyMessage:
            messages.error(request, _("Type a message first."))
        else:
            DemoTextMessage.objects.create(to=number, text=answer.reply, idempotency_key="")
        return redirect("demo:phone")
    mine = international_phone(number)
    thread = [
        t for t in DemoTextMessage.objects.order_by("-received_at", "-id")[:300] if international_phone(t.to) == mine
    ]
    return render(request, "demo/phone.html", {"number": number, "thread": thread[:40][::-1]})


def _registered_phone(user: Any) -> str:
    channel = Channel.objects.filter(user=user.pk, kind="gateway", active=True).order_by("pk").first()
    return str(channel.config.get("phone", "")) if channel else ""

"""The demo's stand-ins for the outside world: a webhook receiver and a mailbox, so that `make run` shows alerts
reaching people by email and webhook without any server of their own."""

from __future__ import annotations

import hmac
import json
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sigap.core.roles import Role, role_of
from sigap.demo.models import DemoWebhookDelivery
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


def _mails(limit: int = 50) -> list[dict[str, Any]]:
    folder = Path(settings.EMAIL_FILE_PATH)
    if not folder.is_dir():
        return []
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
                    "to": message["To"],
                    "date": message["Date"],
                    "subject": str(make_header(decode_header(message["Subject"] or ""))),
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
        {"mails": _mails(), "webhooks": DemoWebhookDelivery.objects.all()[:50]},
    )

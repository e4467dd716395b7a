from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sigap.core.documents import reads_documents
from sigap.core.models import Document

logger = logging.getLogger(__name__)


def _queue_state() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.filter(status="READY")
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "ready": ready.count(),
        "oldest_ready_seconds": round((timezone.now() - oldest).total_seconds(), 1) if oldest else None,
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database's state while it answers; 503 when it does not (for load balancers)."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        queue = _queue_state()
    except (DatabaseError, OSError) as exc:
        logger.warning("healthz: database unreachable: %s", exc)
        return JsonResponse(
            {
                "status": "error",
                "database": {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__},
            },
            status=503,
        )
    latency_ms = round((time.perf_counter() - started) * 1000, 2)
    return JsonResponse(
        {
            "status": "ok",
            "database": {"ok": True, "vendor": connection.vendor, "latency_ms": latency_ms},
            "queue": queue,
        }
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that could not be checked (open too long, cookies refused, an in-app browser): a page in Sigap's own
    words and style, with the way back to the form, instead of Django's technical one. A report being written is
    still in the tab (report.js keeps it), so going back loses nothing."""
    back = request.META.get("HTTP_REFERER", "")
    path = urlsplit(back).path if back else ""
    same_site = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False)
    context = {"back": path if same_site and path.startswith("/") else "/"}
    return render(request, "403_csrf.html", context, status=403)


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """A document of a case, a mediation, a meeting or an incident, to the staff who may see its owner. A PDF is
    downloaded, not shown in Sigap's pages (it may carry scripts); a photo is shown. Trusted reporters see their
    own incidents, not the team's papers about them (a berita acara names people)."""
    if not reads_documents(request.user):
        raise Http404
    document = get_object_or_404(Document.objects.select_related("owner_type"), pk=pk, removed_at=None)
    owner_model = document.owner_type.model_class()
    visible_to = getattr(getattr(owner_model, "objects", None), "visible_to", None)
    if visible_to is None or not visible_to(request.user).filter(pk=document.owner_id).exists():
        raise Http404
    try:
        content = document.file.open("rb")
    except FileNotFoundError:  # a server restored without its files backup (sigap backup --restore)
        logger.error("document %s (%s) is missing from MEDIA_ROOT", document.pk, document.file.name)
        raise Http404 from None
    extension = document.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        content,
        content_type=document.content_type,
        as_attachment=document.is_pdf,
        filename=f"{slugify(document.title)[:80] or 'dokumen'}.{extension}",
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response

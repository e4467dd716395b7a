from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind a trusted reverse proxy, the last hop it appended to X-Forwarded-For."""
    if settings.SECURE_PROXY_SSL_HEADER:  # set only when SIGAP_BEHIND_PROXY is on
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded).split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))

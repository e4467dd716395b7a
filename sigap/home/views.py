from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sigap.home.selectors import home_for
from sigap.public.selectors import clarifications_recent
from sigap.regions.choices import Level
from sigap.regions.models import Region


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:home")
    area = Region.objects.filter(code=settings.SIGAP_DEPLOYMENT_REGION).first()
    counts = {
        "kecamatan": Region.objects.under(settings.SIGAP_DEPLOYMENT_REGION).filter(level=Level.KECAMATAN).count(),
        "kelurahan": Region.objects.under(settings.SIGAP_DEPLOYMENT_REGION).filter(level=Level.DESA_KELURAHAN).count(),
    }
    context = {"area": area, "counts": counts, "clarifications": clarifications_recent()[:3]}
    return render(request, "home/landing.html", context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    page = home_for(request.user)  # type: ignore[arg-type]
    return render(request, page.template, {"role": page.role, "now": timezone.now(), **page.context})

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sigap.core.roles import CITYWIDE_ROLES, require_role
from sigap.dashboard.forms import FilterForm
from sigap.dashboard.selectors import Filters
from sigap.sitrep.build import build_sitrep, remember
from sigap.sitrep.render import to_pdf, to_xlsx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _viewer(request: HttpRequest) -> None:
    require_role(request.user, CITYWIDE_ROLES)


def _filters(request: HttpRequest) -> tuple[FilterForm, Filters]:
    form = FilterForm(request.GET or None, days=7)
    filters = form.filters(days=7)
    preset = request.GET.get("preset", "")
    if preset == "harian":
        filters = Filters(filters.end, filters.end, filters.kecamatan, filters.category)
    elif preset == "mingguan":
        filters = Filters(filters.end - timedelta(days=6), filters.end, filters.kecamatan, filters.category)
    return form, filters


@login_required
def sitrep_page(request: HttpRequest) -> HttpResponse:
    """The report on screen, with one-click PDF and XLSX of the same period."""
    _viewer(request)
    form, filters = _filters(request)
    report = build_sitrep(filters, request.user)
    query = f"start={filters.start}&end={filters.end}&kecamatan={filters.kecamatan}&category={filters.category}"
    return render(request, "sitrep/page.html", {"form": form, "report": report, "query": query})


@login_required
def sitrep_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _viewer(request)
    if fmt not in CONTENT_TYPES:
        raise PermissionDenied
    _, filters = _filters(request)
    report = build_sitrep(filters, request.user, with_boundaries=fmt == "pdf")
    body = to_pdf(report) if fmt == "pdf" else to_xlsx(report)
    remember(report, filters=filters, fmt=fmt, user=request.user)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"laporan-situasi-{filters.area_code}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from sigap.alerts.models import Alert
from sigap.cases.selectors import breach_board, status_in_force
from sigap.core.roles import CITYWIDE_ROLES, require_role
from sigap.dashboard import exports
from sigap.dashboard.forms import FilterForm
from sigap.dashboard.selectors import (
    alert_quality,
    election_stage,
    incident_columns,
    incident_toll,
    levels_on,
    mediation_counts,
    resolution_word,
    response_times,
    weekly_by_category,
)
from sigap.risk.choices import RiskLevel


def _viewer(request: HttpRequest) -> None:
    """Leadership and the secretariat see the whole city (responders and mediators have their own pages)."""
    require_role(request.user, CITYWIDE_ROLES)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    form = FilterForm(request.GET or None)
    filters = form.filters()
    lo, hi = filters.bounds()
    levels = levels_on(filters)
    table = incident_columns(filters, request.user)
    weeks, series = weekly_by_category(table)
    totals = [sum(col) for col in zip(*[counts for _, counts in series], strict=True)] if series else []
    top = max(totals, default=0) or 1
    alerts = (
        Alert.objects.visible_to(request.user)
        .open()
        .filter(regions__code__startswith=f"{filters.area_code}.")
        .distinct()
        .prefetch_related("regions")
        .order_by("-level", "-triggered_at")
    )
    query = request.GET.urlencode()
    context = {
        "form": form,
        "filters": filters,
        "level_counts": [(level, sum(1 for r in levels if r.level == level)) for level in RiskLevel],
        "elevated": [r for r in levels if r.level >= RiskLevel.SIAGA][:10],
        "level_day": levels[0].day if levels else None,
        "alerts": list(alerts[:20]),
        "alert_count": alerts.count(),
        "weeks": [
            (week, total, round(100 * total / top), [counts[i] for _, counts in series[:8]])
            for i, (week, total) in enumerate(zip(weeks, totals, strict=True))
        ],
        "series": series[:8],
        "board": breach_board(request.user),
        "mediation": mediation_counts(request.user),
        "election": election_stage(filters.end),
        "status": status_in_force(filters.end),
        "response": response_times(filters, request.user, table),
        "score": alert_quality(filters, table),
        "resolution_word": resolution_word(filters, request.user),
        "toll": incident_toll(filters, request.user),
        "query": query,
        "geojson_url": f"/api/v1/risk.geojson?parent={filters.area_code}&stand_in=true"
        + (f"&day={levels[0].day.isoformat()}" if levels else ""),
        "period_days": (filters.end - filters.start).days + 1,
        "hi": hi - timedelta(seconds=1),
        "lo": lo,
        "today": timezone.localdate(),
    }
    return render(request, "dashboard/page.html", context)


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    _viewer(request)
    filters = FilterForm(request.GET or None).filters()
    name = f"sigap-kejadian-{filters.area_code}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    if fmt in ("csv", "xlsx"):
        return exports.incidents_download(exports.incidents_for(filters, request.user), fmt, name)
    if fmt == "geojson":
        response = HttpResponse(json.dumps(exports.geojson(filters, request.user)), content_type="application/geo+json")
        response["Content-Disposition"] = f'attachment; filename="{name}.geojson"'
        return response
    raise PermissionDenied

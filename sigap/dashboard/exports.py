"""Exports with the dashboard's filters: incidents as CSV (with HXL hashtags under the header) and XLSX, and the
kelurahan as GeoJSON with their counts and level. Incidents carry their kelurahan, never a point or a reporter."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse, StreamingHttpResponse

from sigap.core.spreadsheet import append_text_safe, csv_safe
from sigap.dashboard.selectors import Filters, levels_on
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.choices import RiskLevel
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.models import Incident

# (header, HXL hashtag, field)
COLUMNS = [
    ("id", "#event+id", "pk"),
    ("occurred_at", "#date+occurred", "occurred_at"),
    ("kecamatan", "#adm3+name", "region__parent__name"),
    ("kelurahan", "#adm4+name", "region__name"),
    ("kelurahan_code", "#adm4+code", "region__code"),
    ("category", "#event+type", "category"),
    ("title", "#event+name", "title"),
    ("status", "#status", "status"),
    ("urgency", "#severity", "urgency"),
    ("people_estimate", "#affected+num", "people_estimate"),
    ("injured", "#affected+injured", "injured"),
    ("killed", "#affected+killed", "killed"),
    ("displaced", "#affected+idps", "displaced"),
    ("buildings_damaged", "#affected+buildings+damaged", "buildings_damaged"),
    ("verified_at", "#date+verified", "verified_at"),
    ("closed_at", "#date+closed", "closed_at"),
]
LABELS: dict[str, dict[Any, Any]] = {
    "category": dict(Category.choices),
    "status": dict(IncidentStatus.choices),
    "urgency": dict(Urgency.choices),
}


def incidents_for(filters: Filters, user: Any) -> QuerySet[Incident]:
    """The dashboard's incidents: its filters over what the reader may see."""
    return filters.incidents(Incident.objects.visible_to(user))


def incident_rows(incidents: QuerySet[Incident]) -> Iterator[list[Any]]:
    """One row per incident, oldest first, with labels in the reader's language and ISO times."""
    rows = incidents.order_by("occurred_at", "pk").values_list(*[field for _, _, field in COLUMNS])
    for row in rows.iterator(chunk_size=2000):
        out = []
        for (name, _, _), value in zip(COLUMNS, row, strict=True):
            if name in LABELS and value is not None:
                value = str(LABELS[name].get(value, value))
            elif hasattr(value, "isoformat"):
                value = value.isoformat(timespec="minutes")
            out.append("" if value is None else value)
        yield out


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(incidents: QuerySet[Incident]) -> Iterator[str]:
    """Streamed: the header, the HXL hashtag row, then one line per incident."""
    writer = csv.writer(_Echo())
    yield writer.writerow([name for name, _, _ in COLUMNS])
    yield writer.writerow([tag for _, tag, _ in COLUMNS])
    for row in incident_rows(incidents):
        yield writer.writerow(csv_safe(row))


def xlsx_bytes(incidents: QuerySet[Incident]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Kejadian")
    sheet.append([name for name, _, _ in COLUMNS])
    sheet.append([tag for _, tag, _ in COLUMNS])
    for row in incident_rows(incidents):
        append_text_safe(sheet, row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def incidents_download(incidents: QuerySet[Incident], fmt: str, name: str) -> HttpResponse | StreamingHttpResponse:
    """The incidents as an attachment `name`.csv (streamed) or `name`.xlsx; `fmt` is one of the two."""
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(incidents), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(incidents), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def geojson(filters: Filters, user: Any) -> dict[str, Any]:
    """Each kelurahan of the area with its verified, resolved and open counts in the period and its level."""
    counted = filters.incidents(Incident.objects.visible_to(user))
    per_area = {
        row["region"]: row
        for row in counted.values("region").annotate(
            verified=Count("id", filter=Q(status__in=[IncidentStatus.VERIFIED, IncidentStatus.RESOLVED])),
            resolved=Count("id", filter=Q(status=IncidentStatus.RESOLVED)),
            waiting=Count("id", filter=Q(status=IncidentStatus.NEW)),
        )
    }
    levels = {r.region_id: r for r in levels_on(filters)}
    features = []
    areas = Region.objects.filter(level=Level.DESA_KELURAHAN, code__startswith=f"{filters.area_code}.")
    for region in areas.select_related("parent").order_by("code"):
        counts = per_area.get(region.pk, {})
        risk = levels.get(region.pk)
        features.append(
            {
                "type": "Feature",
                "geometry": region.boundary,
                "properties": {
                    "code": region.code,
                    "name": region.name,
                    "kecamatan": region.parent.name if region.parent else "",
                    "verified": counts.get("verified", 0),
                    "resolved": counts.get("resolved", 0),
                    "awaiting_verification": counts.get("waiting", 0),
                    "level": RiskLevel(risk.level).name.lower() if risk else None,
                    "score": risk.score if risk else None,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "properties": {"from": filters.start.isoformat(), "to": filters.end.isoformat(), "category": filters.category},
        "features": features,
    }

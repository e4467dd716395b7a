import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from sigap.regions.models import Region
from sigap.risk.choices import RiskLevel
from sigap.risk.mapareas import map_plan
from sigap.risk.models import AreaRisk
from sigap.risk.selectors import risks_under
from sigap.risk.words import driver_text

router = Router(tags=["risk"])


class RiskFilter(Schema):
    parent: str = Field(..., description="Kemendagri code of a kabupaten/kota or kecamatan", examples=["35.75"])
    day: datetime.date | None = Field(None, description="Day assessed (default: the latest)")


class RiskOut(Schema):
    region_code: str
    name: str
    kecamatan: str
    day: datetime.date
    level: str = Field(description="aman, waspada, siaga or awas")
    level_label: str
    score: float = Field(description="0-100; thresholds in GET /api/v1/risk/thresholds")
    drivers: list[str] = Field(description="The reasons, in words, biggest first")
    factors: list[dict[str, Any]] = Field(description="The same reasons as data (codes and figures)")


def _out(row: AreaRisk) -> dict[str, Any]:
    level = RiskLevel(row.level)
    return {
        "region_code": row.region.code,
        "name": row.region.name,
        "kecamatan": row.region.parent.name if row.region.parent else "",
        "day": row.day,
        "level": level.name.lower(),
        "level_label": str(level.label),
        "score": row.score,
        "drivers": [driver_text(d) for d in row.drivers],
        "factors": row.drivers,
    }


def _rows(filters: RiskFilter) -> list[AreaRisk]:
    if not Region.objects.filter(code=filters.parent).exists():
        raise HttpError(404, f"Wilayah {filters.parent} tidak dikenal / unknown region code")
    return risks_under(filters.parent, filters.day)


@router.get(
    "/risk",
    response=list[RiskOut],
    summary="Risk level of every kelurahan under a region",
    description="Public-safe: levels, scores and reasons in words; never identities. Empty before any assessment.",
)
def risk_list(request: HttpRequest, filters: Query[RiskFilter]) -> Any:
    return [_out(r) for r in _rows(filters)]


class ThresholdsOut(Schema):
    waspada: float
    siaga: float
    awas: float
    note: str


@router.get("/risk/thresholds", response=ThresholdsOut, summary="The lowest score of each level")
def risk_thresholds(request: HttpRequest) -> Any:
    from sigap.risk.services import thresholds

    t = thresholds()
    return {
        "waspada": t.waspada,
        "siaga": t.siaga,
        "awas": t.awas,
        "note": "Tangga lokal, bukan skala hukum / a local ladder: conflict law has no graded scale",
    }


class MapFilter(RiskFilter):
    stand_in: bool = Field(
        False,
        description="Draw each desa/kelurahan without a shipped boundary through its kecamatan: one feature per "
        "kecamatan (`stands_for`: how many desa; its level and reasons are those of the highest of them, named in "
        "`highest`) instead of features without geometry; those whose kecamatan has no boundary either keep theirs",
    )


def _feature(row: AreaRisk, geometry: Any) -> dict[str, Any]:
    props = _out(row)
    props["day"] = props["day"].isoformat()
    return {"type": "Feature", "geometry": geometry, "properties": props}


@router.get(
    "/risk.geojson",
    summary="Peta kerawanan: risk levels with kelurahan boundaries (GeoJSON)",
    description="One feature per assessed desa/kelurahan, its geometry null where Sigap ships no boundary (outside "
    "Kota Pasuruan; see stand_in).",
)
def risk_geojson(request: HttpRequest, filters: Query[MapFilter]) -> Any:
    rows = _rows(filters)
    if not filters.stand_in:
        return {"type": "FeatureCollection", "features": [_feature(row, row.region.boundary) for row in rows]}
    by_code = {row.region.code: row for row in rows}
    plan = map_plan([row.region for row in rows], by_code)
    features = []
    for area in plan.areas:
        if area.risk is None:
            continue
        feature = _feature(area.risk, area.region.boundary)
        if area.stands_for:
            highest = {"region_code": area.risk.region.code, "name": area.risk.region.name}
            feature["properties"].update(
                region_code=area.region.code,
                name=area.region.label,
                kecamatan=area.region.name,
                stands_for=area.stands_for,
                highest=highest,
            )
        features.append(feature)
    features.extend(_feature(by_code[region.code], None) for region in plan.unmapped)
    return {"type": "FeatureCollection", "features": features}

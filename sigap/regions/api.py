from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from sigap.regions.choices import Level
from sigap.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str = Field(examples=["35.75.04.1010"])
    name: str
    level: Level
    kind: str
    parent_code: str | None
    population: int | None
    centroid_lat: float | None
    centroid_lng: float | None
    has_boundary: bool

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent else None

    @staticmethod
    def resolve_has_boundary(obj: Region) -> bool:
        return obj.min_lat is not None


class RegionFilter(Schema):
    parent: str | None = Field(None, description="Kemendagri code; only regions directly under it")
    under: str | None = Field(None, description="Kemendagri code; every region below it at any depth")
    level: Level | None = None
    q: str | None = Field(None, max_length=120, description="Name, tolerant of spelling")


class BoundedPagination(LimitOffsetPagination):
    """Limit and offset within what a database integer holds: a huge offset is a 422, not a crash."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=10_000_000)


@router.get("/regions", response=list[RegionOut], summary="List regions of the gazetteer")
@paginate(BoundedPagination)
def regions_list(request: HttpRequest, filters: Query[RegionFilter]) -> Any:
    from sigap.regions.selectors import regions_by_name

    regions = Region.objects.select_related("parent").defer("boundary")
    if filters.parent:
        regions = regions.filter(parent__code=filters.parent)
    if filters.under:
        regions = regions.under(filters.under)
    if filters.level:
        regions = regions.filter(level=filters.level)
    if filters.q:
        matches = regions_by_name(filters.q, within=filters.under or filters.parent, level=filters.level, limit=20)
        ids = [m.region.pk for m in matches]
        order = {pk: i for i, pk in enumerate(ids)}
        return sorted(regions.filter(pk__in=ids), key=lambda r: order[r.pk])
    return regions


@router.get("/regions/{code}", response=RegionOut, summary="One region by its Kemendagri code")
def region_detail(request: HttpRequest, code: str) -> Region:
    region = Region.objects.select_related("parent").defer("boundary").filter(code=code).first()
    if region is None:
        raise HttpError(404, f"Wilayah {code} tidak ditemukan / region {code} not found")
    return region


@router.get("/regions.geojson", summary="Boundaries as a GeoJSON FeatureCollection")
def regions_geojson(request: HttpRequest, parent: str | None = None, level: Level | None = None) -> dict[str, Any]:
    regions = Region.objects.with_boundary()
    if parent:
        regions = regions.filter(parent__code=parent)
    if level:
        regions = regions.filter(level=level)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": r.boundary,
                "properties": {"code": r.code, "name": r.name, "level": r.level},
            }
            for r in regions[:2000]
        ],
    }

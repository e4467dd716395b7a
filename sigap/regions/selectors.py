"""Reads on the gazetteer: a coordinate to its region, a name to a region."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import capfirst
from rapidfuzz import fuzz, process
from shapely import STRtree, prepared
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from sigap.regions.choices import Level
from sigap.regions.models import Region, RegionAlias, RegionQuerySet
from sigap.regions.names import name_key

# Two shapes this close (about a metre) share a border: shipped and uploaded files have hairline gaps and slivers.
TOUCH_TOLERANCE_DEG = 1e-5
# Prepared polygons keyed by (region id, boundary source, bbox): rebuilt when a region's boundary changes.
_PREPARED: dict[tuple[int, str, float | None, float | None], Any] = {}


@dataclass(frozen=True)
class NameMatch:
    region: Region
    score: float  # 100 = exact after folding; lower = fuzzy
    matched: str  # the name or alias that matched


def _prepared_geometry(region: Region) -> Any:
    key = (region.pk, region.boundary_source, region.min_lat, region.max_lng)
    geom = _PREPARED.get(key)
    if geom is None:
        geom = prepared.prep(shape(region.boundary))
        _PREPARED[key] = geom
    return geom


def touching_pairs(geoms: Sequence[BaseGeometry]) -> set[tuple[int, int]]:
    """Index pairs of the shapes that share a border, within TOUCH_TOLERANCE_DEG (the neighbours of an alert's
    spreading cluster)."""
    grown = [geom.buffer(TOUCH_TOLERANCE_DEG) for geom in geoms]
    tree = STRtree(grown)
    return {(i, int(j)) for i, geom in enumerate(grown) for j in tree.query(geom, predicate="intersects") if i < j}


def desa_without_shape(code: str) -> int:
    """How many desa/kelurahan under `code` have no map boundary (drawn through their kecamatan, not placed by a pin).

    `boundary__isnull`: on a JSON field `boundary=None` would mean JSON null and count nothing."""
    return Region.objects.under(code).filter(level=Level.DESA_KELURAHAN, boundary__isnull=True).count()


def region_at_point(
    *, lat: float, lng: float, level: Level = Level.DESA_KELURAHAN, within: str | None = None
) -> Region | None:
    """The region of `level` that contains the point, or None (outside every shipped boundary)."""
    candidates = Region.objects.filter(level=level).with_boundary().containing_point_bbox(lat, lng)
    if within:
        candidates = candidates.under(within)
    point = Point(lng, lat)
    for region in candidates.order_by("code"):
        if _prepared_geometry(region).covers(point):
            return region
    return None


def _scoped(queryset: RegionQuerySet, within: str | None, level: Level | None) -> RegionQuerySet:
    if within:
        queryset = queryset.under(within)
    if level:
        queryset = queryset.filter(level=level)
    return queryset


def regions_by_name(
    text: str,
    *,
    within: str | None = None,
    level: Level | None = None,
    limit: int = 5,
    min_score: float = 80.0,
) -> list[NameMatch]:
    """Regions whose name or alias matches `text`, best first. Tolerates case, spaces, prefixes, typos."""
    key = name_key(text)
    if not key:
        return []
    regions = _scoped(Region.objects.all(), within, level)
    exact = [NameMatch(r, 100.0, r.name) for r in regions.filter(name_key=key)]
    alias_qs = RegionAlias.objects.filter(name_key=key, region__in=regions).select_related("region")
    exact += [NameMatch(a.region, 100.0, a.name) for a in alias_qs if a.region not in [m.region for m in exact]]
    if exact:
        return exact[:limit]
    choices: dict[str, tuple[Region, str]] = {}
    for region in regions.only("id", "code", "name", "level", "kind", "name_key", "parent_id"):
        choices.setdefault(region.name_key, (region, region.name))
    for alias in RegionAlias.objects.filter(region__in=regions).select_related("region"):
        choices.setdefault(alias.name_key, (alias.region, alias.name))
    best: dict[int, NameMatch] = {}
    for candidate_key, score, _ in process.extract(
        key, list(choices), scorer=fuzz.ratio, limit=limit * 3, score_cutoff=min_score
    ):
        region, matched = choices[candidate_key]
        if region.pk not in best or best[region.pk].score < score:
            best[region.pk] = NameMatch(region, float(score), matched)
    return sorted(best.values(), key=lambda m: (-m.score, m.region.code))[:limit]


_VILLAGE_WORDS: dict[str, str] = {}


def village_word(code: str) -> str:
    """What the villages under a kab/kota are called on its pages: 'kelurahan' (a kota), 'desa', or
    'desa/kelurahan' where there are both (most kabupaten). Kept per process once regions are loaded."""
    word = _VILLAGE_WORDS.get(code)
    if word is not None:
        return word
    villages = Region.objects.under(code).filter(level=Level.DESA_KELURAHAN).order_by()
    kinds = set(villages.values_list("kind", flat=True).distinct())
    word = "kelurahan" if kinds == {"kelurahan"} else "desa" if kinds == {"desa"} else "desa/kelurahan"
    if kinds:
        _VILLAGE_WORDS[code] = word
    return word


def deployment_village_word() -> str:
    """`village_word` of the kab/kota this Sigap serves."""
    return village_word(settings.SIGAP_DEPLOYMENT_REGION)


# A form field's label for the deployment's villages ('Kelurahan', 'Desa', 'Desa/kelurahan'), read when the form is
# drawn: a villager in a kabupaten looks for 'Desa'.
VILLAGE_LABEL: str = lazy(lambda: capfirst(deployment_village_word()), str)()

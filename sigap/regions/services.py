"""Loading the gazetteer: codes and names from the Kemendagri list, boundaries from the shipped GeoJSON."""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from shapely.geometry import shape
from tqdm import tqdm

from sigap.regions.choices import AliasSource, Level
from sigap.regions.models import Region, RegionAlias
from sigap.regions.names import name_key

DATA_DIR = Path(__file__).resolve().parent / "data"
CODES_FILE = DATA_DIR / "kode_wilayah_kepmendagri_2025.csv.gz"
POPULATION_FILE = DATA_DIR / "penduduk_luas_prov_kabkota.csv"
ALIASES_FILE = DATA_DIR / "region_aliases.csv"
# Most detailed first: the first file that has a region's boundary wins.
BOUNDARY_FILES = [
    "kota_pasuruan_kelurahan.geojson.gz",
    "kota_pasuruan_kecamatan.geojson.gz",
    "jatim_kecamatan.geojson.gz",
    "jatim_kabkota.geojson.gz",
    "indonesia_kabkota.geojson.gz",
    "indonesia_provinsi.geojson.gz",
]
KABKOTA_CODE = re.compile(r"^\d{2}\.\d{2}$")
UPLOADED_SOURCE = "upload "  # the boundary_source prefix of a deployment's own shapes (regions.boundaries)
LEVEL_ORDER = [Level.PROVINSI, Level.KABUPATEN_KOTA, Level.KECAMATAN, Level.DESA_KELURAHAN]


class UnknownRegionError(ValueError):
    """A code that is not a kabupaten/kota in the national list."""


@dataclass
class LoadResult:
    code: str
    name: str
    created: int = 0
    updated: int = 0
    with_boundary: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


def _read_codes() -> Iterator[dict[str, str]]:
    with gzip.open(CODES_FILE, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@cache
def kabkota_catalogue() -> dict[str, str]:
    """Every kabupaten/kota code in the national list, with its name (514 entries)."""
    return {row["code"]: row["name"] for row in _read_codes() if row["level"] == Level.KABUPATEN_KOTA}


def _rows_for(code: str) -> list[dict[str, str]]:
    province = code.split(".")[0]
    return [r for r in _read_codes() if r["code"] in (province, code) or r["code"].startswith(f"{code}.")]


def _population() -> dict[str, tuple[int, float]]:
    with POPULATION_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            r["code"]: (int(r["penduduk_total"]), float(r["luas_km2"]))
            for r in csv.DictReader(handle)
            if r["penduduk_total"] and r["luas_km2"]
        }


def _boundary_features(codes: set[str]) -> dict[str, tuple[dict[str, Any], str, float | None]]:
    """Geometry (and area, where the file gives one) per code, from the most detailed file that has it."""
    found: dict[str, tuple[dict[str, Any], str, float | None]] = {}
    for filename in BOUNDARY_FILES:
        with gzip.open(DATA_DIR / filename, "rt", encoding="utf-8") as handle:
            collection = json.load(handle)
        for feature in collection["features"]:
            code = feature["properties"]["kode"]
            if code in codes and code not in found:
                area = feature["properties"].get("area_km2")
                found[code] = (feature["geometry"], filename.removesuffix(".geojson.gz"), area)
    return found


def apply_boundary(region: Region, geometry: dict[str, Any], source: str, area_km2: float | None) -> None:
    geom = shape(geometry)
    if area_km2 is not None and region.area_km2 is None:
        region.area_km2 = float(area_km2)
    min_lng, min_lat, max_lng, max_lat = geom.bounds
    point = geom.representative_point() if not geom.centroid.within(geom) else geom.centroid
    region.boundary = geometry
    region.boundary_source = source
    region.min_lat, region.max_lat, region.min_lng, region.max_lng = min_lat, max_lat, min_lng, max_lng
    region.centroid_lat, region.centroid_lng = round(point.y, 6), round(point.x, 6)


def regions_load(*, code: str, progress: bool = False) -> LoadResult:
    """Load one kabupaten/kota (with its province, kecamatan and desa/kelurahan). Idempotent."""
    code = code.strip()
    catalogue = kabkota_catalogue()
    if not KABKOTA_CODE.match(code) or code not in catalogue:
        raise UnknownRegionError(code)
    rows = _rows_for(code)
    boundaries = _boundary_features({r["code"] for r in rows})
    population = _population()
    result = LoadResult(code=code, name=catalogue[code])
    with transaction.atomic():
        existing = {r.code: r for r in Region.objects.filter(code__in=[r["code"] for r in rows])}
        by_code: dict[str, Region] = dict(existing)
        ordered = sorted(rows, key=lambda r: LEVEL_ORDER.index(Level(r["level"])))
        for row in tqdm(ordered, desc=f"Wilayah {code}", unit=" wilayah", disable=not progress):
            region = by_code.get(row["code"]) or Region(code=row["code"])
            is_new = region.pk is None
            region.name = row["name"]
            region.level = row["level"]
            region.kind = row["type"]
            region.parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
            if row["code"] in population:
                region.population, region.area_km2 = population[row["code"]]
            # A shape the deployment uploaded (`sigap regions boundaries`) is more detailed than any shipped one.
            if region.boundary_source.startswith(UPLOADED_SOURCE):
                result.with_boundary += 1
            elif row["code"] in boundaries:
                apply_boundary(region, *boundaries[row["code"]])
                result.with_boundary += 1
            region.save()
            by_code[row["code"]] = region
            result.created += int(is_new)
            result.updated += int(not is_new)
            result.by_level[row["level"]] = result.by_level.get(row["level"], 0) + 1
        _load_aliases(by_code)
    return result


def _load_aliases(by_code: dict[str, Region]) -> None:
    with ALIASES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            region = by_code.get(row["code"])
            if region is None:
                continue
            RegionAlias.objects.update_or_create(
                region=region,
                name_key=name_key(row["alias"]),
                defaults={"name": row["alias"], "source": AliasSource(row["source"])},
            )


def region_alias_add(*, region: Region, name: str, source: AliasSource = AliasSource.LANDMARK) -> RegionAlias:
    """An admin teaches the gazetteer a local name or landmark ("Pasar Besar", "Alun-alun")."""
    alias, _ = RegionAlias.objects.update_or_create(
        region=region, name_key=name_key(name), defaults={"name": name, "source": source}
    )
    return alias

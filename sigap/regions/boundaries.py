"""Boundaries a deployment brings itself: a GeoJSON of its desa (or kecamatan) from BIG or the kabupaten's GIS
office, checked feature by feature, then stored all or none.

Sigap ships desa boundaries for Kota Pasuruan only (`data/PROVENANCE.md`); elsewhere the maps draw each desa
through its kecamatan, and outside Jawa Timur there are no kecamatan shapes either. Placing a report by its pin,
the neighbours of a spreading cluster and every map take a desa's own shape as soon as it has one.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone
from shapely import GEOSException, make_valid
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from sigap.core.services import audit_record
from sigap.regions.models import Region
from sigap.regions.names import name_key
from sigap.regions.selectors import touching_pairs
from sigap.regions.services import UPLOADED_SOURCE, apply_boundary

MAX_FILE_BYTES = 300 * 1024 * 1024
# Property names that hold a Kemendagri code, in the order tried: Sigap's own files, then BIG's RBI desa layer.
CODE_PROPERTIES = ("kode", "code", "kode_wilayah", "KDEPUM", "kdepum", "kode_desa")
NAME_PROPERTIES = ("nama", "name", "WADMKD", "wadmkd", "NAMOBJ", "nama_desa")
INDONESIA = (94.0, -11.5, 141.5, 6.5)  # lon/lat box around every Indonesian region, with a margin
METRES_PER_DEGREE = 111_320.0
PARENT_MARGIN_DEG = 0.01  # ~1 km: shipped kecamatan shapes are coarse, a desa's inner point may sit just outside
DIGIT_GROUPS = (2, 2, 2, 4)  # 35.14.01.2001 written without dots: 3514012001


class BoundaryFileError(ValueError):
    """The file as a whole cannot be read (not GeoJSON, not a FeatureCollection, too large)."""


@dataclass
class BoundaryRow:
    number: int  # the feature's position in the file, from 1
    code: str
    region: Region | None = None
    geometry: dict[str, Any] | None = None
    area_km2: float | None = None
    points_before: int = 0
    points_after: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class BoundaryPlan:
    source: str  # the boundary_source written on each region
    code_property: str
    rows: list[BoundaryRow]
    notes: list[str] = field(default_factory=list)  # about the file as a whole (how it was simplified)

    @property
    def errors(self) -> list[BoundaryRow]:
        return [row for row in self.rows if row.errors]

    @property
    def by_level(self) -> Counter[str]:
        return Counter(str(row.region.level) for row in self.rows if row.region is not None and not row.errors)


def _dotted(raw: Any) -> str:
    """'35.14.01.2001' as given, or its undotted form 3514012001 (a number in many shapefiles) with dots put back."""
    text = str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if text.isdigit():
        parts, at = [], 0
        for size in DIGIT_GROUPS:
            if at >= len(text):
                break
            parts.append(text[at : at + size])
            at += size
        if at == len(text):
            return ".".join(parts)
    return text


def _read_collection(path: Path) -> dict[str, Any]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise BoundaryFileError(f"Berkas lebih dari {MAX_FILE_BYTES // 2**20} MB / file too large")
    opener: Any = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:  # RecursionError: [[[[...
        raise BoundaryFileError(f"Bukan GeoJSON yang terbaca / not readable GeoJSON: {exc}") from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise BoundaryFileError("Berkas harus GeoJSON FeatureCollection / the file must be a GeoJSON FeatureCollection")
    crs_member = data.get("crs")  # GeoJSON 2008's named CRS; RFC 7946 dropped it, but GIS exports still write it
    properties = crs_member.get("properties") if isinstance(crs_member, dict) else None
    crs = str(properties.get("name", "")) if isinstance(properties, dict) else ""
    if crs and not crs.endswith(("CRS84", "4326")):
        raise BoundaryFileError(
            f"Koordinat dalam {crs}; ubah dulu ke WGS 84 bujur/lintang (EPSG:4326), misalnya "
            f"`ogr2ogr -t_srs EPSG:4326 keluar.geojson masuk.shp` / reproject to EPSG:4326 first"
        )
    return data


def _code_property(features: list[Any], chosen: str | None) -> str:
    if chosen:
        return chosen
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict):
            for name in CODE_PROPERTIES:
                if name in properties:
                    return name
    raise BoundaryFileError(
        f"Tidak ada kolom kode wilayah ({', '.join(CODE_PROPERTIES)}); sebutkan dengan --code-property "
        "/ no Kemendagri code property found"
    )


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    """The polygons of a geometry (make_valid may add stray lines or points), or None when it has none."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    from shapely.ops import unary_union

    return unary_union(parts)


def _area_km2(geom: BaseGeometry) -> float:
    """Area from the lengths of a degree of latitude and longitude on WGS 84 at the shape's centre: within 0.1 % for
    a desa (a few km across), enough for a density."""
    lat = math.radians(geom.centroid.y)
    km_per_lat = 111.13292 - 0.55982 * math.cos(2 * lat) + 0.001175 * math.cos(4 * lat)
    km_per_lng = 111.41284 * math.cos(lat) - 0.0935 * math.cos(3 * lat)
    return float(geom.area * km_per_lat * km_per_lng)


def _count_points(geom: BaseGeometry) -> int:
    return int(shapely.get_num_coordinates(geom))


def _out_of_indonesia(geom: BaseGeometry) -> str | None:
    min_x, min_y, max_x, max_y = geom.bounds
    lo_x, lo_y, hi_x, hi_y = INDONESIA
    if lo_x <= min_x and max_x <= hi_x and lo_y <= min_y and max_y <= hi_y:
        return None
    if lo_x <= min_y and max_y <= hi_x and lo_y <= min_x and max_x <= hi_y:
        return (
            "urutan koordinat tertukar: GeoJSON memakai [bujur, lintang] / coordinates are [lat, lng], not [lng, lat]"
        )
    return (
        f"koordinat di luar Indonesia ({min_x:.4g}, {min_y:.4g} .. {max_x:.4g}, {max_y:.4g}): bukan WGS 84 "
        "bujur/lintang? / coordinates outside Indonesia: not EPSG:4326?"
    )


def _check_geometry(row: BoundaryRow, raw: Any) -> BaseGeometry | None:
    try:
        geom = shape(raw)
    except (AttributeError, GEOSException, IndexError, KeyError, TypeError, ValueError):
        row.errors.append("geometri tidak terbaca / geometry not readable")
        return None
    if geom.is_empty:
        row.errors.append("geometri kosong / empty geometry")
        return None
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        row.errors.append(f"geometri {geom.geom_type}, bukan poligon / not a polygon")
        return None
    problem = _out_of_indonesia(geom)
    if problem:
        row.errors.append(problem)
        return None
    if not geom.is_valid:
        geom = _polygonal(make_valid(geom))
        if geom is None or geom.is_empty:
            row.errors.append("poligon rusak dan tak dapat diperbaiki / invalid polygon that cannot be repaired")
            return None
        row.warnings.append("poligon diperbaiki (make_valid) / invalid polygon repaired")
    return geom


def _check_region(
    row: BoundaryRow, region: Region | None, geom: BaseGeometry, name: str | None, shapes: dict[int, BaseGeometry]
) -> None:
    if region is None:
        row.errors.append(
            f"kode {row.code} tidak ada di gazetir: muat kabupaten/kotanya dengan `sigap regions load`, atau ini "
            "kode BPS (KDEBPS), bukan kode Kemendagri (KDEPUM)? / code not in the gazetteer"
        )
        return
    row.region = region
    parent = region.parent
    if parent is not None and parent.boundary:
        if parent.pk not in shapes:
            shapes[parent.pk] = shape(parent.boundary).buffer(PARENT_MARGIN_DEG)
        if not shapes[parent.pk].covers(geom.representative_point()):
            row.errors.append(
                f"letaknya di luar {parent.label}, induk kode {row.code}: kode yang salah? / lies outside its parent"
            )
    if name and name_key(name) != region.name_key and name_key(name) not in {a.name_key for a in region.aliases.all()}:
        row.warnings.append(f"bernama {name!r} di berkas, {region.name!r} menurut Kemendagri / named differently")


def _simplify(rows: list[BoundaryRow], shapes: dict[int, BaseGeometry], simplify_m: float) -> list[str]:
    """Simplify the shapes of each level together and set each row's geometry.

    Desa shapes from BIG carry metre-level detail that no city map shows; ~10 m makes pages and GeoJSON many times
    lighter. GEOS's coverage simplification moves both sides of a shared border alike (polygon by polygon, they
    would part). A real file is rarely a perfect coverage (slivers where neighbours overlap), so the result is
    checked: a shape that came out invalid, or two neighbours that no longer touch (a spreading cluster is found
    through shared borders), keep the file's own detail.
    """
    notes = []
    by_level: dict[str, list[BoundaryRow]] = {}
    for row in rows:
        by_level.setdefault(str(row.region.level if row.region else ""), []).append(row)
    for level, group in sorted(by_level.items()):
        given = [shapes[row.number] for row in group]
        result = list(given)
        if simplify_m > 0:
            simpler = shapely.set_precision(
                shapely.coverage_simplify(np.array(given, dtype=object), simplify_m / METRES_PER_DEGREE), 1e-6
            )
            pairs = zip(simpler, given, strict=True)
            result = [new if new.is_valid and not new.is_empty else old for new, old in pairs]
            neighbours = touching_pairs(given)
            while lost := neighbours - touching_pairs(result):
                for i in {i for pair in lost for i in pair}:
                    result[i] = given[i]
            kept = sum(new is old for new, old in zip(result, given, strict=True))
            if kept:
                notes.append(
                    f"{level}: {kept} bentuk dibiarkan serinci aslinya agar tetap bersinggungan dengan tetangganya "
                    "(atau karena penyederhanaan merusaknya) / kept as given"
                )
        for row, before, after in zip(group, given, result, strict=True):
            row.points_before, row.points_after = _count_points(before), _count_points(after)
            row.geometry = mapping(after)
    return notes


def _regions_named(features: list[Any], prop: str) -> dict[str, Region]:
    """The gazetteer's regions for every code in the file, read at once (a kabupaten's file names hundreds)."""
    codes = set()
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        raw = properties.get(prop) if isinstance(properties, dict) else None
        if raw not in (None, ""):
            codes.add(_dotted(raw))
    found = Region.objects.filter(code__in=codes).select_related("parent").prefetch_related("aliases")
    return {region.code: region for region in found}


def boundary_plan(
    path: Path, *, code_property: str | None = None, simplify_m: float = 10.0, file_name: str | None = None
) -> BoundaryPlan:
    """Read and check every feature of a GeoJSON file (`file_name`: what its uploader called it); nothing is written
    (see boundaries_commit)."""
    data = _read_collection(path)
    features = data["features"]
    if not features:
        raise BoundaryFileError("Berkas tidak berisi satu fitur pun / the file has no features")
    prop = _code_property(features, code_property)
    rows: list[BoundaryRow] = []
    parent_shapes: dict[int, BaseGeometry] = {}
    shapes: dict[int, BaseGeometry] = {}  # by feature number, the checked shapes of the rows with a region
    regions = _regions_named(features, prop)
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        raw_code = properties.get(prop)
        row = BoundaryRow(number=number, code=_dotted(raw_code) if raw_code not in (None, "") else "")
        rows.append(row)
        if not row.code:
            row.errors.append(f"tanpa kode ({prop}) / no code")
            continue
        geom = _check_geometry(row, feature.get("geometry") if isinstance(feature, dict) else None)
        if geom is None:
            continue
        name = next((str(properties[n]) for n in NAME_PROPERTIES if properties.get(n)), None)
        _check_region(row, regions.get(row.code), geom, name, parent_shapes)
        row.area_km2 = round(_area_km2(geom), 4)
        shapes[row.number] = geom
    seen: Counter[str] = Counter(row.code for row in rows if row.code)
    for row in rows:
        if seen[row.code] > 1:
            row.errors.append(f"kode {row.code} muncul {seen[row.code]} kali / code appears more than once")
    notes = _simplify([row for row in rows if row.region is not None and not row.errors], shapes, simplify_m)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    source = f"{UPLOADED_SOURCE}{stamp} {file_name or path.name}"[:64]
    return BoundaryPlan(source=source, code_property=prop, rows=rows, notes=notes)


def boundaries_commit(plan: BoundaryPlan, *, actor: Any | None = None) -> int:
    """Store every boundary of a plan without errors, in one transaction, with one audit row."""
    if plan.errors or not plan.rows:
        raise BoundaryFileError("Rencana masih bermasalah; tidak ada yang disimpan / the plan has errors")
    with transaction.atomic():
        regions = []
        for row in plan.rows:
            region, geometry = row.region, row.geometry
            if region is None or geometry is None:  # a row without errors has both
                raise BoundaryFileError(f"feature {row.number} was not checked")
            apply_boundary(region, json.loads(json.dumps(geometry)), plan.source, row.area_km2)
            region.save()
            regions.append(region)
        target = Region.objects.filter(code=regions[0].code[:5]).first() or regions[0]
        audit_record(
            actor=actor,
            action="regions.boundaries_imported",
            target=target,
            details={"source": plan.source, "count": len(regions), "codes": [r.code for r in regions]},
        )
    return len(regions)

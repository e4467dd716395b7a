"""A choropleth of kelurahan as inline SVG, drawn on the server from the shipped boundaries.

No tiles, no JavaScript: it prints, it works offline and in a sitrep, and screen readers get each kelurahan's
name and level from its <title>. (Leaflet would add a dependency to draw the same polygons on a blank sheet.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sigap.regions.models import Region

WIDTH = 800.0


@dataclass
class Shape:
    code: str
    name: str
    path: str


def _rings(geometry: dict[str, Any]) -> Iterable[list[list[float]]]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def shapes(regions: list[Region]) -> tuple[list[Shape], str]:
    """SVG paths for the regions that have a boundary, and the viewBox that frames them."""
    with_boundary = [r for r in regions if r.boundary]
    if not with_boundary:
        return [], "0 0 1 1"
    min_lng = min(r.min_lng for r in with_boundary if r.min_lng is not None)
    max_lng = max(r.max_lng for r in with_boundary if r.max_lng is not None)
    min_lat = min(r.min_lat for r in with_boundary if r.min_lat is not None)
    max_lat = max(r.max_lat for r in with_boundary if r.max_lat is not None)
    squeeze = math.cos(math.radians((min_lat + max_lat) / 2))  # equirectangular, true to shape at this latitude
    scale = WIDTH / max((max_lng - min_lng) * squeeze, 1e-9)
    height = (max_lat - min_lat) * scale

    def point(lng: float, lat: float) -> str:
        return f"{(lng - min_lng) * squeeze * scale:.1f},{(max_lat - lat) * scale:.1f}"

    out = []
    for r in with_boundary:
        parts = []
        for ring in _rings(r.boundary):  # type: ignore[arg-type]
            parts.append("M" + "L".join(point(lng, lat) for lng, lat, *_ in ring) + "Z")
        out.append(Shape(r.code, r.name, "".join(parts)))
    return out, f"0 0 {WIDTH:.0f} {height:.0f}"

"""What a map of levels draws where a desa/kelurahan has no shipped boundary.

Sigap ships the boundaries of Kota Pasuruan's kelurahan, of every kecamatan of Jawa Timur and of every kab/kota
(`regions/data/PROVENANCE.md`); elsewhere a desa has no shape, and a kabupaten's map would be a blank sheet. There
its kecamatan stands in for it, coloured by the highest level among its desa without a shape (a map warns; the
calmest desa must not hide the one at Siaga). The peta kerawanan, the dashboard's map and the situation report
draw the same plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sigap.regions.models import Region
from sigap.risk.models import AreaRisk


@dataclass(frozen=True)
class MapArea:
    region: Region  # what is drawn: a desa/kelurahan, or its kecamatan standing in for those without a shape
    risk: AreaRisk | None  # its level: its own, or the highest of the desa it stands in for (None: not assessed)
    stands_for: int = 0  # how many desa/kelurahan without a shape a kecamatan stands in for


@dataclass(frozen=True)
class MapPlan:
    areas: list[MapArea]  # stand-ins first, so that a desa with its own shape is drawn over its kecamatan
    stood_in: int  # desa/kelurahan drawn through their kecamatan
    unmapped: list[Region]  # desa/kelurahan whose kecamatan has no shape either

    @property
    def drawn(self) -> bool:
        return bool(self.areas)

    @property
    def not_drawn(self) -> int:
        return len(self.unmapped)


def _highest(risks: Iterable[AreaRisk]) -> AreaRisk | None:
    return max(risks, key=lambda risk: (risk.level, risk.score, risk.region.code), default=None)


def map_plan(desa: Iterable[Region], risks: Mapping[str, AreaRisk]) -> MapPlan:
    """The areas to draw for `desa` (with their boundaries loaded), each with the level it shows; `risks` maps a
    desa's code to its assessment."""
    own: list[MapArea] = []
    without_shape: dict[int, list[Region]] = defaultdict(list)
    for region in desa:
        if region.boundary:
            own.append(MapArea(region, risks.get(region.code)))
        elif region.parent_id is not None:
            without_shape[region.parent_id].append(region)
        else:
            without_shape[0].append(region)
    kecamatan = Region.objects.with_boundary().in_bulk([pk for pk in without_shape if pk])
    stand_ins: list[MapArea] = []
    unmapped: list[Region] = []
    for parent_id, regions in without_shape.items():
        parent = kecamatan.get(parent_id)
        if parent is None:
            unmapped.extend(regions)
            continue
        top = _highest(risks[r.code] for r in regions if r.code in risks)
        stand_ins.append(MapArea(parent, top, len(regions)))
    stand_ins.sort(key=lambda area: area.region.code)
    return MapPlan(stand_ins + own, sum(a.stands_for for a in stand_ins), unmapped)

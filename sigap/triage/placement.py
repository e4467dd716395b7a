"""Placing a report by its text: kelurahan names, their spelling variants and landmarks within the deployment."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from rapidfuzz import fuzz

from sigap.regions.choices import Level
from sigap.regions.models import Region, RegionAlias
from sigap.regions.names import fold

_WORD = re.compile(r"[a-z0-9]+")
_VILLAGE_WORDS = {"kel", "kelurahan", "desa", "ds"}


@dataclass(frozen=True)
class PlaceSuggestion:
    region: Region
    confidence: float
    reason: str


_CACHE: dict[str, tuple[tuple[int, int, int | None], dict[str, tuple[Region, str]], set[str]]] = {}
# How long a process trusts its gazetteer before asking whether a region or an alias changed (two queries, a tenth
# of a report's cost). A change saved in this process is seen at once (forget_gazetteer, on the models' signals).
TRUSTED_FOR_S = 5.0
_checked_at: dict[str, float] = {}


def forget_gazetteer(**_signal: Any) -> None:
    _CACHE.clear()
    _checked_at.clear()


def _version(within: str) -> tuple[int, int, int | None]:
    """Changes whenever a region or an alias (e.g. a landmark an admin adds) changes: one cheap query each."""
    aliases = RegionAlias.objects.aggregate(n=Count("id"), last=Max("id"))
    return Region.objects.under(within).count(), aliases["n"], aliases["last"]


def _gazetteer(within: str) -> tuple[dict[str, tuple[Region, str]], set[str]]:
    """Name key -> (region, how it is written) for every kelurahan/desa and alias under `within`, and the
    kecamatan name keys. Cached per process; polygons are never loaded here."""
    cached = _CACHE.get(within)
    now = time.monotonic()
    if cached and within in _checked_at and now - _checked_at[within] < TRUSTED_FOR_S:
        return cached[1], cached[2]
    version = _version(within)
    _checked_at[within] = now
    if cached and cached[0] == version:
        return cached[1], cached[2]
    regions = (
        Region.objects.under(within)
        .filter(level=Level.DESA_KELURAHAN)
        .only("id", "code", "name", "name_key", "level", "kind", "parent_id")
    )
    entries: dict[str, tuple[Region, str]] = {r.name_key: (r, r.name) for r in regions}
    for alias in (
        RegionAlias.objects.filter(region__in=regions)
        .select_related("region")
        .only(
            "name",
            "name_key",
            "region__id",
            "region__code",
            "region__name",
            "region__name_key",
            "region__level",
            "region__kind",
            "region__parent_id",
        )
    ):
        entries.setdefault(alias.name_key, (alias.region, alias.name))
    kecamatan = set(Region.objects.under(within).filter(level=Level.KECAMATAN).values_list("name_key", flat=True))
    _CACHE[within] = (version, entries, kecamatan)
    return entries, kecamatan


def place_from_text(text: str, *, within: str) -> PlaceSuggestion | None:
    """The kelurahan named in `text`, the longest name first; one typo allowed in long names."""
    words = _WORD.findall(fold(text))
    if not words:
        return None
    entries, kecamatan_keys = _gazetteer(within)
    found: list[PlaceSuggestion] = []
    for size in (4, 3, 2, 1):
        for start in range(len(words) - size + 1):
            key = "".join(words[start : start + size])
            hit = entries.get(key)
            if hit:
                region, written = hit
                after_village_word = start > 0 and words[start - 1] in _VILLAGE_WORDS
                # "Gadingrejo" is both a kelurahan and a kecamatan: less sure unless written "Kel. Gadingrejo".
                sure = 0.95 if (after_village_word or key not in kecamatan_keys) else 0.7
                found.append(PlaceSuggestion(region, sure, f"nama wilayah disebut: \u201c{written}\u201d"))
        if found:
            break
    if not found:
        found = _fuzzy(words, entries)
    if not found:
        return None
    return max(found, key=lambda s: (s.confidence, len(s.region.name)))


def _fuzzy(words: list[str], entries: dict[str, tuple[Region, str]]) -> list[PlaceSuggestion]:
    found = []
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            key = "".join(words[start : start + size])
            if len(key) < 7:
                continue
            for candidate, (region, written) in entries.items():
                score = fuzz.ratio(key, candidate)
                if score >= 88:
                    found.append(
                        PlaceSuggestion(
                            region,
                            round(0.5 + (score - 88) / 40, 2),
                            f"mirip nama wilayah \u201c{written}\u201d ({score:.0f}%)",
                        )
                    )
    return found

"""When an alert is due: pure rules over plain values (the Django side stores and routes the alerts).

Three triggers, as the Tim Terpadu asked: a kelurahan's level rises; a cluster spreads over several kelurahan; a
single incident meets the escalation criteria of PP 2/2015 Ps 43 and its Penjelasan (growing and massive crowds;
arson, looting or damage to offices and vital objects; police outnumbered; deaths; several kecamatan affected).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class IncidentFacts:
    people_estimate: int | None
    killed: int
    injured: int
    arson_or_looting: bool  # from the reports' signs and the analyst's triage
    police_outnumbered: bool
    vital_object_damaged: bool
    kecamatan_affected: int
    crowd_growing: bool


MASSIVE_CROWD = 100  # people; "massa yang semakin banyak dan meluas"


def escalation_criteria(f: IncidentFacts) -> list[str]:
    """The PP 2/2015 Ps 43 criteria an incident meets (codes; words are the caller's)."""
    met = []
    if f.crowd_growing and (f.people_estimate or 0) >= MASSIVE_CROWD:
        met.append("massive_crowd")
    if f.arson_or_looting:
        met.append("arson_looting")
    if f.vital_object_damaged:
        met.append("vital_object")
    if f.police_outnumbered:
        met.append("police_outnumbered")
    if f.killed > 0:
        met.append("deaths")
    if f.kecamatan_affected >= 2:
        met.append("several_kecamatan")
    return met


def level_rises(previous: Mapping[str, int], current: Mapping[str, int], at_least: int = 1) -> list[str]:
    """Areas whose level went up and now stands at `at_least` (Waspada) or above."""
    return sorted(code for code, lvl in current.items() if lvl >= at_least and lvl > previous.get(code, 0))


def spreading_clusters(
    elevated: Iterable[str], neighbours: Mapping[str, Sequence[str]], min_areas: int = 3
) -> list[list[str]]:
    """Groups of touching elevated areas (connected components) of at least `min_areas` kelurahan."""
    todo = set(elevated)
    clusters = []
    while todo:
        seed = todo.pop()
        group, stack = {seed}, [seed]
        while stack:
            for nb in neighbours.get(stack.pop(), ()):
                if nb in todo:
                    todo.remove(nb)
                    group.add(nb)
                    stack.append(nb)
        if len(group) >= min_areas:
            clusters.append(sorted(group))
    return sorted(clusters)

"""The risk index of an area and its level on the local ladder Aman / Waspada / Siaga / Awas, with its drivers.

The index is a sum of points (0-100) that an analyst can retrace: how surprising the recent incidents are (the
detector's p-value), how grave they were (severity-weighted), whether they are rising, how many cases are still
open, the area's standing vulnerability (indicators kept by analysts) and the phase of the election calendar; and,
beside the incidents, the warning signs that field monitors (Babinsa, Bhabinkamtibmas, tokoh, RT/RW) tick in their
checklists: indicator-based monitoring sees what has not yet become an incident (CEWARN's situation briefs).
Conflict law has no graded scale: the ladder and its thresholds are a local design and are parameters.

Each driver is returned as data (a code and its figures); the words are written by the Django side, in Bahasa
Indonesia or English. Everything is vectorised over areas; the clock is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.floating]


class Level(IntEnum):
    AMAN = 0
    WASPADA = 1
    SIAGA = 2
    AWAS = 3


@dataclass(frozen=True)
class Thresholds:
    """Lowest score of each level above Aman."""

    waspada: float = 20.0
    siaga: float = 40.0
    awas: float = 65.0

    def level(self, score: FloatArray) -> NDArray[np.int64]:
        s = np.asarray(score)
        return (s >= self.waspada).astype(np.int64) + (s >= self.siaga) + (s >= self.awas)


@dataclass(frozen=True)
class Weights:
    """Maximum points of each component. The incident-based ones add up to 100; the monitors' signs come on top and
    the score is capped at 100, so that a checklist can lift a calm kelurahan (to Waspada at most, with standing
    vulnerability and the calendar) but never outweighs what happened."""

    surprise: float = 35.0  # the detector: full points at p <= 10**-surprise_full_at
    severity: float = 25.0  # severity-weighted incidents of the recent window
    trend: float = 10.0
    open_cases: float = 10.0
    structural: float = 10.0
    calendar: float = 10.0
    monitor: float = 10.0
    surprise_full_at: float = 4.0
    severity_half_at: float = 6.0  # severity units for half the points (a death counts 10, an injury 3)
    open_half_at: float = 2.0
    monitor_half_at: float = 2.0  # distinct warning signs for half the monitor points


# How much each phase of the election calendar weighs (share of the calendar points).
PHASE_WEIGHT: dict[str, float] = {
    "": 0.0,
    "kampanye": 0.3,
    "masa_tenang": 0.7,
    "pemungutan": 1.0,
    "rekapitulasi": 0.8,
    "sengketa": 0.6,
}


@dataclass
class AreaInputs:
    """Figures per area, aligned arrays (one entry per area)."""

    p_value: FloatArray  # detector p-value of today (1 = nothing unusual, NaN = no baseline yet)
    recent_count: FloatArray  # verified incidents in the recent window
    recent_expected: FloatArray  # the detector's expected count for that window
    recent_weighted: FloatArray  # their severity weight (minor 1, injured 3, killed 10)
    previous_count: FloatArray  # incidents in the window before (for the trend)
    open_cases: FloatArray  # verified incidents not yet resolved
    structural: FloatArray  # 0..1 standing vulnerability from the analysts' indicators
    phase: str = ""  # election calendar phase of the day
    recent_days: int = 7
    top_category: list[str] = field(default_factory=list)  # most frequent category of the recent incidents
    top_category_count: FloatArray | None = None
    structural_notes: list[list[str]] = field(default_factory=list)  # e.g. ["ikp_tinggi", "tps_sangat_rawan:3"]
    monitor_signs: FloatArray | None = None  # distinct warning signs in the monitors' latest checklists
    monitor_reporters: FloatArray | None = None  # monitors whose latest checklist ticks at least one sign
    monitor_days: int = 14


@dataclass
class Assessment:
    score: FloatArray
    level: NDArray[np.int64]
    points: dict[str, FloatArray]
    drivers: list[list[dict[str, Any]]]  # per area, biggest first


def _saturating(x: FloatArray, half_at: float) -> FloatArray:
    """0 at 0, 1/2 at half_at, toward 1: more is always more, never past the maximum."""
    x = np.maximum(np.asarray(x, dtype=np.float64), 0.0)
    return x / (x + half_at)


def _or_zeros(values: FloatArray | None, n: int) -> FloatArray:
    return np.zeros(n) if values is None else np.asarray(values, dtype=np.float64)


def assess(inputs: AreaInputs, thresholds: Thresholds | None = None, weights: Weights | None = None) -> Assessment:
    t = thresholds or Thresholds()
    w = weights or Weights()
    p = np.nan_to_num(np.asarray(inputs.p_value, dtype=np.float64), nan=1.0)
    surprise = np.clip(-np.log10(np.maximum(p, 1e-300)) / w.surprise_full_at, 0.0, 1.0)
    # An incident-free area is never "surprising", whatever a thin baseline says.
    surprise = np.where(inputs.recent_count > 0, surprise, 0.0)
    growth = np.log2((inputs.recent_count + 1.0) / (inputs.previous_count + 1.0))
    points = {
        "surprise": w.surprise * surprise,
        "severity": w.severity * _saturating(inputs.recent_weighted, w.severity_half_at),
        "trend": w.trend * np.clip(growth / 2.0, 0.0, 1.0),
        "open_cases": w.open_cases * _saturating(inputs.open_cases, w.open_half_at),
        "structural": w.structural * np.clip(inputs.structural, 0.0, 1.0),
        "calendar": np.full(len(p), w.calendar * PHASE_WEIGHT.get(inputs.phase, 0.0)),
        "monitor": w.monitor * _saturating(_or_zeros(inputs.monitor_signs, len(p)), w.monitor_half_at),
    }
    score = np.round(np.minimum(sum(points.values()), 100.0), 1)
    level = t.level(score)
    drivers = [_drivers(i, inputs, points) for i in range(len(p))]
    return Assessment(score, level, points, drivers)


def _drivers(i: int, inputs: AreaInputs, points: dict[str, FloatArray]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    count = float(inputs.recent_count[i])
    if count > 0:
        expected = float(inputs.recent_expected[i])
        out.append(
            {
                "code": "recent",
                "points": float(points["surprise"][i] + points["severity"][i]),
                "count": int(count),
                "days": inputs.recent_days,
                "expected": round(expected, 2),
                "ratio": round(count / expected, 1) if expected > 0 else None,
                "p_value": float(inputs.p_value[i]) if np.isfinite(inputs.p_value[i]) else None,
                "severity": float(inputs.recent_weighted[i]),
                "category": inputs.top_category[i] if inputs.top_category else "",
                "category_count": int(inputs.top_category_count[i]) if inputs.top_category_count is not None else 0,
            }
        )
    if points["trend"][i] > 0:
        out.append(
            {
                "code": "trend",
                "points": float(points["trend"][i]),
                "count": int(count),
                "previous": int(inputs.previous_count[i]),
                "days": inputs.recent_days,
            }
        )
    if inputs.open_cases[i] > 0:
        out.append({"code": "open_cases", "points": float(points["open_cases"][i]), "count": int(inputs.open_cases[i])})
    if points["structural"][i] > 0:
        notes = inputs.structural_notes[i] if inputs.structural_notes else []
        out.append({"code": "structural", "points": float(points["structural"][i]), "notes": notes})
    if points["calendar"][i] > 0:
        out.append({"code": "calendar", "points": float(points["calendar"][i]), "phase": inputs.phase})
    if points["monitor"][i] > 0:
        # Counts only: which signs (a weapon seen, money handed out) is for the team's eyes, on the staff page of the
        # kelurahan; the drivers are public-safe (the API and the public page read them).
        n = len(inputs.p_value)
        out.append(
            {
                "code": "monitor",
                "points": float(points["monitor"][i]),
                "signs": int(_or_zeros(inputs.monitor_signs, n)[i]),
                "reporters": int(_or_zeros(inputs.monitor_reporters, n)[i]),
                "days": inputs.monitor_days,
            }
        )
    out.sort(key=lambda d: -d["points"])
    return out

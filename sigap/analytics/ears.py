"""EARS C1, C2 and C3 (CDC), vectorised over areas: the reference detectors.

Rows are areas, columns are time steps. C1 compares each step with the mean and standard deviation of the 7 steps
before it; C2 leaves a 2-step guard (steps t-9..t-3); C3 sums the last three max(0, C2 - 1). Steps without a full
baseline get NaN. Window sums come from cumulative sums, so the cost is O(areas x steps) whatever the window.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.floating]


def _window_stats(counts: FloatArray, lag: int, width: int = 7) -> tuple[FloatArray, FloatArray]:
    """Mean and sample SD of counts[t - lag - width + 1 .. t - lag] for every t (NaN before enough history)."""
    y = np.asarray(counts, dtype=np.float64)
    n_areas, n_steps = y.shape
    zero = np.zeros((n_areas, 1))
    s1 = np.concatenate([zero, np.cumsum(y, axis=1)], axis=1)
    s2 = np.concatenate([zero, np.cumsum(y * y, axis=1)], axis=1)
    mean = np.full_like(y, np.nan)
    sd = np.full_like(y, np.nan)
    start = lag + width - 1
    if start < n_steps:
        hi = np.arange(start, n_steps) - lag + 1  # exclusive end index into the cumulative sums
        lo = hi - width
        total = s1[:, hi] - s1[:, lo]
        total_sq = s2[:, hi] - s2[:, lo]
        mean[:, start:] = total / width
        sd[:, start:] = np.sqrt(np.maximum(total_sq - total * total / width, 0.0) / (width - 1))
    return mean, sd


def ears_z(counts: FloatArray, guard: int, min_sd: float = 0.0) -> FloatArray:
    """z-score against the 7 steps that end `guard + 1` steps back (guard 0: C1, guard 2: C2)."""
    y = np.asarray(counts, dtype=np.float64)
    mean, sd = _window_stats(y, lag=guard + 1)
    sd = np.maximum(sd, min_sd)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (y - mean) / sd
    # A flat baseline (sd 0) with a rise is infinitely surprising; with no rise it is not surprising at all.
    z = np.where(sd == 0, np.where(y > mean, np.inf, 0.0), z)
    return np.where(np.isnan(mean), np.nan, z)


def ears_c1(counts: FloatArray, min_sd: float = 0.0) -> FloatArray:
    return ears_z(counts, guard=0, min_sd=min_sd)


def ears_c2(counts: FloatArray, min_sd: float = 0.0) -> FloatArray:
    return ears_z(counts, guard=2, min_sd=min_sd)


def ears_c3(counts: FloatArray, min_sd: float = 0.0) -> FloatArray:
    c2 = np.nan_to_num(ears_c2(counts, min_sd=min_sd), nan=0.0, posinf=1e6)
    excess = np.maximum(c2 - 1.0, 0.0)
    c3 = excess.copy()
    c3[:, 1:] += excess[:, :-1]
    c3[:, 2:] += excess[:, :-2]
    c3[:, :11] = np.nan
    return np.asarray(c3, dtype=np.float64)

"""Negative-binomial tails, written with mean and dispersion (variance = phi * mean + extra * mean**2)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import special

FloatArray = NDArray[np.floating]


def nb_size(mean: FloatArray, variance: FloatArray) -> FloatArray:
    """The NB size r for a mean and a variance; a variance at or below the mean gives a huge r (Poisson limit)."""
    excess = np.maximum(variance - mean, 1e-9 * np.maximum(mean, 1e-12))
    return np.minimum(np.asarray(mean, dtype=np.float64) ** 2 / excess, 1e9)


def nb_sf(count: FloatArray, mean: FloatArray, variance: FloatArray) -> FloatArray:
    """P(Y >= count) for Y ~ NB(mean, variance); 1 for count <= 0.

    Counts of 1 and 2 (most cells of a quiet area) use the closed form 1 - P(0) [- P(1)], a tenth of the cost of
    the incomplete beta function that serves the rest; both are exact.
    """
    count = np.asarray(count, dtype=np.float64)
    mean = np.maximum(np.asarray(mean, dtype=np.float64), 1e-12)
    r = nb_size(mean, np.asarray(variance, dtype=np.float64))
    out = np.ones(np.broadcast_shapes(count.shape, mean.shape, r.shape))
    count, mean, r = (np.broadcast_to(a, out.shape) for a in (count, mean, r))
    small = (count == 1) | (count == 2)
    if small.any():
        rs, ms = r[small], mean[small]
        log_p0 = rs * np.log1p(-ms / (rs + ms))
        at_least_1 = -np.expm1(log_p0)
        p1 = np.exp(log_p0) * rs * ms / (rs + ms)
        out[small] = np.where(count[small] == 1, at_least_1, np.maximum(at_least_1 - p1, 0.0))
    big = count > 2
    if big.any():
        # P(Y >= y) = I_{1-p}(y, r) for y >= 1 (regularised incomplete beta), p = r / (r + mean).
        out[big] = special.betainc(count[big], r[big], mean[big] / (r[big] + mean[big]))
    return out


def nb_midp(count: FloatArray, mean: FloatArray, variance: FloatArray) -> FloatArray:
    """Mid-p upper tail P(Y > y) + P(Y = y) / 2: a near-continuous score that ranks ties fairly."""
    at_least = nb_sf(count, mean, variance)
    above = nb_sf(np.asarray(count) + 1.0, mean, variance)
    return 0.5 * (at_least + above)


def nb_sample(rng: np.random.Generator, mean: FloatArray, phi: FloatArray | float) -> NDArray[np.int64]:
    """Draw NB counts with variance phi * mean (Poisson where phi == 1), as a gamma-Poisson mixture."""
    mean = np.asarray(mean, dtype=np.float64)
    phi_arr = np.broadcast_to(np.asarray(phi, dtype=np.float64), mean.shape)
    over = phi_arr > 1.0
    rate = mean.copy()
    if over.any():
        size = mean[over] / (phi_arr[over] - 1.0)
        rate[over] = rng.gamma(size, (phi_arr[over] - 1.0))
    return rng.poisson(rate)

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


SUMMED_UP_TO = 8  # counts up to this are summed term by term; larger ones use the incomplete beta function
RECHECK_BELOW = 1e-6  # summed tails this small are computed again exactly (1 - sum loses their digits)


def nb_sf(count: FloatArray, mean: FloatArray, variance: FloatArray) -> FloatArray:
    """P(Y >= count) for Y ~ NB(mean, variance); 1 for count <= 0.

    Small counts (most cells of a quiet area) are 1 minus the first terms of the distribution, a fraction of the
    cost of the regularised incomplete beta function that serves the rest and the rare tiny tails.
    """
    count = np.asarray(count, dtype=np.float64)
    mean = np.maximum(np.asarray(mean, dtype=np.float64), 1e-12)
    r = nb_size(mean, np.asarray(variance, dtype=np.float64))
    out = np.ones(np.broadcast_shapes(count.shape, mean.shape, r.shape))
    count, mean, r = (np.broadcast_to(a, out.shape) for a in (count, mean, r))
    small = (count >= 1) & (count <= SUMMED_UP_TO)
    if small.any():
        cs, rs, ms = count[small], r[small], mean[small]
        q = ms / (rs + ms)
        log_p0 = rs * np.log1p(-q)
        below = np.exp(log_p0)  # P(Y <= c - 1), built up term by term
        term = below.copy()
        for k in range(int(np.ceil(cs.max())) - 1):  # the terms up to the largest count present, in place
            term *= rs + k
            term /= k + 1
            term *= q
            below += np.where(cs > k + 1, term, 0.0)
        out[small] = np.where(cs == 1, -np.expm1(log_p0), np.maximum(1.0 - below, 0.0))
    exact = (count > SUMMED_UP_TO) | (small & (out < RECHECK_BELOW))
    if exact.any():
        # P(Y >= y) = I_{1-p}(y, r) for y >= 1 (regularised incomplete beta), p = r / (r + mean).
        out[exact] = special.betainc(count[exact], r[exact], mean[exact] / (r[exact] + mean[exact]))
    return out


HALF_LOG_TWO_PI = 0.5 * np.log(2.0 * np.pi)


def nb_sf_lower_bound(count: FloatArray, mean: FloatArray, variance: FloatArray) -> FloatArray:
    """A lower bound of P(Y >= count) for count >= 1, at a fraction of the incomplete beta function's cost: where
    the bound is already large, the exact tail is not needed (the national screen).

    P(Y >= c) = sum_k P(Y = c + k) >= P(Y = c) / (1 - rho), where rho is the infimum over k of
    P(Y = c + k + 1) / P(Y = c + k) = q (c + k + r) / (c + k + 1): q itself for r >= 1 (the ratio falls to q), its
    first value for r < 1 (it rises to q). P(Y = c) is bounded below with Stirling's series, whose remainder lies
    in (0, 1 / (12 x)) for log Gamma(x), x > 0. With log Gamma(r) = log Gamma(r + 1) - log r (so that the
    remainder stays below 1/12 for the small r of overdispersed quiet areas), log Gamma(c + r) - log Gamma(r) is at
    least (r + 1/2) log1p((c - 1) / (r + 1)) + (c - 1) log(c + r) - (c - 1) + log r - 1 / (12 (r + 1)), written
    without the cancelling large terms so that a near-Poisson r of 1e9 keeps its digits; log Gamma(c + 1) is at
    most (c + 1/2) log(c + 1) - (c + 1) + log(2 pi) / 2 + 1 / (12 (c + 1)). Logarithms instead of log-gammas.
    """
    count = np.asarray(count, dtype=np.float64)
    mean = np.maximum(np.asarray(mean, dtype=np.float64), 1e-12)
    r = nb_size(mean, np.asarray(variance, dtype=np.float64))
    q = mean / (r + mean)
    below = count - 1.0
    rising = (r + 0.5) * np.log1p(below / (r + 1.0)) + below * np.log(count + r) - below + np.log(r)
    rising -= 1.0 / (12.0 * (r + 1.0))
    factorial = (count + 0.5) * np.log(count + 1.0) - (count + 1.0) + HALF_LOG_TWO_PI + 1.0 / (12.0 * (count + 1.0))
    log_pmf = rising - factorial + r * np.log1p(-q) + count * np.log(q)
    rho = q * np.minimum(1.0, (count + r) / (count + 1.0))
    return np.asarray(np.exp(log_pmf - 1e-9) / (1.0 - rho), dtype=np.float64)  # 1e-9: rounding of the sum


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

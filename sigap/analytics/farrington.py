"""Improved Farrington (Noufaily et al. 2013), a numpy port of the reference detector.

For a current week t0: a quasi-Poisson GLM with a linear trend and a 10-level seasonal factor, fitted on the past
`years` years up to 26 weeks before t0; past outbreaks down-weighted (Anscombe residuals above 2.58 get weight
r**-2); the alarm threshold is the negative-binomial plug-in quantile. Batched over series that share t0, so the
benchmark runs in minutes. This is a reference to compare with, not the production detector (a GLM per area and
step is O(areas x steps x fit)).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sigap.analytics.nb import nb_midp, nb_sf

FloatArray = NDArray[np.floating]


def _design(
    t0: int, period: int, years: int, half_window: int, skip: int, periods: int
) -> tuple[NDArray[np.int64], FloatArray]:
    first = t0 - period * years - half_window
    weeks = np.arange(max(first, 0), t0 - skip + 1)
    phase = (t0 - weeks) % period
    distance = np.minimum(phase, period - phase)
    level = np.zeros(len(weeks), dtype=np.int64)
    others = distance > half_window
    # Positions outside the current window, split into (periods - 1) blocks of consecutive calendar weeks.
    rest = (phase[others] - half_window - 1) * (periods - 1) // (period - 2 * half_window - 1)
    level[others] = 1 + np.minimum(rest, periods - 2)
    x = np.zeros((len(weeks), 2 + periods - 1))
    x[:, 0] = 1.0
    x[:, 1] = (weeks - t0) / period
    for j in range(1, periods):
        x[:, 1 + j] = level == j
    return weeks, x


def _irls(x: FloatArray, y: FloatArray, prior: FloatArray, iterations: int = 8) -> FloatArray:
    """Batched Poisson IRLS: y (R, n), prior weights (R, n), shared design x (n, p); returns beta (R, p)."""
    p = x.shape[1]
    eta = np.log(y + 0.5)
    ridge = 1e-6 * np.eye(p)
    beta = np.zeros((y.shape[0], p))
    for _ in range(iterations):
        mu = np.exp(eta)
        z = eta + (y - mu) / mu
        w = prior * mu
        a = (x.T[None, :, :] * w[:, None, :]) @ x + ridge
        b = (w * z) @ x
        beta = np.linalg.solve(a, b[..., None])[..., 0]
        eta = np.clip(beta @ x.T, -30.0, 30.0)
    return beta


def noufaily_at(
    counts: FloatArray,
    t0: int,
    period: int = 52,
    years: int = 5,
    half_window: int = 3,
    skip: int = 26,
    periods: int = 10,
    reweight_limit: float = 2.58,
) -> tuple[FloatArray, FloatArray]:
    """Predicted mean and dispersion at step t0 for every row of counts (R, T)."""
    weeks, x = _design(t0, period, years, half_window, skip, periods)
    y = np.asarray(counts, dtype=np.float64)[:, weeks]
    n, p = x.shape
    prior = np.ones_like(y)
    beta = _irls(x, y, prior)
    for reweighted in (False, True):
        mu = np.exp(np.clip(beta @ x.T, -30, 30))
        pearson = (y - mu) ** 2 / mu
        phi = np.maximum(np.sum(prior * pearson, axis=1) / max(n - p, 1), 1.0)
        # Hat values for the Anscombe residuals: h = w x (X'WX)^-1 x'.
        a_inv = np.linalg.inv((x.T[None, :, :] * mu[:, None, :]) @ x + 1e-6 * np.eye(p))
        hat = mu * np.sum((x[None, :, :] @ a_inv) * x[None, :, :], axis=2)
        scale = mu ** (1 / 6) * np.sqrt(phi[:, None] * np.maximum(1 - hat, 1e-6))
        anscombe = 1.5 * (y ** (2 / 3) - mu ** (2 / 3)) / scale
        if reweighted:
            break
        prior = np.where(anscombe > reweight_limit, anscombe**-2.0, 1.0)
        prior = prior * n / prior.sum(axis=1, keepdims=True)
        beta = _irls(x, y, prior)
    x0 = np.zeros(p)
    x0[0] = 1.0
    return np.exp(np.clip(beta @ x0, -30, 30)), phi


def noufaily_scores(counts: FloatArray, steps: NDArray[np.int64], **kwargs: int) -> tuple[FloatArray, FloatArray]:
    """Mid-p score and upper-tail p-value of counts[:, t] for each t in `steps` (R, len(steps))."""
    y = np.asarray(counts, dtype=np.float64)
    midp = np.full((y.shape[0], len(steps)), np.nan)
    sf = np.full_like(midp, np.nan)
    for j, t0 in enumerate(steps):
        mean, phi = noufaily_at(y, int(t0), **kwargs)
        var = phi * mean
        midp[:, j] = nb_midp(y[:, t0], mean, var)
        sf[:, j] = nb_sf(y[:, t0], mean, var)
    return midp, sf

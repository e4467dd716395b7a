"""Sigap's aberration detector: a seasonal-ratio negative-binomial baseline built from cumulative sums.

The baseline lives on bins of `bin_steps` steps (weeks, for daily data) and every step is scored against the
baseline of its bin. For area a and bin b the expected count per unit of offset is

    level[a, b] = rate[a, b] * ratio[a, b]

* the offset carries what is known in advance and shared by all areas: the day-of-week profile and the multiplier
  of a known high-risk period (the election window); a step's expected count is level * offset[step].
* `rate` is the offset-adjusted rate over a trailing window of `level_window` bins that ends `guard` bins back (so a
  rise that builds over a few days does not hide in its own baseline), leaning on the long-run rate of the last
  `long_window` bins, which counts as `prior_events` events: thin data fall back on the long run, rich data follow
  the trend.
* `ratio` is how much the same calendar position moved in each of the past `seasonal_years` years between that
  trailing window and the `2 * seasonal_halfwidth + 1` bins around the same date: it carries the annual season and
  the trend across the window lag (Farrington's "same weeks in past years", without a GLM), shrunk toward 1 with a
  pseudo-count.

The prediction is a negative binomial with the area's dispersion (trailing Pearson, shrunk toward Poisson) and the
estimation error of the window counts added to its variance. Bins that were aberrant are cleaned out of the
baseline (second pass), the way Farrington down-weights past outbreaks. A step is scored by the upper-tail
probability of its count and, for slow waves, of the sum of its last `wave_steps` steps (the smaller p-value,
Bonferroni-doubled).

Every window is a difference of cumulative sums, so a full recompute costs O(areas x steps) and the bin-level work
is divided by `bin_steps`; `Stream.append` scores one new step for all areas in O(areas) with the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sigap.analytics.nb import nb_sf, nb_sf_lower_bound

FloatArray = NDArray[np.floating]


@dataclass(frozen=True)
class DetectorParams:
    bin_steps: int = 7  # steps per baseline bin: a week of days
    period: int = 52  # bins in a year
    level_window: int = 12
    long_window: int = 52
    prior_events: float = 5.0
    guard: int = 1
    seasonal_years: int = 3
    seasonal_halfwidth: int = 1
    seasonal_pseudo: float = 10.0
    dispersion_window: int = 52
    dispersion_pseudo: float = 10.0  # pseudo-bins of Poisson behaviour in the dispersion estimate
    clean_z: float = 2.0  # bins above mean + clean_z * sd are replaced by their mean in the second pass
    wave_steps: int = 7  # 0 turns the wave test off
    screen_z: float | None = None  # skip exact tails at or below mean + screen_z * sd (national recompute)

    @classmethod
    def weekly(cls) -> DetectorParams:
        """For weekly counts (Tier A): every week is its own bin."""
        return cls(
            bin_steps=1,
            level_window=26,
            clean_z=2.58,
            long_window=104,
            guard=2,
            seasonal_years=5,
            seasonal_halfwidth=3,
            dispersion_window=104,
            dispersion_pseudo=20.0,
            wave_steps=2,
        )

    def with_(self, **changes: object) -> DetectorParams:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class BinBaseline:
    """Per (area, bin): the expected count per unit of offset, its relative error and the area's dispersion."""

    level: FloatArray
    relative_error: FloatArray  # variance of the estimated level, relative to level**2
    dispersion: FloatArray
    level_count: FloatArray  # events in the trailing level window (for the reasons in words)
    seasonal_ratio: FloatArray


def _csum(values: FloatArray) -> FloatArray:
    """Cumulative sums along time after one leading zero: cum[..., b] is the sum of the bins before b."""
    out = np.empty(values.shape[:-1] + (values.shape[-1] + 1,))
    out[..., 0] = 0.0
    np.cumsum(values, axis=-1, dtype=np.float64, out=out[..., 1:])
    return out


def _bin_window(cum: FloatArray, bins: slice, start_back: int, end_back: int) -> FloatArray:
    """For every bin b in `bins`, the sum over bins [b - start_back, b - end_back) from cumulative sums with a single
    leading zero; the part of a window before the data is empty.

    Bin-level sums are kept unpadded (a national Stream holds five of them for every area), so the first bins clamp
    their window start to the beginning of the data instead.
    """
    n_out = bins.stop - bins.start
    hi_first, lo_first = bins.start - end_back, bins.start - start_back
    j_hi, j_lo = max(0, -hi_first), max(0, -lo_first)
    if j_lo == 0:  # the whole window is inside the data: one subtraction
        return cum[..., hi_first : hi_first + n_out] - cum[..., lo_first : lo_first + n_out]
    out = np.zeros(cum.shape[:-1] + (n_out,))
    if j_hi < n_out:
        out[..., j_hi:] = cum[..., hi_first + j_hi : hi_first + n_out]
    if j_lo < n_out:
        out[..., j_lo:] -= cum[..., lo_first + j_lo : lo_first + n_out]
    return out


def _level(cy: FloatArray, cm: FloatArray, bins: slice, p: DetectorParams) -> tuple[FloatArray, ...]:
    """Level per offset unit, relative error, level count and seasonal ratio at `bins` from cumulative sums."""

    def win(cum: FloatArray, start_back: int, end_back: int) -> FloatArray:
        return _bin_window(cum, bins, start_back, end_back)

    level_count = win(cy, p.guard + p.level_window, p.guard)
    level_offset = win(cm, p.guard + p.level_window, p.guard)
    seasonal_obs = np.zeros_like(level_count)
    seasonal_exp = np.zeros_like(level_count)
    seasonal_ref = np.zeros_like(level_count)
    for year in range(1, p.seasonal_years + 1):
        back = year * p.period
        ref_offset = win(cm, back + p.guard + p.level_window, back + p.guard)
        near_offset = win(cm, back + p.seasonal_halfwidth, back - p.seasonal_halfwidth - 1)
        full = (ref_offset > 0) & (near_offset > 0)
        have = np.flatnonzero(full)
        if not len(have):
            continue
        # Only the bins with a past year to compare with (a tail of the series) are worth the area-wide work.
        a, b = int(have[0]), int(have[-1]) + 1
        sub = slice(bins.start + a, bins.start + b)
        ref_count = _bin_window(cy, sub, back + p.guard + p.level_window, back + p.guard)
        near_count = _bin_window(cy, sub, back + p.seasonal_halfwidth, back - p.seasonal_halfwidth - 1)
        use = full[a:b]
        if not use.all():  # a gap in the past years' data (rare): leave those bins out
            near_count *= use
            ref_count *= use
        seasonal_obs[..., a:b] += near_count
        seasonal_ref[..., a:b] += ref_count
        ref_count *= np.where(use, near_offset[a:b] / np.where(use, ref_offset[a:b], 1.0), 0.0)
        seasonal_exp[..., a:b] += ref_count
    k = p.seasonal_pseudo
    ratio = (seasonal_obs + k) / (seasonal_exp + k)
    long_count = win(cy, p.guard + p.long_window, p.guard)
    long_offset = win(cm, p.guard + p.long_window, p.guard)
    with np.errstate(divide="ignore", invalid="ignore"):
        long_rate = (long_count + 0.5) / np.where(long_offset > 0, long_offset, np.nan)
        rate = np.where(
            level_offset > 0, (level_count + p.prior_events) / (level_offset + p.prior_events / long_rate), np.nan
        )
    relative_error = 1.0 / (level_count + np.minimum(p.prior_events, long_count) + 0.5)
    relative_error += np.where(seasonal_ref > 0, 1.0 / (seasonal_obs + k) + 1.0 / (seasonal_ref + k), 0.0)
    return rate * ratio, relative_error, level_count, ratio


def _nb_variance(mean: FloatArray, dispersion: FloatArray, relative_error: FloatArray) -> FloatArray:
    return dispersion * mean * (1.0 + mean * relative_error)


def _pearson(y: FloatArray, mean: FloatArray, variance: FloatArray) -> tuple[FloatArray, FloatArray]:
    valid = np.isfinite(mean) & (mean > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = np.where(valid, (y - mean) ** 2 / variance, 0.0)  # variance > 0 wherever mean > 0
    return pearson, valid.astype(np.float64)


def _dispersion(c_pearson: FloatArray, c_valid: FloatArray, bins: slice, p: DetectorParams) -> FloatArray:
    total = _bin_window(c_pearson, bins, p.guard + p.dispersion_window, p.guard)
    n = _bin_window(c_valid, bins, p.guard + p.dispersion_window, p.guard)
    return np.maximum((total + p.dispersion_pseudo) / (n + p.dispersion_pseudo), 1.0)


def _cleaned(y: FloatArray, mean: FloatArray, variance: FloatArray, p: DetectorParams) -> FloatArray:
    limit = mean + p.clean_z * np.sqrt(variance) + 1.0
    with np.errstate(invalid="ignore"):
        return np.where(y > limit, np.floor(mean), y)  # a NaN limit (no baseline yet) compares False


def _to_bins(y: NDArray[Any], m: FloatArray, bin_steps: int) -> tuple[FloatArray, FloatArray]:
    """Counts and offsets per bin (the last bin may be partial), in float64 whatever the counts' precision.

    Summed as one strided slice per position in the bin: a reduction over an axis of seven is several times
    slower in numpy, and the sums come out in the same order as a step-by-step Stream's."""
    if bin_steps == 1:
        return np.asarray(y, dtype=np.float64), m
    n_bins = -(-y.shape[-1] // bin_steps)
    yb = np.zeros(y.shape[:-1] + (n_bins,))
    mb = np.zeros(n_bins)
    for j in range(bin_steps):
        part = y[..., j::bin_steps]
        yb[..., : part.shape[-1]] += part
        mb[: part.shape[-1]] += m[j::bin_steps]
    return yb, mb


def _bin_baseline(yb: FloatArray, mb: FloatArray, p: DetectorParams) -> tuple[BinBaseline, dict[str, FloatArray]]:
    """Both passes over the bins; returns the final baseline and the cumulative sums a Stream continues from."""
    bins = slice(0, yb.shape[-1])
    sums = {"counts": _csum(yb), "offset": _csum(mb)}
    level1, rel1, _, _ = _level(sums["counts"], sums["offset"], bins, p)
    mean1 = level1 * mb
    pearson, valid = _pearson(yb, mean1, _nb_variance(mean1, 1.0, rel1))  # type: ignore[arg-type]
    sums["pearson"], sums["valid"] = _csum(pearson), _csum(valid)
    phi = _dispersion(sums["pearson"], sums["valid"], bins, p)
    sums["cleaned"] = _csum(_cleaned(yb, mean1, _nb_variance(mean1, phi, rel1), p))
    level, rel, level_count, ratio = _level(sums["cleaned"], sums["offset"], bins, p)
    return BinBaseline(level, rel, phi, level_count, ratio), sums


@dataclass
class Scores:
    mean: FloatArray  # expected count of each step
    p_value: FloatArray  # the step's evidence of a rise (smaller = stronger), NaN without enough history
    p_step: FloatArray
    p_wave: FloatArray
    wave_count: FloatArray
    wave_mean: FloatArray
    baseline: BinBaseline  # per bin; step t belongs to bin t // bin_steps
    bin_steps: int

    def per_step(self, per_bin: FloatArray) -> FloatArray:
        return _per_step(per_bin, self.bin_steps)[..., : self.mean.shape[-1]]

    @property
    def variance(self) -> FloatArray:
        b = self.baseline
        return _nb_variance(self.mean, self.per_step(b.dispersion), self.per_step(b.relative_error))


def _tails(
    count: FloatArray, mean: FloatArray, base: BinBaseline, bin_steps: int, screen_z: float | None
) -> FloatArray:
    """NB upper tails of `count` against `mean`, the variance taken from the step's bin.

    With `screen_z`, cells at or below mean + screen_z * sd, or whose tail is shown to be above COMMON_ABOVE, are not
    computed and get p = 1: their exact tail is far above any alarm level (see test_screen_is_conservative), and
    skipping them keeps a national recompute near the cost of EARS. The variance is computed for the remaining cells
    only.
    """
    out = np.ones(count.shape)
    with np.errstate(invalid="ignore"):
        if screen_z is None:
            todo = np.flatnonzero((count > 0) & (mean >= 0))
        else:
            # sd >= sqrt(mean) because the variance is at least Poisson: a cheap first cut, then the exact one.
            limit = np.sqrt(mean)
            limit *= screen_z
            limit += mean
            todo = np.flatnonzero(count > limit)
    out.flat[todo] = _cell_tails(todo, count.flat[todo], mean.flat[todo], base, count.shape[-1], bin_steps, screen_z)
    out[..., _unknown_steps(mean)] = np.nan
    return out


def _cell_tails(
    todo: NDArray[np.intp],
    count: FloatArray,
    mean: FloatArray,
    base: BinBaseline,
    n_steps: int,
    bin_steps: int,
    screen_z: float | None,
) -> FloatArray:
    """The tails of the cells `todo` (flat indices into areas x steps) with their counts and means; the variance
    from each cell's bin. With `screen_z`, cells within the screen, or shown to be common, get 1."""
    row, step = np.divmod(todo, n_steps)
    cell = row * base.level.shape[-1] + step // bin_steps
    variance = _nb_variance(mean, base.dispersion.flat[cell], base.relative_error.flat[cell])
    if screen_z is None:
        return nb_sf(count, mean, variance)
    out = np.ones(len(todo))
    # The Poisson first cut again (sd >= sqrt(mean)): a caller's looser float32 cut selects no more than score().
    keep = np.flatnonzero((count > mean + screen_z * np.sqrt(mean)) & _beyond_screen(count, mean, variance, screen_z))
    out[keep] = _tails_unless_common(count[keep], mean[keep], variance[keep])
    return out


COMMON_ABOVE = 0.004  # the screen gives p = 1 only to counts whose exact tail is at least this (far above alarms)
QUIET_MEAN = 0.1  # below this expected count, a count of 1 or 2 is weighed whatever the screen (_beyond_screen)


def _beyond_screen(count: FloatArray, mean: FloatArray, variance: FloatArray, screen_z: float) -> NDArray[np.bool_]:
    """The counts above mean + screen_z * sd, and the counts of 1 or 2 where almost nothing is expected: a very
    overdispersed quiet area can make a single incident rare although it is within screen_z sd (closed form, cheap)."""
    return np.asarray((count > mean + screen_z * np.sqrt(variance)) | ((count <= 2) & (mean < QUIET_MEAN)))


def _tails_unless_common(count: FloatArray, mean: FloatArray, variance: FloatArray) -> FloatArray:
    """Exact NB tails, except 1 where a lower bound of the tail already exceeds COMMON_ABOVE: most counts just
    above the screen are common, and the bound costs about half of nb_sf's term-by-term sum and a fifth of its
    incomplete beta function."""
    out = np.ones(count.shape)
    # The bound is a sum over whole counts: a severity-weighted count that is not whole gets its exact tail.
    common = (nb_sf_lower_bound(count, mean, variance) > COMMON_ABOVE) & (count == np.floor(count))
    rare = np.flatnonzero(~common)
    out[rare] = nb_sf(count[rare], mean[rare], variance[rare])
    return out


def _unknown_steps(mean: FloatArray) -> NDArray[np.bool_]:
    """Steps without a baseline (not enough history). The history is the same for every area, so one row tells."""
    return np.isnan(mean.reshape(-1, mean.shape[-1])[0]) if mean.size else np.zeros(mean.shape[-1], dtype=bool)


def _score_steps(
    y: FloatArray,
    mean: FloatArray,
    wave_count: FloatArray,
    wave_mean: FloatArray,
    base: BinBaseline,
    p: DetectorParams,
) -> Scores:
    p_step = _tails(y, mean, base, p.bin_steps, p.screen_z)
    if p.wave_steps > 1:
        # Steps of a wave share their baseline: its estimation error adds up linearly, not in quadrature.
        wave_mean[..., _unknown_steps(mean)] = np.nan
        p_wave = _tails(wave_count, wave_mean, base, p.bin_steps, p.screen_z)
        p_value = np.minimum(p_step, p_wave)
        p_value *= 2.0
        np.minimum(p_value, 1.0, out=p_value)
    else:
        p_wave = np.full_like(p_step, np.nan)
        p_value = p_step
    return Scores(mean, p_value, p_step, p_wave, wave_count, wave_mean, base, p.bin_steps)


def _per_step(per_bin: NDArray[Any], bin_steps: int) -> NDArray[Any]:
    """Each bin's value repeated over its steps (all of the last bin's, the partial one too)."""
    return np.repeat(per_bin, bin_steps, axis=-1) if bin_steps > 1 else per_bin


def _inputs(counts: ArrayLike, offset: ArrayLike | None) -> tuple[FloatArray, FloatArray]:
    y = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    m = np.ones(y.shape[-1]) if offset is None else np.asarray(offset, dtype=np.float64)
    return y, m


def score(counts: ArrayLike, offset: ArrayLike | None = None, params: DetectorParams | None = None) -> Scores:
    """Expected counts and upper-tail p-values of every (area, step), from a full recompute."""
    p = params or DetectorParams()
    y, m = _inputs(counts, offset)
    n_steps = y.shape[-1]
    base, _ = _bin_baseline(*_to_bins(y, m, p.bin_steps), p)
    mean = _per_step(base.level, p.bin_steps)[..., :n_steps] * m
    if p.wave_steps > 1:
        wave_count = _trailing_sums(y, p.wave_steps)
        # Bins without a baseline yet add nothing to a wave's expected count.
        level_steps = _per_step(np.nan_to_num(base.level, nan=0.0), p.bin_steps)
        shares = _offset_shares(m, base.level.shape[-1], p.bin_steps, p.wave_steps)
        wave_mean = _wave_means(level_steps, shares, p.bin_steps, n_steps)
    else:
        wave_count, wave_mean = y, mean
    return _score_steps(y, mean, wave_count, wave_mean, base, p)


def score_chunked(
    counts: NDArray[Any], offset: ArrayLike | None = None, params: DetectorParams | None = None, chunk: int = 512
) -> NDArray[np.float32]:
    """p-values only, area block by area block: the full recompute at national scale in bounded memory.

    Blocks of 512 areas keep a block's working arrays small enough for the processor's cache and the allocator's
    reuse (blocks of 1,024 were about 1.5x slower over 83,000 areas). With `screen_z` set, a block is scored by
    `_screened_p_values`, which gives `score(...).p_value` with a fraction of the per-step work.
    """
    p = params or DetectorParams()
    m = np.ones(counts.shape[-1]) if offset is None else np.asarray(offset, dtype=np.float64)
    # Filled at once: filling block by block, between the blocks' own allocations, cost ten times as much (page faults).
    out = np.ones(counts.shape, dtype=np.float32)
    for lo in range(0, len(counts), chunk):
        block = counts[lo : lo + chunk]
        if p.screen_z is None:
            out[lo : lo + chunk] = score(block, m, p).p_value
        else:
            _screened_p_values(block, m, p, out=out[lo : lo + chunk])
    return out


def _screened_p_values(block: NDArray[Any], m: FloatArray, p: DetectorParams, out: NDArray[np.float32]) -> None:
    """`score(block, m, p).p_value` for a screened recompute (`p.screen_z` set), touching every step only to
    compare it with its screen.

    Per step there are the expected count, the wave sums and the two first cuts, in the counts' own precision
    (float32 counts halve the arrays; whole counts are exact in float32, and the cut is loosened by 1e-4 of its z
    so that rounding never skips a cell). The few cells above a cut get their counts and means again in float64
    from the baseline and go through the same tails as score(); the p-value is assembled on those cells only, in
    `out`: the caller's slice of the national array, all ones on entry (no copy of a block's result).
    """
    screen_z = p.screen_z
    if screen_z is None:
        raise ValueError("_screened_p_values needs params.screen_z")
    y = np.asarray(block)
    work = np.float32 if y.dtype == np.float32 else np.float64
    y = y.astype(work, copy=False)
    n_areas, n_steps = y.shape
    bs = p.bin_steps
    base = _bin_baseline(*_to_bins(y, m, bs), p)[0]
    n_bins = base.level.shape[-1]
    unknown = _unknown_steps(_per_step(base.level[:1], bs)[:, :n_steps])
    level = np.nan_to_num(base.level, nan=0.0)  # unknown bins count as nothing in the wave sums (as in score)
    factor = _cut_factors(base, m, screen_z * (1.0 - 1e-4), bs).astype(work)
    flat = out.reshape(-1)
    level_steps = _per_step(level.astype(work), bs)
    m_steps = np.zeros(n_bins * bs, dtype=work)
    m_steps[:n_steps] = m
    todo = _above_cut(y, level_steps * m_steps, factor, unknown)
    step = todo % n_steps
    mean = level.reshape(-1)[(todo // n_steps) * n_bins + step // bs] * m[step]
    p_step = _cell_tails(todo, y.reshape(-1)[todo].astype(np.float64), mean, base, n_steps, bs, screen_z)
    if p.wave_steps <= 1:
        flat[todo] = p_step
    else:
        flat[todo] = np.minimum(2.0 * p_step, 1.0)  # Bonferroni-doubled, as in _score_steps
        shares = _offset_shares(m, n_bins, bs, p.wave_steps)
        wave_count = _trailing_sums(y, p.wave_steps)
        todo = _above_cut(wave_count, _wave_means(level_steps, shares, bs, n_bins * bs), factor, unknown)
        row, step = np.divmod(todo, n_steps)
        wave_mean = np.zeros(len(todo))
        for j, share in enumerate(shares):
            back = step // bs - j
            wave_mean += np.where(back >= 0, level.reshape(-1)[row * n_bins + np.maximum(back, 0)], 0.0) * share[step]
        count = wave_count.reshape(-1)[todo].astype(np.float64)
        p_wave = _cell_tails(todo, count, wave_mean, base, n_steps, bs, screen_z)
        flat[todo] = np.minimum(flat[todo], np.minimum(2.0 * p_wave, 1.0))
    out[:, unknown] = np.nan


def _cut_factors(base: BinBaseline, m: FloatArray, z: float, bin_steps: int) -> FloatArray:
    """Per area and bin, a factor f with z * sd >= f * sqrt(mean) at each of the bin's steps, for the step and
    the wave tests: the first cut count > mean + f * sqrt(mean) then keeps every cell that _cell_tails keeps.

    The variance is dispersion * mean * (1 + mean * relative error) >= dispersion * mean, so f = z * sqrt(dispersion)
    in a busy bin; z alone (a Poisson sd) where the expected count may fall below QUIET_MEAN at one of the bin's
    steps, because there a count of 1 or 2 is weighed even within the screen. A wave's expected count is at least
    its last step's, so a bin that is busy for its steps is busy for their waves."""
    n_bins = base.level.shape[-1]
    m_bins = np.full(n_bins * bin_steps, np.inf)
    m_bins[: len(m)] = m
    with np.errstate(invalid="ignore"):  # NaN levels (no baseline yet) compare False: those steps are skipped
        # A hair above QUIET_MEAN: a wave's expected count, a sum of products, may round an ulp below its step's.
        busy = base.level * m_bins.reshape(n_bins, bin_steps).min(axis=-1) >= QUIET_MEAN * (1.0 + 1e-9)
    return np.where(busy, z * np.sqrt(base.dispersion), z)


def _above_cut(
    count: NDArray[Any], mean: NDArray[Any], factor: NDArray[Any], unknown: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """Flat indices of the cells above mean + factor * sqrt(mean), steps without a baseline left out. `mean` runs
    over whole bins (the last one padded), `factor` is per area and bin."""
    n_areas, n_bins = factor.shape
    limit = np.sqrt(mean)
    per_bin = limit.reshape(n_areas, n_bins, -1)  # a view: the factors multiply the limits in place
    per_bin *= factor[:, :, None]
    limit += mean
    n_steps = count.shape[-1]
    todo = np.flatnonzero(count > limit[:, :n_steps])
    return np.asarray(todo[~unknown[todo % n_steps]], dtype=np.intp)


def _offset_shares(m: FloatArray, n_bins: int, bin_steps: int, wave_steps: int) -> list[FloatArray]:
    """For j = 0, 1, ...: for each step t, the offsets of its wave window (t - wave_steps, t] that fall in the bin
    j bins before t's. A wave's expected count is then sum_j level[bin(t) - j] * share_j[t]: a few products per
    step from the per-bin levels, instead of cumulative sums over the per-step means."""
    total = n_bins * bin_steps
    cum = np.zeros(total + 1)
    cum[1 : len(m) + 1] = np.cumsum(m[:total])
    cum[len(m) + 1 :] = cum[len(m)]
    t = np.arange(total)
    lo, hi, b = np.maximum(t - wave_steps + 1, 0), t + 1, t // bin_steps
    shares = []
    for j in range((wave_steps - 1 + bin_steps - 1) // bin_steps + 1):
        start, end = np.maximum(lo, (b - j) * bin_steps), np.minimum(hi, (b - j + 1) * bin_steps)
        inside = end > start
        shares.append(np.where(inside, cum[np.where(inside, end, 0)] - cum[np.where(inside, start, 0)], 0.0))
    return shares


def _wave_means(level_steps: NDArray[Any], shares: list[FloatArray], bin_steps: int, n_steps: int) -> NDArray[Any]:
    """sum_j level[bin(t) - j] * share_j[t] for every step, from the per-bin levels repeated over their steps."""
    work = level_steps.dtype
    out = level_steps * shares[0].astype(work)
    for j, share in enumerate(shares[1:], start=1):
        lag = j * bin_steps
        out[:, lag:] += level_steps[:, :-lag] * share[lag:].astype(work)
    return np.asarray(out[:, :n_steps])


def _trailing_sums(y: NDArray[Any], steps: int) -> NDArray[Any]:
    """Sum of each step and the `steps - 1` before it (fewer at the start), in y's precision.

    Built from sums over 1, 2, 4, ... steps (each the previous one plus itself shifted), added up along the binary
    digits of `steps`: five additions for a week, where numpy's cumulative sum runs several times slower."""
    out: NDArray[Any] | None = None
    width, power, size = 0, y, 1
    while True:
        if steps & size:
            if out is None:
                out = power.copy()
            else:
                out[..., width:] += power[..., : power.shape[-1] - width]
            width += size
        if width == steps:
            return out  # type: ignore[return-value]
        doubled = power.copy()
        doubled[..., size:] += power[..., : power.shape[-1] - size]
        power, size = doubled, 2 * size


class Stream:
    """The detector's state after a full recompute, extended one step at a time with the same arithmetic.

    `append` scores one new step for every area in O(areas): the incremental path (an incident verified today)
    that must agree exactly with a full recompute (tested). A bin is closed, cleaned and added to the cumulative
    sums when its last step arrives; the next bin's baseline is computed when its first step arrives.
    """

    def __init__(
        self,
        counts: NDArray[Any],
        offset: ArrayLike | None = None,
        params: DetectorParams | None = None,
        chunk: int = 4096,
    ):
        self.params = p = params or DetectorParams()
        m = np.ones(np.shape(counts)[-1]) if offset is None else np.asarray(offset, dtype=np.float64)
        n_areas, n_steps = np.shape(counts)
        whole = (n_steps // p.bin_steps) * p.bin_steps
        self._n_bins = whole // p.bin_steps
        self._n_areas = n_areas
        parts: list[dict[str, FloatArray]] = []
        recent, recent_mean = [], []
        wave = max(p.wave_steps, 1)
        for lo in range(0, n_areas, chunk):  # area blocks keep the peak memory near the final state's size
            y = np.asarray(counts[lo : lo + chunk, :whole], dtype=np.float64)
            yb, mb = _to_bins(y, m[:whole], p.bin_steps)
            part = _bin_baseline(yb, mb, p)[1]
            parts.append(part)
            if p.wave_steps > 1 and whole >= p.wave_steps:
                # The wave window needs the means of the last steps: their bins' levels times the offsets.
                first_bin = (whole - p.wave_steps) // p.bin_steps
                level = _level(part["cleaned"], part["offset"], slice(first_bin, self._n_bins), p)[0]
                steps = np.arange(whole - p.wave_steps, whole)
                recent.append(y[:, steps])
                recent_mean.append(np.nan_to_num(level[:, steps // p.bin_steps - first_bin] * m[steps]))
            else:
                recent.append(np.zeros((len(y), wave)))
                recent_mean.append(np.zeros((len(y), wave)))
        self._sums = (
            {
                name: parts[0][name] if name == "offset" else np.concatenate([q[name] for q in parts], axis=0)
                for name in parts[0]
            }
            if parts
            else {}
        )
        self._recent = np.concatenate(recent, axis=0) if recent else np.zeros((0, wave))
        self._recent_mean = np.concatenate(recent_mean, axis=0) if recent_mean else np.zeros((0, wave))
        self._bin_counts = np.zeros(self._n_areas)
        self._bin_offset = 0.0
        self._bin_steps_seen = p.bin_steps  # the previous bin is complete: the next step opens a new bin
        self._current: tuple[FloatArray, ...] = ()
        for t in range(whole, n_steps):
            self.append(np.asarray(counts[:, t], dtype=np.float64), float(m[t]))

    def _open_bin(self) -> None:
        p = self.params
        b = slice(self._n_bins, self._n_bins + 1)
        s = self._sums
        level1, rel1, _, _ = _level(s["counts"], s["offset"], b, p)
        phi = _dispersion(s["pearson"], s["valid"], b, p)
        level, rel, level_count, ratio = _level(s["cleaned"], s["offset"], b, p)
        self._current = (level1[:, 0], rel1[:, 0], phi[:, 0], level[:, 0], rel[:, 0], level_count[:, 0], ratio[:, 0])
        self._bin_counts = np.zeros(self._n_areas)
        self._bin_offset = 0.0
        self._bin_steps_seen = 0

    def _close_bin(self) -> None:
        p = self.params
        level1, rel1, phi = self._current[:3]
        yb, mb = self._bin_counts, self._bin_offset
        mean1 = level1 * mb
        pearson, valid = _pearson(yb, mean1, _nb_variance(mean1, np.ones_like(mean1), rel1))
        cleaned = _cleaned(yb, mean1, _nb_variance(mean1, phi, rel1), p)
        for name, value in (
            ("counts", yb),
            ("offset", np.array(mb)),
            ("pearson", pearson),
            ("valid", valid),
            ("cleaned", cleaned),
        ):
            column = np.asarray(value)[..., None]
            self._sums[name] = np.concatenate([self._sums[name], self._sums[name][..., -1:] + column], axis=-1)
        self._n_bins += 1

    def append(self, counts: FloatArray, offset: float = 1.0) -> Scores:
        p = self.params
        if self._bin_steps_seen == p.bin_steps:
            if self._current:
                self._close_bin()
            self._open_bin()
        y = np.asarray(counts, dtype=np.float64).reshape(-1)
        self._bin_counts = self._bin_counts + y
        self._bin_offset += offset
        self._bin_steps_seen += 1
        _, _, phi, level, rel, level_count, ratio = self._current
        mean = level * offset
        if p.wave_steps > 1:
            self._recent = np.concatenate([self._recent[:, 1:], y[:, None]], axis=1)
            self._recent_mean = np.concatenate([self._recent_mean[:, 1:], np.nan_to_num(mean)[:, None]], axis=1)
        base = BinBaseline(*(np.asarray(a)[:, None] for a in (level, rel, phi, level_count, ratio)))
        wave_count = self._recent.sum(axis=1, keepdims=True)
        wave_mean = self._recent_mean.sum(axis=1, keepdims=True)
        return _score_steps(y[:, None], mean[:, None], wave_count, wave_mean, base, p.with_(bin_steps=1))


# ---- Known covariates shared by all areas: the week's rhythm and the high-risk windows ---------------------------


def weekday_profile(counts: ArrayLike, first_weekday: int, prior_events: float = 20.0) -> FloatArray:
    """Relative level of each weekday (Monday = 0), pooled over all areas, shrunk toward a flat week.

    Pooled because a single kelurahan has far too few incidents to show a weekly rhythm of its own, while the
    rhythm itself (markets, Friday prayers, weekends) is shared by the whole city. The flat week counts as
    `prior_events` incidents on each weekday, so a city with few incidents keeps a near-flat profile.
    """
    y = np.atleast_2d(np.asarray(counts, dtype=np.float64)).sum(axis=0)
    weekday = (first_weekday + np.arange(len(y))) % 7
    per_day = np.array([y[weekday == j].sum() for j in range(7)])
    n_days = np.array([(weekday == j).sum() for j in range(7)], dtype=np.float64)
    overall = max(y.sum() / max(len(y), 1), 1e-9)
    rate = (per_day + prior_events) / (n_days + prior_events / overall)
    profile = rate / rate.mean()
    return np.where(np.isfinite(profile), profile, 1.0)


def weekday_offsets_causal(counts: ArrayLike, first_weekday: int, prior_events: float = 20.0) -> FloatArray:
    """The weekday multiplier of every step, learnt only from the weeks before it (pooled over areas, shrunk toward
    a flat week as in `weekday_profile`): a day's assessment never depends on what came after it, so an assessment
    made on the day and a later recompute of that day agree."""
    y = np.atleast_2d(np.asarray(counts, dtype=np.float64)).sum(axis=0)
    n_steps = len(y)
    weekday = (first_weekday + np.arange(n_steps)) % 7
    per_day = np.zeros((7, n_steps))
    per_day[weekday, np.arange(n_steps)] = y
    seen = np.zeros((7, n_steps))
    seen[weekday, np.arange(n_steps)] = 1.0
    # Totals up to the start of each step's week (the week itself is not complete when it is scored).
    cum_y = np.concatenate([np.zeros((7, 1)), np.cumsum(per_day, axis=1)], axis=1)
    cum_n = np.concatenate([np.zeros((7, 1)), np.cumsum(seen, axis=1)], axis=1)
    starts = (np.arange(n_steps) // 7) * 7  # steps are binned in weeks from the series start
    before_y, before_n = cum_y[:, starts], cum_n[:, starts]
    overall = np.maximum(before_y.sum(axis=0) / np.maximum(before_n.sum(axis=0), 1.0), 1e-9)
    rate = (before_y + prior_events) / (before_n + prior_events / overall)
    profile = rate / rate.mean(axis=0)
    return np.asarray(profile[weekday, np.arange(n_steps)], dtype=np.float64)


def high_risk_uplift(
    counts: ArrayLike,
    weekday_offset: FloatArray,
    window: NDArray[np.bool_],
    params: DetectorParams | None = None,
    prior_uplift: float = 1.0,
    prior_events: float = 20.0,
) -> FloatArray:
    """Multiplier of the expected count inside known high-risk windows (election), learnt from the pooled series.

    The rise is estimated over all areas together, from the window's first day up to each day (that day included):
    a rise everywhere at once is the election's, while one area's escalation barely moves the pooled ratio. The
    prior (1.0, i.e. no rise, worth `prior_events` expected events) keeps the first days of a window from over-
    or under-reacting. Outside the windows the multiplier is 1.
    """
    pooled = np.atleast_2d(np.asarray(counts, dtype=np.float64)).sum(axis=0, keepdims=True)
    base = score(pooled, weekday_offset, params).mean[0]
    uplift = np.ones(pooled.shape[1])
    observed = expected = 0.0
    inside_before = False
    for t in range(pooled.shape[1]):
        if not window[t]:
            inside_before = False
            continue
        if not inside_before:
            observed = expected = 0.0
            inside_before = True
        if np.isfinite(base[t]):
            observed += pooled[0, t]
            expected += base[t]
        uplift[t] = max((observed + prior_events * prior_uplift) / (expected + prior_events), 1.0)
    return uplift


# A daily p-value threshold of (target false alarms per area-week) / ALPHA_DIVISOR gives about the target rate: the
# seven daily tests of a week and the wave test overlap, so the divisor is below 7 (measured on Tier B, bench/).
ALPHA_DIVISOR = 4.0

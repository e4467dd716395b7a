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
from scipy import special

from sigap.analytics.nb import nb_sf

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


def _csum(values: FloatArray, pad: int) -> FloatArray:
    """Cumulative sums along time with `pad` leading zeros (windows that start before the data sum to 0)."""
    out = np.empty(values.shape[:-1] + (values.shape[-1] + pad + 1,))
    out[..., : pad + 1] = 0.0
    np.cumsum(values, axis=-1, dtype=np.float64, out=out[..., pad + 1 :])
    return out


def _window(cum: FloatArray, pad: int, steps: slice, start_back: int, end_back: int) -> FloatArray:
    """For every t in `steps`, the sum over steps [t - start_back, t - end_back) from padded cumulative sums."""
    hi = pad - end_back  # cum[pad + s] is the sum of the steps before s
    lo = pad - start_back
    return cum[..., hi + steps.start : hi + steps.stop] - cum[..., lo + steps.start : lo + steps.stop]


def _bin_window(cum: FloatArray, bins: slice, start_back: int, end_back: int) -> FloatArray:
    """Like _window on cumulative sums with a single leading zero: the part of a window before the data is empty.

    Bin-level sums are kept unpadded (a national Stream holds five of them for every area), so the first bins clamp
    their window start to the beginning of the data instead.
    """
    n_out = bins.stop - bins.start
    out = np.zeros(cum.shape[:-1] + (n_out,))
    hi_first, lo_first = bins.start - end_back, bins.start - start_back
    j_hi, j_lo = max(0, -hi_first), max(0, -lo_first)
    if j_hi < n_out:
        out[..., j_hi:] = cum[..., hi_first + j_hi : hi_first + n_out]
    if j_lo < n_out:
        out[..., j_lo:] -= cum[..., lo_first + j_lo : lo_first + n_out]
    return out


def _level(cy: FloatArray, cm: FloatArray, bins: slice, p: DetectorParams) -> tuple[FloatArray, ...]:
    """Level per offset unit, relative error, level count and seasonal ratio at `bins` from padded cumsums."""

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
        seasonal_obs[..., a:b] += near_count * use
        seasonal_exp[..., a:b] += ref_count * np.where(use, near_offset[a:b] / np.where(use, ref_offset[a:b], 1.0), 0.0)
        seasonal_ref[..., a:b] += ref_count * use
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
        pearson = np.where(valid, (y - mean) ** 2 / variance, 0.0)
    return np.nan_to_num(pearson, nan=0.0, posinf=0.0), valid.astype(np.float64)


def _dispersion(c_pearson: FloatArray, c_valid: FloatArray, bins: slice, p: DetectorParams) -> FloatArray:
    total = _bin_window(c_pearson, bins, p.guard + p.dispersion_window, p.guard)
    n = _bin_window(c_valid, bins, p.guard + p.dispersion_window, p.guard)
    return np.maximum((total + p.dispersion_pseudo) / (n + p.dispersion_pseudo), 1.0)


def _cleaned(y: FloatArray, mean: FloatArray, variance: FloatArray, p: DetectorParams) -> FloatArray:
    limit = mean + p.clean_z * np.sqrt(variance) + 1.0
    return np.where(np.isfinite(limit) & (y > limit), np.floor(np.nan_to_num(mean)), y)


def _to_bins(y: FloatArray, m: FloatArray, bin_steps: int) -> tuple[FloatArray, FloatArray]:
    n_bins = -(-y.shape[-1] // bin_steps)
    extra = n_bins * bin_steps - y.shape[-1]
    if bin_steps == 1:
        return y, m
    whole = (y.shape[-1] // bin_steps) * bin_steps
    yb = np.zeros(y.shape[:-1] + (n_bins,))
    mb = np.zeros(n_bins)
    yb[..., : whole // bin_steps] = y[..., :whole].reshape(*y.shape[:-1], -1, bin_steps).sum(axis=-1)
    mb[: whole // bin_steps] = m[:whole].reshape(-1, bin_steps).sum(axis=-1)
    if extra:  # the last, partial bin
        yb[..., -1] = y[..., whole:].sum(axis=-1)
        mb[-1] = m[whole:].sum()
    return yb, mb


def _bin_baseline(yb: FloatArray, mb: FloatArray, p: DetectorParams) -> tuple[BinBaseline, dict[str, FloatArray]]:
    """Both passes over the bins; returns the final baseline and the cumulative sums a Stream continues from."""
    pad = 0
    bins = slice(0, yb.shape[-1])
    sums = {"counts": _csum(yb, pad), "offset": _csum(mb, pad)}
    level1, rel1, _, _ = _level(sums["counts"], sums["offset"], bins, p)
    mean1 = level1 * mb
    pearson, valid = _pearson(yb, mean1, _nb_variance(mean1, 1.0, rel1))  # type: ignore[arg-type]
    sums["pearson"], sums["valid"] = _csum(pearson, pad), _csum(valid, pad)
    phi = _dispersion(sums["pearson"], sums["valid"], bins, p)
    sums["cleaned"] = _csum(_cleaned(yb, mean1, _nb_variance(mean1, phi, rel1), p), pad)
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
        n_steps = self.mean.shape[-1]
        return np.repeat(per_bin, self.bin_steps, axis=-1)[..., :n_steps] if self.bin_steps > 1 else per_bin

    @property
    def variance(self) -> FloatArray:
        b = self.baseline
        return _nb_variance(self.mean, self.per_step(b.dispersion), self.per_step(b.relative_error))


def _tails(
    count: FloatArray, mean: FloatArray, base: BinBaseline, bin_steps: int, screen_z: float | None
) -> FloatArray:
    """NB upper tails of `count` against `mean`, the variance taken from the step's bin.

    With `screen_z`, cells at or below mean + screen_z * sd are not computed and get p = 1: their exact tail is far
    above any alarm level (see test_screen_is_conservative), and skipping them keeps a national recompute near the
    cost of EARS. The variance is computed for the remaining cells only.
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
    n_steps = count.shape[-1]
    row, step = np.divmod(todo, n_steps)
    cell = row * base.level.shape[-1] + step // bin_steps
    m = mean.flat[todo]
    v = _nb_variance(m, base.dispersion.flat[cell], base.relative_error.flat[cell])
    c = count.flat[todo]
    if screen_z is not None:
        # Counts of 1 or 2 where almost nothing is expected are always computed (closed form, cheap): a very
        # overdispersed quiet area can make a single incident rare although it is within screen_z sd.
        keep = (c > m + screen_z * np.sqrt(v)) | ((c <= 2) & (m < 0.1))
        todo, c, m, v = todo[keep], c[keep], m[keep], v[keep]
        keep = _maybe_rare(c, m, v)
        todo, c, m, v = todo[keep], c[keep], m[keep], v[keep]
    out.flat[todo] = nb_sf(c, m, v)
    out[..., _unknown_steps(mean)] = np.nan
    return out


def _maybe_rare(count: FloatArray, mean: FloatArray, variance: FloatArray) -> NDArray[np.bool_]:
    """False where a skewness-corrected normal tail already shows the count is common (p > 0.02).

    Only trusted where the NB is nearly symmetric (skewness < 1): there it is within a few per cent of the exact
    tail (test_screen_is_conservative), and it spares the incomplete beta function most busy areas' counts.
    """
    sd = np.sqrt(variance)
    skew = (2.0 * variance - mean) / (mean * sd)
    z = (count - 0.5 - mean) / sd
    approx = special.ndtr(-z) + np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi) * skew / 6.0 * (z * z - 1.0)
    return np.asarray((count <= 2) | (skew >= 1.0) | (approx <= 0.02))


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
    level = np.repeat(base.level, p.bin_steps, axis=-1)[..., :n_steps] if p.bin_steps > 1 else base.level
    mean = level * m
    if p.wave_steps > 1:
        pad = p.wave_steps + 1
        steps = slice(0, n_steps)
        wave_count = _window(_csum(y, pad), pad, steps, p.wave_steps - 1, -1)
        wave_mean = _window(_csum(np.nan_to_num(mean), pad), pad, steps, p.wave_steps - 1, -1)
    else:
        wave_count, wave_mean = y, mean
    return _score_steps(y, mean, wave_count, wave_mean, base, p)


def score_chunked(
    counts: NDArray[Any], offset: ArrayLike | None = None, params: DetectorParams | None = None, chunk: int = 1024
) -> NDArray[np.float32]:
    """p-values only, area block by area block: the full recompute at national scale in bounded memory."""
    out = np.empty(counts.shape, dtype=np.float32)
    for lo in range(0, len(counts), chunk):
        out[lo : lo + chunk] = score(counts[lo : lo + chunk], offset, params).p_value
    return out


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

"""The engine without a database: golden series with known answers, properties, and the guarantees it relies on."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sigap.analytics import alerting, ears, risk
from sigap.analytics.detector import (
    COMMON_ABOVE,
    DetectorParams,
    Stream,
    _tails_unless_common,
    _trailing_sums,
    high_risk_uplift,
    score,
    score_chunked,
    weekday_profile,
)
from sigap.analytics.nb import nb_sample, nb_sf, nb_sf_lower_bound, nb_size
from sigap.analytics.simulate import HISTORY_DAYS, national_counts, noufaily_scenarios, tier_a, tier_b

PACKAGE = Path(__file__).resolve().parent.parent


def test_the_engine_never_imports_django() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "django" for n in names), f"{path.name} imports {names}"
    code = (
        "import sys; import sigap.analytics.detector, sigap.analytics.risk, sigap.analytics.alerting, "
        "sigap.analytics.ears, sigap.analytics.farrington, sigap.analytics.simulate; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_nb_tail_is_exact() -> None:
    rng = np.random.default_rng(1)
    mean = 10 ** rng.uniform(-3, 2.5, 5000)
    phi = rng.uniform(1, 8, 5000)
    count = rng.integers(0, 40, 5000).astype(float)
    r = nb_size(mean, phi * mean)
    expected = np.where(count <= 0, 1.0, stats.nbinom.sf(count - 1, r, r / (r + mean)))
    assert np.allclose(nb_sf(count, mean, phi * mean), expected, rtol=1e-9, atol=1e-300)


def test_screen_is_conservative() -> None:
    """With screen_z = 2.5 the detector skips only counts whose exact tail is at least 0.004: every alarm of a
    1 % area-week rate (daily p about 0.00125) is computed exactly, whatever the mean, dispersion and estimation
    error (the grid spans what a kelurahan or a desa can show)."""
    mean = np.logspace(-4, 3.5, 300)[:, None, None]
    var = np.array([1.0, 1.2, 1.5, 2, 3, 5, 8, 12, 20])[None, :, None] * mean
    var = var * (1 + mean * np.array([0, 0.05, 0.2, 0.5, 1, 3])[None, None, :])
    mean, sd = np.broadcast_to(mean, var.shape), np.sqrt(var)
    worst = 1.0
    for count in (1.0, 2.0):  # the closed-form counts are skipped only where something is expected
        y = np.full(var.shape, count)
        skipped = (y <= mean + 2.5 * sd) & (mean >= 0.1)
        worst = min(worst, np.where(skipped, nb_sf(y, mean, var), 1.0).min())
    y = np.floor(mean + 2.5 * sd)
    worst = min(worst, np.where(y >= 3, nb_sf(y, mean, var), 1.0).min())
    assert worst >= 0.004
    # Above the screen, a count is given p = 1 only where its exact tail is at least COMMON_ABOVE; else it is exact.
    k = np.arange(60)[None, None, None, :]
    y = np.floor(mean[..., None] + sd[..., None] * k / 6) + 3
    y, m, v = (a.ravel() for a in np.broadcast_arrays(y, mean[..., None], var[..., None]))
    exact = nb_sf(y, m, v)
    screened = _tails_unless_common(y, m, v)
    given_one = screened == 1.0
    assert exact[given_one & (exact < 1.0)].min() >= COMMON_ABOVE
    assert np.array_equal(screened[~given_one], exact[~given_one])
    # The bound spares nb_sf for most counts that are clearly common.
    assert given_one[exact > 2 * COMMON_ABOVE].mean() > 0.8


def test_a_count_that_is_not_whole_is_tested_as_the_next_whole_count() -> None:
    """Severity-weighted counts: P(Y >= 2.5) is P(Y >= 3), also where the screen would bound it."""
    mean, variance = np.array([0.3, 1.5, 4.0]), np.array([0.6, 3.0, 12.0])
    assert np.array_equal(nb_sf(np.full(3, 2.5), mean, variance), nb_sf(np.full(3, 3.0), mean, variance))
    weighted = np.array([2.5, 6.5, 11.5])
    assert np.array_equal(_tails_unless_common(weighted, mean, variance), nb_sf(weighted, mean, variance))


def test_nb_lower_bound_never_exceeds_the_tail() -> None:
    rng = np.random.default_rng(7)
    mean = 10 ** rng.uniform(-4, 3.5, 100_000)
    variance = mean * rng.uniform(1, 20, mean.size) * (1 + mean * rng.choice([0, 0.05, 0.5, 3], mean.size))
    variance[::10] = mean[::10]  # the Poisson limit, where r is huge and the log-gammas cancel
    count = np.floor(mean + rng.uniform(0, 12, mean.size) * np.sqrt(variance)) + 1
    exact, bound = nb_sf(count, mean, variance), nb_sf_lower_bound(count, mean, variance)
    assert np.all(bound <= exact)
    far = exact < 0.01
    assert np.median(bound[far] / exact[far]) > 0.5  # and it is tight enough to decide most cells


@pytest.mark.parametrize(
    "params",
    [
        DetectorParams(screen_z=2.5),
        DetectorParams(screen_z=2.0, wave_steps=3),
        DetectorParams.weekly().with_(screen_z=2.5),
    ],
)
def test_national_recompute_equals_the_full_scores(params: DetectorParams) -> None:
    """The screened national path (per-step work in float32, exact tails on the few cells above the screen) gives
    score()'s p-values: the same cells below 1, the same NaN steps, the values to float32 rounding."""
    counts = national_counts(700, 730, seed=5)  # float32, whole counts
    counts[17, 600:606] += 9  # and an escalation
    offset = weekday_profile(counts, first_weekday=0)[np.arange(730) % 7] * np.linspace(0.9, 1.3, 730)
    expected = score(counts.astype(np.float64), offset, params).p_value
    for given_counts in (counts, counts.astype(np.float64)):
        fast = score_chunked(given_counts, offset, params, chunk=256).astype(np.float64)
        assert np.array_equal(np.isnan(fast), np.isnan(expected))
        assert np.array_equal(fast < 1.0, expected < 1.0)
        known = ~np.isnan(expected) & (expected > 1e-30)  # float32 output: smaller values are subnormal
        assert np.allclose(fast[known], expected[known], rtol=1e-6, atol=0)
    assert np.nanmin(expected[17, 600:610]) < 1e-4


def test_trailing_sums_match_the_loop_definition() -> None:
    y = np.random.default_rng(3).integers(0, 9, (4, 40)).astype(np.float32)
    for steps in range(1, 12):
        loop = [[y[a, max(0, t - steps + 1) : t + 1].sum() for t in range(40)] for a in range(4)]
        assert np.array_equal(_trailing_sums(y, steps), np.array(loop, dtype=np.float32))


def _naive_ears(y: np.ndarray, guard: int) -> np.ndarray:
    out = np.full(y.shape, np.nan)
    for a in range(y.shape[0]):
        for t in range(guard + 7, y.shape[1]):
            base = y[a, t - guard - 7 : t - guard]
            sd = base.std(ddof=1)
            out[a, t] = (y[a, t] - base.mean()) / max(sd, 1.0)
    return out


def test_ears_matches_the_loop_definition() -> None:
    y = np.random.default_rng(3).poisson(3.0, size=(5, 60)).astype(float)
    assert np.allclose(ears.ears_c1(y, min_sd=1.0), _naive_ears(y, 0), equal_nan=True)
    assert np.allclose(ears.ears_c2(y, min_sd=1.0), _naive_ears(y, 2), equal_nan=True)


def test_bench_lower_bound_is_ears_c2() -> None:
    sys.path.insert(0, str(PACKAGE.parent.parent / "bench"))
    from early_warning import ears_c2_lower_bound  # type: ignore[import-not-found]

    y = np.random.default_rng(4).poisson(2.0, size=(300, 100)).astype(np.float32)
    assert np.allclose(ears_c2_lower_bound(y, chunk=64), ears.ears_c2(y, min_sd=1.0), equal_nan=True, atol=1e-4)


def _quiet_city(days: int = 700, areas: int = 6, rate: float = 0.3, seed: int = 5) -> np.ndarray:
    return np.random.default_rng(seed).poisson(rate, size=(areas, days)).astype(float)


def test_golden_a_surge_is_flagged_and_a_quiet_day_is_not() -> None:
    y = _quiet_city()
    y[2, -1] = 8  # eight incidents in one kelurahan that sees one every three days
    s = score(y)
    assert s.p_value[2, -1] < 1e-6
    assert np.nanmin(s.p_value[[0, 1, 3, 4, 5], -1]) > 0.01
    assert 1.5 < np.nansum(s.mean[2, -7:]) < 3.0  # about 0.3 a day expected


def test_golden_a_slow_wave_is_caught_by_the_window_test() -> None:
    y = _quiet_city()
    y[1, -7:] += np.array([1, 1, 1, 2, 1, 2, 2])  # no single day stands out, the week does
    s = score(y)
    assert s.p_wave[1, -1] < 1e-4
    assert s.p_value[1, -1] < 1e-3


def test_golden_weekday_rhythm_is_expected_not_alarming() -> None:
    rng = np.random.default_rng(8)
    profile = np.array([1.6, 1.2, 1.0, 1.0, 0.9, 0.6, 0.7])
    y = rng.poisson(2.0 * profile[np.arange(728) % 7], size=(30, 728)).astype(float)
    learnt = weekday_profile(y, first_weekday=0)
    assert np.allclose(learnt, profile / profile.mean(), atol=0.05)
    offset = learnt[np.arange(728) % 7]
    with_rhythm = score(y, offset).p_value[:, 400:]
    without = score(y).p_value[:, 400:]
    mondays = (np.arange(400, 728) % 7) == 0
    assert np.nanmean(with_rhythm[:, mondays] <= 0.01) < 0.02
    assert np.nanmean(without[:, mondays] <= 0.01) > 2 * np.nanmean(with_rhythm[:, mondays] <= 0.01)


def test_election_rise_is_learnt_from_all_areas_together() -> None:
    data = tier_b(34, seed=11)
    profile = weekday_profile(data.counts[:, :HISTORY_DAYS], 0)
    offset = profile[np.arange(data.counts.shape[1]) % 7]
    uplift = high_risk_uplift(data.counts, offset, data.election)
    inside = uplift[data.election]
    assert np.all(uplift[~data.election] == 1.0)
    assert 1.6 < inside[-1] < 2.5  # the simulation doubles the mean in the window


def test_calibration_on_outbreak_free_series() -> None:
    """Nominal alpha 0.01 on Tier A-like weekly series without outbreaks: the false-alarm rate stays within a
    factor 1.5 of alpha (pooled over four scenarios of different level and dispersion)."""
    rates = []
    for sc in [noufaily_scenarios()[i] for i in (2, 13, 20, 34)]:
        series = tier_a(sc, reps=60, seed=sc.number, k_values=range(1, 2))
        p = score(series.baseline, None, DetectorParams.weekly()).p_value[:, 575:]
        rates.append(np.nanmean(p <= 0.01))
    assert 0.01 / 1.5 <= np.mean(rates) <= 0.01 * 1.5


@pytest.mark.parametrize("cut", [693, 690])  # on a bin boundary and inside a bin
def test_stream_agrees_with_the_full_recompute(cut: int) -> None:
    y = _quiet_city(days=720, areas=9, rate=0.8, seed=12)
    y[3, 700:705] += 4
    offset = np.linspace(0.8, 1.3, 720)
    full = score(y, offset)
    stream = Stream(y[:, :cut], offset[:cut])
    for t in range(cut, 720):
        step = stream.append(y[:, t], float(offset[t]))
        assert np.allclose(step.mean[:, 0], full.mean[:, t], rtol=1e-12, equal_nan=True)
        assert np.allclose(step.p_value[:, 0], full.p_value[:, t], rtol=1e-12, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 6), min_size=60, max_size=60),
    day=st.integers(40, 59),
    extra=st.integers(1, 5),
)
def test_more_incidents_today_never_make_the_day_less_unusual(counts: list[int], day: int, extra: int) -> None:
    y = np.array([counts], dtype=float)
    more = y.copy()
    more[0, day] += extra
    p = DetectorParams(level_window=2, long_window=4, seasonal_years=0, dispersion_window=4)
    before, after = score(y[:, : day + 1], None, p), score(more[:, : day + 1], None, p)
    assert np.nan_to_num(after.p_value[0, -1], nan=1.0) <= np.nan_to_num(before.p_value[0, -1], nan=1.0) + 1e-12


def _inputs(n: int, rng: np.random.Generator) -> risk.AreaInputs:
    return risk.AreaInputs(
        p_value=rng.uniform(1e-6, 1, n),
        recent_count=rng.integers(0, 6, n).astype(float),
        recent_expected=rng.uniform(0.1, 3, n),
        recent_weighted=rng.uniform(0, 30, n),
        previous_count=rng.integers(0, 6, n).astype(float),
        open_cases=rng.integers(0, 4, n).astype(float),
        structural=rng.uniform(0, 1, n),
        phase="masa_tenang",
    )


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10_000), bump=st.floats(0.1, 50))
def test_more_severe_incidents_never_lower_a_level(seed: int, bump: float) -> None:
    base = _inputs(20, np.random.default_rng(seed))
    graver = _inputs(20, np.random.default_rng(seed))
    graver.recent_weighted = graver.recent_weighted + bump
    a, b = risk.assess(base), risk.assess(graver)
    assert np.all(b.score >= a.score)
    assert np.all(b.level >= a.level)


def test_risk_levels_follow_the_thresholds_and_explain_themselves() -> None:
    t = risk.Thresholds(waspada=20, siaga=40, awas=65)
    assert list(t.level(np.array([0, 19.9, 20, 39.9, 40, 64.9, 65, 100]))) == [0, 0, 1, 1, 2, 2, 3, 3]
    inputs = risk.AreaInputs(
        p_value=np.array([1e-5, 1.0]),
        recent_count=np.array([3.0, 0.0]),
        recent_expected=np.array([0.7, 0.2]),
        recent_weighted=np.array([9.0, 0.0]),
        previous_count=np.array([0.0, 0.0]),
        open_cases=np.array([2.0, 0.0]),
        structural=np.array([0.5, 0.0]),
        phase="masa_tenang",
        top_category=["bentrok_pendukung", ""],
        top_category_count=np.array([3.0, 0.0]),
    )
    out = risk.assess(inputs)
    assert out.level[0] == risk.Level.AWAS and out.level[1] == risk.Level.AMAN
    codes = [d["code"] for d in out.drivers[0]]
    assert codes[0] == "recent" and {"trend", "open_cases", "structural", "calendar"} <= set(codes)
    recent = out.drivers[0][0]
    assert recent["count"] == 3 and recent["ratio"] == 4.3 and recent["category"] == "bentrok_pendukung"
    assert [d["code"] for d in out.drivers[1]] == ["calendar"]


def test_monitor_signs_lift_a_calm_area_but_never_past_100() -> None:
    calm = risk.AreaInputs(
        p_value=np.array([1.0, 1.0, 1e-9]),
        recent_count=np.array([0.0, 0.0, 40.0]),
        recent_expected=np.array([0.2, 0.2, 0.5]),
        recent_weighted=np.array([0.0, 0.0, 400.0]),
        previous_count=np.array([0.0, 0.0, 0.0]),
        open_cases=np.array([0.0, 0.0, 40.0]),
        structural=np.array([1.0, 1.0, 1.0]),
        phase="pemungutan",
    )
    without = risk.assess(calm)
    calm.monitor_signs = np.array([0.0, 4.0, 9.0])
    calm.monitor_reporters = np.array([0.0, 2.0, 1.0])
    out = risk.assess(calm)
    # 4 signs: 10 * 4 / (4 + 2) points on top of the 20 of vulnerability and the voting day: Waspada, not more.
    assert out.score[1] == round(without.score[1] + 10 * 4 / 6, 1) and out.level[1] == risk.Level.WASPADA
    assert out.score[0] == without.score[0] and "monitor" not in [d["code"] for d in out.drivers[0]]
    assert without.score[2] > 95 and out.score[2] == 100.0
    monitor = next(d for d in out.drivers[1] if d["code"] == "monitor")
    assert monitor.pop("points") == pytest.approx(10 * 4 / 6)
    assert monitor == {"code": "monitor", "signs": 4, "reporters": 2, "days": 14}


def test_escalation_criteria_of_pp_2_2015() -> None:
    calm = alerting.IncidentFacts(30, 0, 1, False, False, False, 1, True)
    assert alerting.escalation_criteria(calm) == []
    grave = alerting.IncidentFacts(300, 1, 4, True, True, True, 2, True)
    assert alerting.escalation_criteria(grave) == [
        "massive_crowd",
        "arson_looting",
        "vital_object",
        "police_outnumbered",
        "deaths",
        "several_kecamatan",
    ]


def test_level_rises_and_spreading_clusters() -> None:
    assert alerting.level_rises({"a": 0, "b": 2, "c": 1}, {"a": 1, "b": 2, "c": 0, "d": 2}) == ["a", "d"]
    neighbours = {"a": ["b"], "b": ["a", "c"], "c": ["b"], "d": ["e"], "e": ["d"], "f": []}
    assert alerting.spreading_clusters(["a", "b", "c", "d", "e", "f"], neighbours) == [["a", "b", "c"]]
    assert alerting.spreading_clusters(["a", "c"], neighbours) == []


def test_simulation_is_seed_fixed_and_true_to_its_mean() -> None:
    sc = noufaily_scenarios()[13]  # scenario 14: theta 1.5, no trend, one harmonic, Poisson
    a, b = tier_a(sc, 50, seed=7), tier_a(sc, 50, seed=7)
    assert np.array_equal(a.baseline, b.baseline)
    draws = nb_sample(np.random.default_rng(0), np.full(200_000, 3.0), 2.5)
    assert abs(draws.mean() - 3.0) < 0.03 and abs(draws.var() / draws.mean() - 2.5) < 0.05

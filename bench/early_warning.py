"""Early-warning benchmark: Tier A (Noufaily-42, weekly), Tier B (daily conflict variant) and speed at national scale.

Seed-fixed; writes bench/results/early_warning.json. Every detector runs in the same harness on the same series:
the oracle (true mean, NB tail), EARS C1/C2/C3, improved Farrington (Noufaily 2013, numpy port in
sigap/analytics/farrington.py) and Sigap's detector (sigap/analytics/detector.py). Scoring follows the benchmark
note: one pooled threshold per detector chosen on outbreak-free data at the target false-positive rate, then the
probability of detection (POD) as a ratio to the oracle's.

Run: .venv/bin/python bench/early_warning.py            (about 6 minutes on 2 cores)
     .venv/bin/python bench/early_warning.py --quick    (fewer replicates, for a smoke run)
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sigap.analytics import ears  # noqa: E402
from sigap.analytics.detector import (  # noqa: E402
    ALPHA_DIVISOR,
    DetectorParams,
    high_risk_uplift,
    score,
    score_chunked,
    weekday_profile,
)
from sigap.analytics.farrington import noufaily_scores  # noqa: E402
from sigap.analytics.nb import nb_midp, nb_sf  # noqa: E402
from sigap.analytics.simulate import (  # noqa: E402
    HISTORY_DAYS,
    TIER_A_CURRENT,
    noufaily_scenarios,
    tier_a,
    tier_b,
)

RESULTS = Path(__file__).resolve().parent / "results" / "early_warning.json"


@dataclass
class Output:
    score: np.ndarray  # higher = more alarming; -inf where the detector says nothing
    p_value: np.ndarray | None = None  # for calibration at a nominal alpha


# A detector sees the counts and, for the oracle only, the truth; `needed` marks the cells that will be read
# (the Farrington port fits a GLM per cell, so it skips the others).
Detector = Callable[[np.ndarray, dict, np.ndarray], Output]


def _log_score(p: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(p), -np.inf, -np.log10(np.maximum(p, 1e-300)))


def pooled_threshold(null_scores: np.ndarray, fpr: float) -> float:
    """The threshold whose share of null scores strictly above it is the largest not above `fpr`."""
    s = np.sort(null_scores.ravel())[::-1]
    allowed = int(np.floor(fpr * len(s)))
    return float(s[min(allowed, len(s) - 1)])


# ---- Tier A ------------------------------------------------------------------------------------------------------


def tier_a_detectors() -> dict[str, Detector]:
    def oracle(y: np.ndarray, truth: dict, needed: np.ndarray) -> Output:
        mean = truth["mean"]
        var = truth["phi"] * mean
        return Output(_log_score(nb_midp(y, mean, var)), nb_sf(y, mean, var))

    def sigap(y: np.ndarray, truth: dict, needed: np.ndarray) -> Output:
        s = score(y, None, DetectorParams.weekly())
        return Output(_log_score(s.p_value), s.p_value)

    def farrington(y: np.ndarray, truth: dict, needed: np.ndarray) -> Output:
        out = np.full(y.shape, -np.inf)
        p = np.full(y.shape, np.nan)
        for t0 in np.flatnonzero(needed.any(axis=0)):
            rows = np.flatnonzero(needed[:, t0])
            midp, sf = noufaily_scores(y[rows], np.array([t0]))
            out[rows, t0] = _log_score(midp[:, 0])
            p[rows, t0] = sf[:, 0]
        return Output(out, p)

    def ears_with(fn: Callable, min_sd: float) -> Detector:
        def run(y: np.ndarray, truth: dict, needed: np.ndarray) -> Output:
            return Output(np.nan_to_num(fn(y, min_sd=min_sd), nan=-np.inf))

        return run

    return {
        "oracle": oracle,
        "sigap": sigap,
        "farrington_improved": farrington,
        "ears_c1": ears_with(ears.ears_c1, 1.0),
        "ears_c2": ears_with(ears.ears_c2, 1.0),
        "ears_c3": ears_with(ears.ears_c3, 1.0),
    }


def run_tier_a(reps: int, seed: int) -> dict:
    detectors = tier_a_detectors()
    null: dict[str, list[np.ndarray]] = {n: [] for n in detectors}
    null_p: dict[str, list[np.ndarray]] = {n: [] for n in detectors}
    outbreak: dict[str, list[np.ndarray]] = {n: [] for n in detectors}
    k_all: list[np.ndarray] = []
    start_all: list[np.ndarray] = []
    inside_all: list[np.ndarray] = []
    weeks = np.arange(624)
    current = np.zeros(624, dtype=bool)
    current[TIER_A_CURRENT] = True
    for sc in noufaily_scenarios():
        series = tier_a(sc, reps, seed + sc.number)
        truth = {"mean": np.broadcast_to(series.mean, series.baseline.shape), "phi": sc.phi}
        needed = np.broadcast_to(current, series.baseline.shape)
        n_k = series.current.shape[0]
        counts = (series.baseline[None] + series.current).reshape(n_k * reps, -1)
        start = np.tile(series.current_start, n_k)
        end = series.current_end.reshape(-1)
        inside = (weeks[None, :] >= start[:, None]) & (weeks[None, :] <= end[:, None])
        truth_k = {"mean": np.broadcast_to(series.mean, counts.shape), "phi": sc.phi}
        for name, det in detectors.items():
            out = det(series.baseline, truth, needed)
            null[name].append(out.score[:, current])
            if out.p_value is not None:
                null_p[name].append(out.p_value[:, current])
            s = det(counts, truth_k, inside).score
            outbreak[name].append(np.where(inside, s, -np.inf))
        k_all.append(np.repeat(np.arange(1, n_k + 1), reps))
        start_all.append(start)
        inside_all.append(inside)
        print(f"  tier A scenario {sc.number:2d}/42", end="\r", flush=True)
    print()
    ks = np.concatenate(k_all)
    starts = np.concatenate(start_all)
    inside_weeks = np.concatenate(inside_all)
    res: dict = {}
    for name in detectors:
        null_all = np.concatenate([a.ravel() for a in null[name]])
        ob = np.concatenate(outbreak[name])
        entry: dict = {}
        for fpr in (0.005, 0.01):
            thr = pooled_threshold(null_all, fpr)
            alarmed = ob > thr
            detected = alarmed.any(axis=1)
            delay = alarmed.argmax(axis=1) - starts
            entry[f"at_fpr_{fpr}"] = {
                "effective_fpr": float(np.mean(null_all > thr)),
                "pod": float(detected.mean()),
                "pod_by_k": [round(float(detected[ks == k].mean()), 4) for k in range(1, 11)],
                "sensitivity": float((alarmed & inside_weeks).sum() / inside_weeks.sum()),
                "mean_delay_weeks_when_detected": float(delay[detected].mean()) if detected.any() else None,
            }
        if null_p[name]:
            p_all = np.concatenate([a.ravel() for a in null_p[name]])
            entry["fpr_at_nominal_alpha"] = {str(a): float(np.nanmean(p_all <= a)) for a in (0.005, 0.01)}
        res[name] = entry
    oracle_pod = res["oracle"]["at_fpr_0.005"]["pod"]
    for entry in res.values():
        entry["ratio_to_oracle_at_fpr_0.005"] = entry["at_fpr_0.005"]["pod"] / oracle_pod
    return res


# ---- Tier B ------------------------------------------------------------------------------------------------------


def sigap_daily(counts: np.ndarray, election: np.ndarray, params: DetectorParams | None = None):
    """Sigap as deployed: weekday rhythm from the history, election uplift learnt from the pooled series."""
    profile = weekday_profile(counts[:, :HISTORY_DAYS], first_weekday=0)
    weekday_offset = profile[np.arange(counts.shape[1]) % 7]
    uplift = high_risk_uplift(counts, weekday_offset, election, params)
    return score(counts, weekday_offset * uplift, params)


def tier_b_detectors() -> dict[str, Callable]:
    def oracle(data, which):
        y = data.counts
        mean, var = data.mean, data.phi[:, None] * data.mean
        return Output(_log_score(nb_midp(y, mean, var)), nb_sf(y, mean, var))

    def sigap(data, which):
        s = sigap_daily(getattr(data, which).astype(float), data.election)
        return Output(_log_score(s.p_value), s.p_value)

    def ears_c(fn):
        def run(data, which):
            return Output(np.nan_to_num(fn(getattr(data, which).astype(float), min_sd=1.0), nan=-np.inf))

        return run

    def farrington_weekly(data, which):
        y = getattr(data, which).astype(float)
        n_weeks = y.shape[1] // 7
        weekly = y[:, : n_weeks * 7].reshape(y.shape[0], n_weeks, 7).sum(axis=2)
        first_test_week = HISTORY_DAYS // 7
        midp, sf = noufaily_scores(weekly, np.arange(first_test_week, n_weeks), years=3)
        out = np.full(y.shape, -np.inf)
        p = np.full(y.shape, np.nan)
        last_day = np.arange(first_test_week, n_weeks) * 7 + 6  # a week's alarm is known when the week ends
        out[:, last_day] = _log_score(midp)
        p[:, last_day] = sf
        return Output(out, p)

    return {
        "oracle": oracle,
        "sigap": sigap,
        "farrington_improved_weekly": farrington_weekly,
        "ears_c1": ears_c(ears.ears_c1),
        "ears_c2": ears_c(ears.ears_c2),
        "ears_c3": ears_c(ears.ears_c3),
    }


def run_tier_b(n_areas: int, reps: int, seed: int, horizon: int = 14) -> dict:
    detectors = tier_b_detectors()
    runs = [
        (name, which) for name in detectors for which in ("counts", "weighted") if which == "counts" or name != "oracle"
    ]
    week_null: dict = {r: [] for r in runs}
    week_null_election: dict = {r: [] for r in runs}
    nominal: dict = {r: [] for r in runs}
    esc_scores: dict = {r: [] for r in runs}
    week_escalation: dict = {r: [] for r in runs}  # area-week scores of weeks with escalation cases
    esc_meta: list = []
    for rep in range(reps):
        data = tier_b(n_areas, seed + rep)
        test = np.arange(HISTORY_DAYS, data.counts.shape[1])
        n_weeks = len(test) // 7
        days = test[: n_weeks * 7]
        contaminated = data.escalation_cases[:, days].reshape(n_areas, n_weeks, 7).sum(axis=2) > 0
        escalated = contaminated.copy()
        contaminated[:, 1:] |= contaminated[:, :-1]  # the week after an escalation is not a clean week either
        in_election = data.election[days].reshape(n_weeks, 7).any(axis=1)
        for name, which in runs:
            out = detectors[name](data, which)
            weekly = out.score[:, days].reshape(n_areas, n_weeks, 7).max(axis=2)
            week_null[(name, which)].append(weekly[~contaminated])
            week_escalation[(name, which)].append(weekly[escalated])
            week_null_election[(name, which)].append(weekly[~contaminated & in_election[None, :]])
            if out.p_value is not None:
                pw = np.nan_to_num(out.p_value[:, days], nan=1.0).reshape(n_areas, n_weeks, 7).min(axis=2)
                nominal[(name, which)].append(pw[~contaminated])
            for esc in data.escalations:
                window = out.score[list(esc.areas), esc.start : esc.end + 1]
                first = np.full(esc.end - esc.start + 1, -np.inf)
                first[:] = window.max(axis=0)
                esc_scores[(name, which)].append(first)
        esc_meta.extend(data.escalations)
        print(f"  tier B replicate {rep + 1}/{reps}", end="\r", flush=True)
    print()
    res: dict = {}
    for name, which in runs:
        key = name if which == "counts" else f"{name}_weighted"
        null = np.concatenate(week_null[(name, which)])
        thr = pooled_threshold(null, 0.01)
        detected, delays = [], []
        for esc, sc in zip(esc_meta, esc_scores[(name, which)], strict=True):
            hit = np.flatnonzero(sc > thr)
            detected.append(bool(len(hit)) and esc.cases > 0)
            delays.append(int(hit[0]) if len(hit) and esc.cases > 0 else horizon)
        detected_a = np.array(detected)
        delays_a = np.array(delays)
        shapes = np.array([e.shape for e in esc_meta])
        elect = np.array([e.in_election for e in esc_meta])
        entry = {
            "effective_area_week_fpr": float(np.mean(null > thr)),
            "area_week_fpr_in_election_window": float(np.mean(np.concatenate(week_null_election[(name, which)]) > thr)),
            "pod": float(detected_a.mean()),
            "pod_spike": float(detected_a[shapes == "spike"].mean()),
            "pod_wave": float(detected_a[shapes == "wave"].mean()),
            "pod_in_election_window": float(detected_a[elect].mean()),
            "median_delay_days": float(np.median(delays_a)),
            "median_delay_days_when_detected": float(np.median(delays_a[detected_a])) if detected_a.any() else None,
            **_auc(np.concatenate(week_escalation[(name, which)]), null),
            "escalations": len(esc_meta),
        }
        if nominal[(name, which)]:
            pw = np.concatenate(nominal[(name, which)])
            # The risk engine alarms at a daily alpha of (area-week rate) / ALPHA_DIVISOR.
            entry["area_week_fpr_at_nominal"] = {str(a): float(np.mean(pw <= a / ALPHA_DIVISOR)) for a in (0.005, 0.01)}
        res[key] = entry
    oracle_pod = res["oracle"]["pod"]
    for entry in res.values():
        entry["ratio_to_oracle"] = entry["pod"] / oracle_pod
    return res


def _auc(positive: np.ndarray, negative: np.ndarray, max_fpr: float = 0.01) -> dict:
    """Area-week ROC: AUC (ties count half) and the partial AUC up to `max_fpr`, normalised to 0..1."""
    from scipy.stats import rankdata

    pos = np.nan_to_num(positive, neginf=-1e9)
    neg = np.nan_to_num(negative, neginf=-1e9)
    ranks = rankdata(np.concatenate([pos, neg]))
    auc = (ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
    thresholds = np.unique(np.concatenate([pos, neg]))[::-1]
    neg_sorted, pos_sorted = np.sort(neg), np.sort(pos)
    fpr = 1.0 - np.searchsorted(neg_sorted, thresholds, side="right") / len(neg)
    tpr = 1.0 - np.searchsorted(pos_sorted, thresholds, side="right") / len(pos)
    fpr, tpr = np.concatenate([[0.0], fpr]), np.concatenate([[0.0], tpr])
    keep = fpr <= max_fpr
    f, t = fpr[keep], tpr[keep]
    if f[-1] < max_fpr:  # close the curve at max_fpr with the TPR reached there
        f, t = np.append(f, max_fpr), np.append(t, t[-1])
    partial = float(np.trapezoid(t, f) / max_fpr)
    return {"area_week_auc": float(auc), "area_week_partial_auc_fpr_0.01": partial}


# ---- Speed at national scale -------------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM resets on exec, unlike ru_maxrss, which a child inherits)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ears_c2_lower_bound(counts: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """The vectorised EARS-C2 of the benchmark note (~10 numpy lines, float32, chunked over areas): the least work
    any per-cell detector must do. Checked against sigap.analytics.ears.ears_c2 in the tests."""
    n, t = counts.shape
    out = np.full((n, t), np.nan, dtype=np.float32)
    zero = np.zeros((min(chunk, n), 1), dtype=np.float32)
    for lo in range(0, n, chunk):
        y = counts[lo : lo + chunk]
        s1 = np.concatenate([zero[: len(y)], np.cumsum(y, axis=1, dtype=np.float32)], axis=1)
        s2 = np.concatenate([zero[: len(y)], np.cumsum(y * y, axis=1, dtype=np.float32)], axis=1)
        total = s1[:, 7:-3] - s1[:, :-10]
        mean = total / 7
        sd = np.sqrt(np.maximum(s2[:, 7:-3] - s2[:, :-10] - total * mean, 0) / 6)
        out[lo : lo + chunk, 9:] = (y[:, 9:] - mean) / np.maximum(sd, 1.0)
    return out


def _speed_part(part: str, data: str) -> dict:
    """One measurement in a fresh process, so that its peak memory is its own (runs as --speed-part)."""
    from sigap.analytics.detector import Stream

    counts = np.load(data, mmap_mode="r")
    days = counts.shape[1]
    profile = weekday_profile(np.asarray(counts[:2000]), first_weekday=0)
    offset = profile[np.arange(days) % 7]
    # Exact tails wherever p < 0.004, below which every alarm of a 1 % area-week rate lies (test_screen_*).
    params = DetectorParams(screen_z=2.5)
    if part == "stream":
        stream = Stream(counts[:, :-1], offset[:-1], params)
        started = time.perf_counter()
        stream.append(np.asarray(counts[:, -1], dtype=np.float64), float(offset[-1]))
        return {"seconds": time.perf_counter() - started, "peak_rss_mb": _peak_rss_mb()}
    # Best of three: this virtual machine's timings wander by tens of per cent between runs.
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        if part == "c2":
            ears_c2_lower_bound(counts)
        else:
            score_chunked(counts, offset, params)
        runs.append(time.perf_counter() - started)
    return {"seconds": min(runs), "all_seconds": runs, "peak_rss_mb": _peak_rss_mb()}


def run_speed(n_areas: int, days: int, seed: int) -> dict:
    import subprocess
    import tempfile

    from sigap.analytics.simulate import national_counts

    started = time.perf_counter()
    counts = national_counts(n_areas, days, seed)
    generated = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        data = f"{tmp}/counts.npy"
        np.save(data, counts)
        del counts
        parts = {}
        for part in ("c2", "full", "stream"):
            out = subprocess.run(
                [sys.executable, __file__, "--speed-part", part, "--data", data],
                check=True,
                capture_output=True,
                text=True,
            )
            parts[part] = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "areas": n_areas,
        "days": days,
        "generate_s": round(generated, 2),
        "ears_c2_lower_bound_s": round(parts["c2"]["seconds"], 3),
        "ears_c2_runs_s": [round(x, 3) for x in parts["c2"]["all_seconds"]],
        "sigap_full_recompute_s": round(parts["full"]["seconds"], 3),
        "sigap_full_runs_s": [round(x, 3) for x in parts["full"]["all_seconds"]],
        "speed_ratio": round(parts["full"]["seconds"] / parts["c2"]["seconds"], 3),
        "sigap_one_new_day_ms": round(parts["stream"]["seconds"] * 1000, 2),
        "peak_rss_mb": {name: round(v["peak_rss_mb"], 1) for name, v in parts.items()},
        "note": "each figure from its own process reading the same memory-mapped float32 counts; best of 3 runs",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer replicates and areas (smoke run)")
    parser.add_argument("--only", choices=["a", "b", "speed"], default=None)
    parser.add_argument("--speed-part", choices=["c2", "full", "stream"], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_part:
        print(json.dumps(_speed_part(args.speed_part, args.data)))
        return
    reps_a, reps_b, national = (20, 4, 20_000) if args.quick else (100, 20, 83_000)
    results: dict = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "cpus": __import__("os").cpu_count()},
        "quick": args.quick,
    }
    if args.only in (None, "a"):
        started = time.perf_counter()
        results["tier_a"] = run_tier_a(reps_a, seed=2013)
        results["tier_a_seconds"] = round(time.perf_counter() - started, 1)
        results["R_A"] = results["tier_a"]["sigap"]["ratio_to_oracle_at_fpr_0.005"]
        results["R_A_references"] = {
            name: entry["ratio_to_oracle_at_fpr_0.005"] for name, entry in results["tier_a"].items() if name != "sigap"
        }
        results["calibration_tier_a"] = results["tier_a"]["sigap"]["fpr_at_nominal_alpha"]
    if args.only in (None, "b"):
        started = time.perf_counter()
        results["tier_b"] = run_tier_b(34, reps_b, seed=2020)
        results["tier_b_seconds"] = round(time.perf_counter() - started, 1)
        results["R_B"] = results["tier_b"]["sigap"]["ratio_to_oracle"]
        results["R_B_references"] = {
            name: entry["ratio_to_oracle"] for name, entry in results["tier_b"].items() if name != "sigap"
        }
        sigap_b = results["tier_b"]["sigap"]
        results["tier_b_sigap_vs"] = {
            "ears_c2": sigap_b["pod"] / results["tier_b"]["ears_c2"]["pod"],
            "farrington_improved_weekly": sigap_b["pod"] / results["tier_b"]["farrington_improved_weekly"]["pod"],
        }
    if args.only in (None, "speed"):
        results["speed"] = run_speed(national, 730, seed=83)
        results["speed_ratio"] = results["speed"]["speed_ratio"]
    print(json.dumps({k: v for k, v in results.items() if k not in ("tier_a", "tier_b")}, indent=1))
    for tier in ("tier_a", "tier_b"):
        for name, entry in results.get(tier, {}).items():
            print(tier, name, json.dumps(entry))
    if not args.quick:
        previous = json.loads(RESULTS.read_text()) if RESULTS.exists() and args.only else {}
        RESULTS.write_text(json.dumps(previous | results, indent=1) + "\n")
        print(f"written {RESULTS}")


if __name__ == "__main__":
    main()

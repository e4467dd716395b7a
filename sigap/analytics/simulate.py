"""Seeded simulations of the early-warning benchmark (docs: bench/README.md, the shared benchmark note).

Tier A is the Noufaily et al. (2013) weekly protocol as replicated by Bedubourg & Le Strat (2017); Tier B is its
daily conflict variant with a day-of-week profile, an election window and spatial escalations. Both return plain
arrays so that detectors, tests and benchmarks share one generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sigap.analytics.nb import nb_sample

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.floating]

# (theta, phi, beta, gamma1, gamma2) for the 7 blocks of Noufaily et al. 2013.
BLOCKS: tuple[tuple[float, float, float, float, float], ...] = (
    (0.1, 1.5, 0.0025, 0.6, 0.6),
    (-2.0, 2.0, 0.005, 0.1, 0.3),
    (1.5, 1.0, 0.003, 0.2, -0.4),
    (0.5, 5.0, 0.002, 0.5, 0.5),
    (2.5, 3.0, 0.001, 1.0, 0.1),
    (3.75, 1.1, 0.001, 0.1, -0.1),
    (5.0, 1.2, 0.0001, 0.05, 0.01),
)
DOW_PROFILE = np.array([1.2, 1.1, 1.0, 1.0, 1.0, 0.8, 0.9]) / np.mean([1.2, 1.1, 1.0, 1.0, 1.0, 0.8, 0.9])


@dataclass(frozen=True)
class Scenario:
    number: int  # 1..42
    theta: float
    phi: float
    beta: float
    gamma1: float
    gamma2: float
    harmonics: int


def noufaily_scenarios() -> list[Scenario]:
    """42 scenarios: 7 blocks x trend {0, beta} x harmonics {0, 1, 2}, harmonics varying fastest."""
    out: list[Scenario] = []
    for theta, phi, beta, g1, g2 in BLOCKS:
        for trend in (0.0, beta):
            for m in (0, 1, 2):
                out.append(Scenario(len(out) + 1, theta, phi, trend, g1, g2, m))
    return out


def log_mean(scenario: Scenario, t: FloatArray, period: float = 52.0) -> FloatArray:
    value = scenario.theta + scenario.beta * t
    for j in range(1, scenario.harmonics + 1):
        value = value + scenario.gamma1 * np.cos(2 * np.pi * j * t / period)
        value = value + scenario.gamma2 * np.sin(2 * np.pi * j * t / period)
    return np.asarray(value, dtype=np.float64)


def outbreak_offsets(rng: np.random.Generator, n: int, scale: float = 1.0) -> IntArray:
    """Where each case of an outbreak lands after its start: floor(scale * LogNormal(0, 0.5))."""
    return np.floor(scale * rng.lognormal(0.0, 0.5, size=n)).astype(np.int64)


@dataclass
class TierASeries:
    mean: FloatArray  # (T,) true baseline mean, weeks 1..624 at index 0..623
    baseline: IntArray  # (reps, T) counts with the 4 past outbreaks, no current outbreak
    current_start: IntArray  # (reps,) index of the current outbreak's first week
    current: IntArray  # (k, reps, T) extra cases of the current outbreak for k = 1..10
    current_end: IntArray  # (k, reps) index of its last week with cases (start when it had none)


TIER_A_WEEKS = 624
TIER_A_CURRENT = slice(575, 624)  # weeks 576..624
PAST_K = (2, 3, 5, 10)


def tier_a(scenario: Scenario, reps: int, seed: int, k_values: range = range(1, 11)) -> TierASeries:
    rng = np.random.default_rng(seed)
    t = np.arange(1, TIER_A_WEEKS + 1, dtype=np.float64)
    mean = np.exp(log_mean(scenario, t))
    sd = np.sqrt(scenario.phi * mean)
    baseline = nb_sample(rng, np.broadcast_to(mean, (reps, TIER_A_WEEKS)), scenario.phi)
    for r in range(reps):
        for _ in range(4):
            start = int(rng.integers(312, 575))  # weeks 313..575
            k1 = PAST_K[int(rng.integers(len(PAST_K)))]
            n = int(rng.poisson(k1 * sd[start]))
            weeks = start + outbreak_offsets(rng, n)
            np.add.at(baseline[r], weeks[weeks < TIER_A_WEEKS], 1)
    current_start = rng.integers(575, 624, size=reps)
    current = np.zeros((len(k_values), reps, TIER_A_WEEKS), dtype=np.int64)
    current_end = np.repeat(current_start[None, :], len(k_values), axis=0)
    for ki, k in enumerate(k_values):
        for r in range(reps):
            start = int(current_start[r])
            n = int(rng.poisson(k * sd[start]))
            weeks = start + outbreak_offsets(rng, n)
            weeks = weeks[weeks < TIER_A_WEEKS]
            np.add.at(current[ki, r], weeks, 1)
            if len(weeks):
                current_end[ki, r] = int(weeks.max())
    return TierASeries(mean, baseline, current_start, current, current_end)


# ---- Tier B: the daily conflict variant -------------------------------------------------------------------------

HISTORY_DAYS = 3 * 364
TEST_DAYS = 728
SEVERITY_WEIGHTS = np.array([1.0, 3.0, 10.0])  # minor / injury / death (a design choice, not from the literature)
SEVERITY_BASELINE = np.array([0.80, 0.15, 0.05])
SEVERITY_ESCALATION = np.array([0.60, 0.30, 0.10])


@dataclass
class Escalation:
    areas: tuple[int, ...]
    start: int
    end: int  # last day with a case (start when the draw had no case)
    k: int
    shape: str  # "spike" or "wave"
    in_election: bool
    cases: int


@dataclass
class TierBData:
    mean: FloatArray  # (N, D) true baseline mean, day-of-week and election included
    phi: FloatArray  # (N,)
    counts: IntArray  # (N, D)
    weighted: FloatArray  # (N, D) severity-weighted counts
    escalation_cases: IntArray  # (N, D) cases that belong to an escalation (past or current)
    escalations: list[Escalation]  # those that start in the test period
    election: NDArray[np.bool_]  # (D,) the known high-risk window
    election_day: int
    positions: FloatArray  # (N, 2)

    @property
    def test_start(self) -> int:
        return HISTORY_DAYS


def _severity(rng: np.random.Generator, counts: IntArray, probs: FloatArray) -> FloatArray:
    injured = rng.binomial(counts, probs[1])
    killed = rng.binomial(counts - injured, probs[2] / (1.0 - probs[1]))
    minor = counts - injured - killed
    return np.asarray(minor * SEVERITY_WEIGHTS[0] + injured * SEVERITY_WEIGHTS[1] + killed * SEVERITY_WEIGHTS[2])


def tier_b(n_areas: int, seed: int, election_day: int = HISTORY_DAYS + 300, test_per_area: int = 2) -> TierBData:
    """N areas x (3 x 364 history + 728 test) days, seed-fixed."""
    rng = np.random.default_rng(seed)
    days = HISTORY_DAYS + TEST_DAYS
    d = np.arange(days, dtype=np.float64)
    election = (d >= election_day - 14) & (d <= election_day + 7)
    blocks = rng.integers(len(BLOCKS), size=n_areas)
    trends = rng.integers(2, size=n_areas)
    harmonics = rng.integers(3, size=n_areas)
    positions = rng.random((n_areas, 2))
    mean = np.empty((n_areas, days))
    phi = np.empty(n_areas)
    for a in range(n_areas):
        theta, phi_b, beta, g1, g2 = BLOCKS[blocks[a]]
        sc = Scenario(0, theta - np.log(7.0), phi_b, beta * trends[a] / 7.0, g1, g2, int(harmonics[a]))
        mean[a] = np.exp(log_mean(sc, d, period=364.0))
        phi[a] = phi_b
    mean *= DOW_PROFILE[np.arange(days) % 7][None, :]
    mean *= np.where(election, 2.0, 1.0)[None, :]
    counts = nb_sample(rng, mean, phi[:, None])
    weighted = _severity(rng, counts, SEVERITY_BASELINE)
    extra = np.zeros_like(counts)
    distance = np.linalg.norm(positions[:, None, :] - positions[None, :, :], axis=2)
    escalations: list[Escalation] = []

    def escalate(area: int, start: int, k: int, in_election: bool) -> Escalation:
        shape = "wave" if rng.random() < 0.5 else "spike"
        spatial = rng.random() < 0.5
        n = int(rng.poisson(k * np.sqrt(phi[area] * mean[area, start : start + 7].sum())))
        offsets = outbreak_offsets(rng, n, 7.0 if shape == "wave" else 1.0)
        if spatial:
            neighbours = np.argsort(distance[area])[: 1 + int(rng.integers(2, 5))]
            where = neighbours[rng.integers(len(neighbours), size=n)]
        else:
            neighbours = np.array([area])
            where = np.full(n, area)
        when = start + offsets
        keep = when < days
        np.add.at(extra, (where[keep], when[keep]), 1)
        end = int(when[keep].max()) if keep.any() else start
        return Escalation(tuple(int(x) for x in neighbours), start, end, k, shape, in_election, int(keep.sum()))

    for a in range(n_areas):
        for _ in range(4):
            escalate(a, int(rng.integers(0, HISTORY_DAYS - 30)), PAST_K[int(rng.integers(len(PAST_K)))], False)
        for _ in range(test_per_area):
            start = int(rng.integers(HISTORY_DAYS, days - 14))
            escalations.append(escalate(a, start, int(rng.integers(1, 11)), bool(election[start])))
    area = int(rng.integers(n_areas))
    start = int(rng.integers(election_day - 14, election_day + 8))
    escalations.append(escalate(area, start, int(rng.integers(1, 11)), True))
    counts = counts + extra
    weighted = weighted + _severity(rng, extra, SEVERITY_ESCALATION)
    return TierBData(mean, phi, counts, weighted, extra, escalations, election, election_day, positions)


def national_counts(n_areas: int, days: int, seed: int) -> NDArray[np.float32]:
    """Tier B baseline counts for a national run (no escalations): blocks, trends and harmonics drawn per area."""
    rng = np.random.default_rng(seed)
    table = np.array(BLOCKS)
    block = rng.integers(len(BLOCKS), size=n_areas)
    theta, phi, beta, g1, g2 = (table[block, i][:, None] for i in range(5))
    trend = rng.integers(2, size=n_areas)[:, None]
    harmonics = rng.integers(3, size=n_areas)[:, None]
    d = np.arange(days, dtype=np.float64)[None, :]
    out = np.empty((n_areas, days), dtype=np.float32)
    for lo in range(0, n_areas, 8192):
        sl = slice(lo, lo + 8192)
        log_mu = theta[sl] - np.log(7.0) + beta[sl] * trend[sl] * d / 7.0
        for j in (1, 2):
            on = harmonics[sl] >= j
            log_mu = log_mu + on * (g1[sl] * np.cos(2 * np.pi * j * d / 364) + g2[sl] * np.sin(2 * np.pi * j * d / 364))
        mu = np.exp(log_mu) * DOW_PROFILE[np.arange(days) % 7][None, :]
        out[sl] = nb_sample(rng, mu, np.broadcast_to(phi[sl], mu.shape))
    return out

"""Held-out scores of the triage text classifier; writes bench/results/triage.json.

The shared data's own 20 % test split is kept outside the repository, so this benchmark holds out a seeded,
stratified-by-label-set 20 % of the shipped training file, trains on the rest exactly as `sigap triage train` does,
and scores the held-out part. Run: .venv/bin/python bench/triage_classifier.py
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sigap.triage.textmodel import LABELS, load_training_rows, scores, train  # noqa: E402

PUBLISHED = {  # Ibrohim & Budi 2019, all 12 labels, example-based accuracy
    "RFDT + label power-set": 0.661,
    "SVM + classifier chains": 0.749,
    "RFDT + label power-set + slang normalisation": 0.812,
}


def split(labels: np.ndarray, seed: int = 2020) -> tuple[np.ndarray, np.ndarray]:
    """20 % held out, stratified by the exact label combination (rare combinations pooled)."""
    groups: dict[bytes, list[int]] = defaultdict(list)
    for i, row in enumerate(labels):
        groups[row.tobytes()].append(i)
    rng = np.random.default_rng(seed)
    train_idx, test_idx, rare = [], [], []
    for key in sorted(groups):
        members = groups[key]
        if len(members) < 5:
            rare.extend(members)
            continue
        members = list(rng.permutation(members))
        cut = round(len(members) * 0.8)
        train_idx += members[:cut]
        test_idx += members[cut:]
    rare = list(rng.permutation(rare))
    cut = round(len(rare) * 0.8)
    return np.array(train_idx + rare[:cut]), np.array(test_idx + rare[cut:])


def main() -> None:
    texts, labels = load_training_rows()
    train_idx, test_idx = split(labels)
    started = time.perf_counter()
    model = train([texts[i] for i in train_idx], labels[train_idx])
    train_seconds = time.perf_counter() - started
    held_out = [texts[i] for i in test_idx]
    started = time.perf_counter()
    predicted = model.predict(held_out)
    batch_ms = (time.perf_counter() - started) * 1000 / len(held_out)
    single = []
    for text in held_out[:200]:
        t0 = time.perf_counter()
        model.labels_for(text)
        single.append((time.perf_counter() - t0) * 1000)
    result = {
        "benchmark": "triage text classifier, 12 labels (Ibrohim & Budi 2019 data)",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "split": {
            "train_rows": int(len(train_idx)),
            "held_out_rows": int(len(test_idx)),
            "seed": 2020,
            "note": "held-out 20% of the shipped train.csv, stratified by label set",
        },
        "scores": scores(labels[test_idx], predicted),
        "published_example_accuracy": PUBLISHED,
        "train_seconds": round(train_seconds, 1),
        "regularisation_chosen": model.regularisation,  # C, chosen on the training part's own validation split
        "classify_ms_per_report_batch": round(batch_ms, 3),
        "classify_ms_per_report_single_p50": round(float(np.percentile(single, 50)), 3),
        "classify_ms_per_report_single_p99": round(float(np.percentile(single, 99)), 3),
        "labels": LABELS,
    }
    out = Path(__file__).resolve().parent / "results" / "triage.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        json.dumps(
            {
                k: result[k]
                for k in ("scores", "train_seconds", "regularisation_chosen", "classify_ms_per_report_single_p50")
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

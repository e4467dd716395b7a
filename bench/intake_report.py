"""Turns the wrk outputs of bench/intake.sh into bench/results/intake.json."""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path


def parse(path: Path) -> dict[str, float]:
    text = path.read_text()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    lat = {}
    for pct in ("50", "99"):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)\b", text)
        if match:
            value, unit = float(match.group(1)), match.group(2)
            lat[f"p{pct}_ms"] = round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    return {
        "per_second": rate,
        **lat,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def main() -> None:
    folder, duration, connections = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    result: dict[str, object] = {
        "benchmark": "POST /api/v1/reports (partner token, triage included) vs GET /api/v1/ping, same server",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "setup": {
            "server": "sigap serve: granian WSGI, 2 processes with its default threads (1 each on SQLite, 2 on "
            "PostgreSQL), worker off",
            "load": f"wrk -t1 -c{connections} -d{duration} on 127.0.0.1, sharing the machine's cores, after 2 s of "
            "ping and 3 s of reports to warm up (those reports are in `stored`)",
            "triage": "placement, text model (trained from the shipped data), category, urgency, merge, timeline and "
            "audit rows, all before the 201",
            "sqlite": "WAL, synchronous=FULL, IMMEDIATE transactions (every 201 is on disk), the write lock "
            "retried every 0.25 ms (sigap.core.sqlite)",
            "postgres": "throwaway cluster, fsync=off (CI settings; not a durability measurement)",
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
    }
    for label in ("sqlite", "postgres"):
        noop, post = parse(folder / f"{label}-noop.txt"), parse(folder / f"{label}-post.txt")
        result[label] = {"noop": noop, "reports": post, "stored": (folder / f"{label}-count.txt").read_text().strip()}
        result[f"ratio_{label}"] = round(post["per_second"] / noop["per_second"], 4)
    out = Path(__file__).resolve().parent / "results" / "intake.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        json.dumps({k: v for k, v in result.items() if k.startswith("ratio") or k in ("sqlite", "postgres")}, indent=2)
    )


if __name__ == "__main__":
    main()

"""Flood: one address sends reports as fast as it can (JSON API and web form) while an analyst works.

The web server runs as in production (granian, two processes). Figures: what the flood got (accepted, throttled,
5xx), whether the hourly limit held across both processes, and the analyst's page times without and during the
flood (p50/p95).

Usage (run by bench/evidence.py, one database named by the environment):
    python bench/evidence_flood.py OUT.json [--seconds 20] [--flooders 8]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evidence_crash import ROOT, Processes, free_port, wait_for_web  # noqa: E402

STAFF_PAGES = ["/beranda/", "/peringatan/", "/penanganan/", "/kerawanan/"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 1) if ordered else 0.0


def signed_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(f"{base}/masuk/", timeout=20).read().decode()  # noqa: S310 - 127.0.0.1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None, "no sign-in form"
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    ).encode()
    opener.open(  # noqa: S310 - 127.0.0.1
        urllib.request.Request(f"{base}/masuk/", data=data, headers={"Referer": f"{base}/"}), timeout=20
    ).read()
    page = opener.open(f"{base}/beranda/", timeout=20)  # noqa: S310 - 127.0.0.1
    assert "/masuk/" not in page.geturl(), "sign-in failed"
    return opener


def staff_times(opener: urllib.request.OpenerDirector, base: str, seconds: float) -> tuple[list[float], int]:
    times, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in STAFF_PAGES:
            started = time.perf_counter()
            try:
                opener.open(f"{base}{path}", timeout=30).read()  # noqa: S310 - 127.0.0.1
            except urllib.error.HTTPError:
                errors += 1
                continue
            times.append((time.perf_counter() - started) * 1000)
    return times, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--flooders", type=int, default=8)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SIGAP_HTTPS": "false", "ALLOWED_HOSTS": "127.0.0.1", "CSRF_TRUSTED_ORIGINS": base}
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from sigap.demo.generator import seed_demo
    from sigap.intake.models import Report

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("regions", "load", "35.75", "--no-progress", verbosity=0)
    analyst = next(p for p in seed_demo(seed=2020).personas if p.username == "analis")
    before = Report.objects.count()

    processes = Processes(env, [port], workers=0)
    processes.start("web1")
    try:
        wait_for_web(base)
        opener = signed_in(base, analyst.username, analyst.password)
        staff_times(opener, base, 3)  # warm both processes
        quiet, quiet_errors = staff_times(opener, base, args.seconds)

        stop = threading.Event()
        answers: Counter[str] = Counter()
        lock = threading.Lock()

        def flood(use_form: bool) -> None:
            # A flooder of the form fetches it once for its CSRF cookie and token, then posts as fast as it can.
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            kind, url = ("web", f"{base}/lapor/") if use_form else ("api", f"{base}/api/v1/reports")
            if use_form:
                form = opener.open(url, timeout=30).read().decode()  # noqa: S310 - 127.0.0.1
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
                assert token is not None, "no report form"
                fields = {"csrfmiddlewaretoken": token.group(1), "description": "banjir laporan dari satu alamat"}
                data = urllib.parse.urlencode({**fields, "anonymous": "on"}).encode()
                headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base}/"}
            else:
                data = json.dumps({"description": "banjir laporan dari satu alamat untuk uji"}).encode()
                headers = {"Content-Type": "application/json"}
            while not stop.is_set():
                try:
                    with opener.open(  # noqa: S310 - 127.0.0.1
                        urllib.request.Request(url, data=data, headers=headers, method="POST"), timeout=30
                    ) as response:
                        status = response.status  # the form's 302 is followed to the receipt page: 200
                except urllib.error.HTTPError as exc:
                    status = exc.code
                except (urllib.error.URLError, OSError):
                    status = 0
                with lock:
                    answers[f"{kind} {status}"] += 1

        flooders = [threading.Thread(target=flood, args=(i % 2 == 1,)) for i in range(args.flooders)]
        started = time.monotonic()
        for thread in flooders:
            thread.start()
        loud, loud_errors = staff_times(opener, base, args.seconds)
        stop.set()
        for thread in flooders:
            thread.join()
        flood_seconds = time.monotonic() - started
    finally:
        processes.stop_all()

    sent = sum(answers.values())
    accepted_api, accepted_web = answers["api 201"], answers["web 200"]
    result: dict[str, Any] = {
        "database": connection.vendor,
        "web_processes": 2,
        "limit_per_hour": settings.SIGAP_ANON_REPORTS_PER_HOUR,
        "flood_requests": sent,
        "flood_per_second": round(sent / flood_seconds, 1),
        "answers": dict(answers),
        "accepted_api": accepted_api,
        "accepted_web": accepted_web,
        "throttled": answers["api 429"] + answers["web 429"],
        "server_errors": sum(n for key, n in answers.items() if key.split()[1].startswith("5")),
        "limit_held": max(accepted_api, accepted_web) <= settings.SIGAP_ANON_REPORTS_PER_HOUR,
        "reports_created": Report.objects.count() - before,
        "staff_requests_quiet": len(quiet),
        "staff_p50_ms_quiet": percentile(quiet, 0.5),
        "staff_p95_ms_quiet": percentile(quiet, 0.95),
        "staff_requests_flood": len(loud),
        "staff_p50_ms_flood": percentile(loud, 0.5),
        "staff_p95_ms_flood": percentile(loud, 0.95),
        "staff_errors": quiet_errors + loud_errors,
    }
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

"""The response side at a city's scale: N open cases with tasks, then the worker's minute (every deadline check),
the breach board and the case pages. Times are best of 3; query counts from Django's own capture.

Usage (from the repository root, after `bash scripts/bootstrap.sh test`):
    SIGAP_DATA_DIR=$(mktemp -d) SECRET_KEY=x SIGAP_FIELD_KEYS=$(...) .venv/bin/python bench/response_bench.py OUT.json
Writes OUT.json; bench/response.sh runs it on SQLite and PostgreSQL and writes bench/results/response.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")

WIB = ZoneInfo("Asia/Jakarta")


def best_of(n: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(n):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def count_queries(fn) -> int:
    """Queries one call makes. Counted at once: Django's query log is emptied when a request starts (and keeps
    only the last 9,000), so a capture read later can count none."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("regions", "load", "35.75", "--no-progress", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # Django's test client

    from sigap.accounts.models import User
    from sigap.cases import services
    from sigap.cases.selectors import breach_board
    from sigap.core.roles import Role
    from sigap.directory.choices import OrganisationKind
    from sigap.directory.models import Organisation
    from sigap.notify.choices import ChannelKind
    from sigap.notify.models import Channel, Notification
    from sigap.regions.choices import Level
    from sigap.regions.models import Region
    from sigap.triage.choices import IncidentStatus
    from sigap.triage.models import Incident

    rng = random.Random(7)
    kelurahan = list(Region.objects.filter(code__startswith="35.75.", level=Level.DESA_KELURAHAN))
    orgs = [Organisation.objects.create(name=f"Polsek {i}", kind=OrganisationKind.POLRI) for i in range(8)]
    secretariat = Organisation.objects.create(name="Bakesbangpol", kind=OrganisationKind.KESBANGPOL)
    for org in [*orgs, secretariat]:
        Channel.objects.create(
            name=f"Surel {org}", kind=ChannelKind.EMAIL, organisation=org, config={"address": "x@example.org"}
        )
    analyst = User.objects.create(username="analis", role=Role.ANALYST, organisation=secretariat)
    start = datetime(2020, 11, 2, 9, tzinfo=WIB)
    made = time.perf_counter()
    for n in range(args.cases):
        at = start + timedelta(minutes=17 * n)
        incident = Incident.objects.create(
            title=f"Kejadian {n}",
            region=rng.choice(kelurahan),
            status=IncidentStatus.VERIFIED,
            occurred_at=at,
            verified_at=at,
            verification_due_at=at + timedelta(days=1),
        )
        case = services.case_open(
            title=f"Penanganan {n}",
            lead_organisation=rng.choice(orgs),
            incidents=[incident],
            parties=[f"Kelompok {n % 40}"],
            actor=analyst,
            at=at,
        )
        for t in range(2):
            services.task_add(
                case=case,
                title=f"Tugas {t}",
                owner=rng.choice(orgs),
                actor=analyst,
                at=at,
                due_at=at + timedelta(days=3 + t),
            )
    build_s = time.perf_counter() - made
    now = start + timedelta(minutes=17 * args.cases) + timedelta(days=40)

    first_start = time.perf_counter()
    queued = services.deadlines_due(now)
    first_s = time.perf_counter() - first_start
    again_s, again = best_of(3, lambda: services.deadlines_due(now))
    again_queries = count_queries(lambda: services.deadlines_due(now))
    board_s, board = best_of(3, lambda: breach_board(analyst, now))
    board_queries = count_queries(lambda: breach_board(analyst, now))
    client = Client()
    client.force_login(analyst)
    list_s, _ = best_of(3, lambda: client.get("/penanganan/"))
    assert client.get("/penanganan/").status_code == 200
    list_queries = count_queries(lambda: client.get("/penanganan/"))
    case_id = services.Case.objects.order_by("-id").values_list("id", flat=True).first()
    detail_s, _ = best_of(3, lambda: client.get(f"/penanganan/{case_id}/"))
    result = {
        "database": connection.vendor,
        "open_cases": args.cases,
        "tasks": 2 * args.cases,
        "build_seconds_through_services": round(build_s, 1),
        "deadlines_due_first_pass_seconds": round(first_s, 2),
        "messages_queued_first_pass": queued,
        "deadlines_due_repeat_seconds": round(again_s, 2),
        "messages_queued_repeat": again,
        "deadlines_due_repeat_queries": again_queries,
        "breach_board_seconds": round(board_s, 3),
        "breach_board_queries": board_queries,
        "breach_board_rows": len(board),
        "case_list_page_seconds": round(list_s, 3),
        "case_list_page_queries": list_queries,
        "case_page_seconds": round(detail_s, 3),
        "outbox_rows": Notification.objects.count(),
    }
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

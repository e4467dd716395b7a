"""The leadership view with a year of data and a million reports, on one database (the one SIGAP_DATA_DIR or
DATABASE_URL names): dashboard, public page, exports and the weekly situation report. Times are milliseconds over
repeated requests through Django's test client (the whole view, templates included, no network).

Usage: python bench/dashboard_bench.py OUT.json [--reports 1000000] [--runs 15]; bench/dashboard.sh runs it on
SQLite and PostgreSQL and writes bench/results/dashboard.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
WIB = ZoneInfo("Asia/Jakarta")
YEAR = 2020


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def generate(n_reports: int, rng: random.Random) -> dict[str, float]:
    from django.db import transaction

    from sigap.accounts.models import User
    from sigap.alerts.models import Alert
    from sigap.cases.models import Case
    from sigap.core.roles import Role
    from sigap.directory.choices import OrganisationKind
    from sigap.directory.models import Organisation
    from sigap.intake.models import Report
    from sigap.regions.choices import Level
    from sigap.regions.models import Region
    from sigap.risk.models import AreaRisk
    from sigap.triage.choices import Category, IncidentStatus
    from sigap.triage.models import Incident

    started = time.perf_counter()
    city = Region.objects.get(code="35.75")
    kelurahan = list(Region.objects.filter(code__startswith="35.75.", level=Level.DESA_KELURAHAN))
    categories = [c.value for c in Category]
    orgs = [Organisation.objects.create(name=f"Polsek {i}", kind=OrganisationKind.POLRI) for i in range(6)]
    User.objects.create(username="pimpinan", role=Role.LEADERSHIP)
    start = datetime(YEAR, 1, 1, tzinfo=WIB)
    seconds = 366 * 86400
    n_incidents = n_reports // 2
    batch = 5000
    made = 0
    while made < n_incidents:
        rows = []
        for _ in range(min(batch, n_incidents - made)):
            at = start + timedelta(seconds=rng.randrange(seconds))
            status = rng.choices(
                [IncidentStatus.VERIFIED, IncidentStatus.RESOLVED, IncidentStatus.NEW, IncidentStatus.HOAX],
                [3, 5, 1, 1],
            )[0]
            verified = at + timedelta(hours=rng.uniform(1, 60)) if status != IncidentStatus.NEW else None
            rows.append(
                Incident(
                    title="Kejadian",
                    region=rng.choice(kelurahan),
                    category=rng.choice(categories),
                    status=status,
                    urgency=rng.randint(1, 4),
                    occurred_at=at,
                    first_received_at=at + timedelta(minutes=10),
                    verified_at=verified,
                    verification_due_at=at + timedelta(days=3),
                    closed_at=verified + timedelta(days=rng.uniform(1, 20))
                    if status == IncidentStatus.RESOLVED and verified
                    else None,
                )
            )
        with transaction.atomic():
            created = Incident.objects.bulk_create(rows)
            reports = []
            for incident in created:
                for k in range(2):
                    reports.append(
                        Report(
                            receipt=f"B{incident.pk:08d}{k}",
                            channel="web",
                            description="Laporan",
                            region_id=incident.region_id,
                            received_at=incident.occurred_at + timedelta(minutes=10 + 30 * k),
                            incident=incident,
                        )
                    )
            Report.objects.bulk_create(reports)
        made += len(rows)
    risks = [
        AreaRisk(
            region=k,
            day=date(YEAR, 1, 1) + timedelta(days=d),
            score=rng.uniform(0, 80),
            level=rng.choices([0, 1, 2, 3], [70, 20, 8, 2])[0],
            drivers=[],
        )
        for d in range(366)
        for k in kelurahan
    ]
    AreaRisk.objects.bulk_create(risks, batch_size=5000)
    alerts = Alert.objects.bulk_create(
        [
            Alert(
                kind="level_rise",
                level=2,
                title=f"Kerawanan naik {i}",
                reasons=["x"],
                city=city,
                triggered_at=start + timedelta(seconds=rng.randrange(seconds)),
                last_activity_at=start,
                state=rng.choice(["triggered", "acknowledged", "closed"]),
            )
            for i in range(400)
        ]
    )
    Alert.regions.through.objects.bulk_create(
        [Alert.regions.through(alert_id=a.pk, region_id=rng.choice(kelurahan).pk) for a in alerts]
    )
    sample = list(
        Incident.objects.filter(status=IncidentStatus.VERIFIED).values_list("pk", "region_id", "verified_at")[:2000]
    )
    cases = []
    for _pk, region_id, verified in sample:
        cases.append(
            Case(
                title="Penanganan",
                city=city,
                region_id=region_id,
                lead_organisation=rng.choice(orgs),
                status=rng.choice(["open", "in_progress", "resolved"]),
                opened_at=verified,
                disposed_at=verified,
                ack_due_at=verified + timedelta(days=1),
                act_due_at=verified + timedelta(days=7),
                resolve_due_at=verified + timedelta(days=28),
                acknowledged_at=verified + timedelta(hours=rng.uniform(1, 50)),
            )
        )
    created_cases = Case.objects.bulk_create(cases)
    Case.incidents.through.objects.bulk_create(
        [Case.incidents.through(case_id=c.pk, incident_id=s[0]) for c, s in zip(created_cases, sample, strict=True)]
    )
    return {
        "generate_seconds": round(time.perf_counter() - started, 1),
        "incidents": n_incidents,
        "reports": Report.objects.count(),
    }


def timed(client, url: str, runs: int, fresh: bool = False) -> dict[str, float]:
    """`fresh`: empty the cache before every request (what the first visitor of the minute waits for)."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    body = b"".join(first.streaming_content) if first.streaming else first.content
    samples = []
    for _ in range(runs):
        if fresh:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - start) * 1000)
    reset_queries()  # a capture that starts with Django's query log full (9,000) counts none
    if fresh:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, int(0.95 * len(samples)))], 1),
        "queries": len(queries.captured_queries),
        "bytes": len(body),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="measure the data an earlier run left in the database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from sigap.intake.models import Report

    call_command("migrate", verbosity=0)
    call_command("regions", "load", "35.75", "--no-progress", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    result: dict[str, object] = {"database": connection.vendor}
    from sigap.triage.models import Incident

    if args.reuse and Incident.objects.exists():
        result |= {"incidents": Incident.objects.count(), "reports": Report.objects.count()}
    else:
        result |= generate(args.reports, random.Random(7))
    from django.conf import settings

    from sigap.accounts.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # Django's test client
    client = Client()
    client.force_login(User.objects.get(username="pimpinan"))
    pages = {
        "dashboard_last_30_days": "/dasbor/",
        "dashboard_whole_year": f"/dasbor/?start={YEAR}-01-01&end={YEAR}-12-31",
        "dashboard_quarter_one_kecamatan_one_category": f"/dasbor/?start={YEAR}-10-01&end={YEAR}-12-31"
        "&kecamatan=35.75.04&category=bentrok_pendukung",
        "public_page": "/publik/",
        "sitrep_page_weekly": f"/laporan-situasi/?start={YEAR}-12-14&end={YEAR}-12-20",
        "sitrep_pdf_weekly": f"/laporan-situasi/unduh.pdf?start={YEAR}-12-14&end={YEAR}-12-20",
        "sitrep_xlsx_weekly": f"/laporan-situasi/unduh.xlsx?start={YEAR}-12-14&end={YEAR}-12-20",
        "export_csv_one_week": f"/dasbor/ekspor.csv?start={YEAR}-12-14&end={YEAR}-12-20",
    }
    result["pages"] = {name: timed(client, url, args.runs) for name, url in pages.items()}
    # The public page's counts are kept a minute: the figure above is what most visitors get, this one the first.
    result["pages"]["public_page_first_of_the_minute"] = timed(client, "/publik/", args.runs, fresh=True)
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

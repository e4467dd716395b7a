"""Notification latency and throughput on one database (the one DATABASE_URL / SIGAP_DATA_DIR name).

Latency: an analyst records a death on a verified incident (a PP 2/2015 criterion), which raises an Awas alert
after the commit; the clock stops when the email reaches a real SMTP server on 127.0.0.1, delivered by
`sigap notify work` running as its own process with its default settings. Throughput: 1,000 queued emails, the
time until the last one arrives. Run through bench/notify.sh (SQLite, then PostgreSQL).
Usage: python bench/notify_bench.py LABEL OUT.json [--alerts 100] [--bulk 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("label")
    parser.add_argument("out")
    parser.add_argument("--alerts", type=int, default=100)
    parser.add_argument("--bulk", type=int, default=1000)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    arrived: dict[str, float] = {}
    lock = threading.Condition()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
            text = envelope.original_content.decode(errors="replace")
            key = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in text.splitlines()
                    if line.lower().startswith("x-sigap-idempotency-key:")
                ),
                "",
            )
            with lock:
                arrived[key] = time.perf_counter()
                lock.notify_all()
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    os.environ.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "SIGAP_QUIET_HOURS": "0-0"})

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sigap.alerts.choices import AlertState
    from sigap.alerts.models import Alert
    from sigap.alerts.services import alert_transition
    from sigap.directory.models import Organisation
    from sigap.notify.models import Channel, Notification, RoutingRule
    from sigap.regions.models import Region
    from sigap.triage.choices import Category, IncidentStatus
    from sigap.triage.models import Incident
    from sigap.triage.services import incident_update_facts

    call_command("migrate", verbosity=0)
    call_command("regions", "load", "35.75", "--no-progress", verbosity=0)
    city = Region.objects.get(code="35.75")
    kelurahan = Region.objects.get(code="35.75.04.1010")
    org = Organisation.objects.create(name="Bakesbangpol (bench)", kind="kesbangpol")
    Channel.objects.create(name="piket", kind="email", config={"address": "piket@bench.test"}, organisation=org)
    rule = RoutingRule.objects.create(name="kota", region=city, min_level=2)
    rule.organisations.add(org)

    worker = subprocess.Popen(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "sigap", "notify", "work"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(2.0)  # the worker's start-up (Django import) is not part of a delivery
        latencies, in_request = [], []
        for i in range(args.alerts):
            incident = Incident.objects.create(
                title=f"bentrok {i}",
                region=kelurahan,
                category=Category.BENTROK_PENDUKUNG,
                status=IncidentStatus.VERIFIED,
                occurred_at=timezone.now(),
                verified_at=timezone.now(),
            )
            started = time.perf_counter()
            incident_update_facts(incident=incident, actor=None, reason="bench", killed=1)
            in_request.append((time.perf_counter() - started) * 1000)  # the save and its after-commit hooks
            key_prefix = None
            for _ in range(200):  # the alert and its row exist once the hook has run after the commit
                note = Notification.objects.filter(alert__incidents=incident).first()
                if note is not None:
                    key_prefix = note.idempotency_key
                    break
                time.sleep(0.005)
            assert key_prefix is not None, "no notification was queued"
            with lock:
                lock.wait_for(lambda k=key_prefix: k in arrived, timeout=30)
            latencies.append((arrived[key_prefix] - started) * 1000)
            for alert in Alert.objects.exclude(state=AlertState.CLOSED):  # the next incident raises a new alert
                alert_transition(alert=alert, to=AlertState.CLOSED, actor=None, note="bench")
        now = timezone.now()
        Notification.objects.bulk_create(
            Notification(
                channel=Channel.objects.get(),
                purpose="test",
                subject=f"bulk {i}",
                body="bench",
                idempotency_key=f"bulk-{i}",
                next_attempt_at=now,
                created_at=now,
            )
            for i in range(args.bulk)
        )
        started = time.perf_counter()
        with lock:
            lock.wait_for(lambda: sum(k.startswith("bulk-") for k in arrived) >= args.bulk, timeout=600)
        last = max(v for k, v in arrived.items() if k.startswith("bulk-"))
        per_second = args.bulk / (last - started)
    finally:
        worker.terminate()
        worker.wait(10)
        controller.stop()
    latencies.sort()
    in_request.sort()
    result = {
        "in_request_p50_ms": round(in_request[len(in_request) // 2], 1),
        "database": connection.vendor,
        "alerts": args.alerts,
        "latency_p50_ms": round(latencies[len(latencies) // 2], 1),
        "latency_p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "latency_max_ms": round(latencies[-1], 1),
        "bulk": args.bulk,
        "per_second": round(per_second, 1),
    }
    Path(args.out).write_text(json.dumps(result))
    print(args.label, result)


if __name__ == "__main__":
    main()

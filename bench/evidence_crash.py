"""Crash safety, scaled out: reports through every intake channel and alerts with their notifications, while
two web servers and two of each worker share one database and are killed with SIGKILL at random moments and
started again (clients spread over the servers as behind a balancer; the notification workers compete for the
same outbox).

Afterwards: every report that was acknowledged (a 201/200 with its receipt, a gateway's 201, the web form's
receipt page) must be in the database; every notification of every alert must have reached the receivers (an
SMTP server and a webhook receiver on 127.0.0.1) or be recorded as failed with a reason; deliveries are counted
per idempotency key, so a message sent again after a kill shows up as a duplicate (which a receiver that honours
the key ignores). Clients behave as real ones do: the API and the gateway retry a failed call with the same
idempotency key or message id; the web form's visitor, who cannot know, simply sends again.

Usage (run by bench/evidence.py, one database named by the environment):
    python bench/evidence_crash.py OUT.json [--seconds 60] [--clients 6] [--seed 8] [--web-servers 2] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GATEWAY_SECRET = "crash-gateway-secret-0123456789"  # noqa: S105 - a throwaway test secret
WEBHOOK_SECRET = "crash-webhook-secret-0123456789"  # noqa: S105 - a throwaway test secret
LEASE_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Deliveries:
    """What the receivers got, per idempotency key."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()

    def add(self, key: str) -> None:
        with self.lock:
            self.counts[key] += 1


def start_receivers(deliveries: Deliveries) -> tuple[Any, ThreadingHTTPServer, int, str]:
    from aiosmtpd.controller import Controller

    class Mail:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
            text = envelope.original_content.decode(errors="replace")
            for line in text.splitlines():
                if line.lower().startswith("x-sigap-idempotency-key:"):
                    deliveries.add(line.split(":", 1)[1].strip())
            return "250 OK"

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            deliveries.add(self.headers.get("Idempotency-Key", ""))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    smtp_port = free_port()
    mail = Controller(Mail(), hostname="127.0.0.1", port=smtp_port)
    mail.start()
    hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    return mail, hook, smtp_port, f"http://127.0.0.1:{hook.server_address[1]}/hook"


class Processes:
    """Web servers (granian, two processes each) and workers (tasks and notifications), each in its own process
    group so that a kill takes all its children."""

    def __init__(self, env: dict[str, str], ports: list[int], workers: int = 1) -> None:
        granian = str(Path(sys.executable).with_name("granian"))
        self.commands: dict[str, list[str]] = {}
        for number, port in enumerate(ports, 1):
            self.commands[f"web{number}"] = [
                granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
                "--blocking-threads", "2", "--no-access-log", "sigap.wsgi:application",
            ]  # fmt: skip
        for number in range(1, workers + 1):
            self.commands[f"tasks{number}"] = [
                sys.executable, "-m", "sigap", "db_worker", "--queue-name", "*", "--interval", "0.5",
                "--no-startup-delay", "--no-reload",
            ]  # fmt: skip
            self.commands[f"notify{number}"] = [sys.executable, "-m", "sigap", "notify", "work"]
        self.env = env
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.kills: Counter[str] = Counter()

    def start(self, name: str) -> None:
        self.running[name] = subprocess.Popen(  # noqa: S603 - fixed argument lists
            self.commands[name],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self, name: str) -> None:
        process = self.running[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self.kills[name] += 1

    def stop_all(self) -> None:
        for name in list(self.running):
            try:
                os.killpg(self.running[name].pid, signal.SIGTERM)
                self.running[name].wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):  # not counted: the run is over
                    os.killpg(self.running[name].pid, signal.SIGKILL)


def wait_for_web(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/v1/ping", timeout=2).read()  # noqa: S310 - 127.0.0.1
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError("the web server did not come up")


class Load:
    """Clients of each channel; what each was told, and how often it had to try again."""

    def __init__(self, bases: list[str], token: str, stop: threading.Event) -> None:
        self.bases, self.token, self.stop = bases, token, stop
        self.acknowledged: dict[str, list[str]] = {"api": [], "gateway": [], "web": []}
        self.gateway_replayed: list[str] = []  # message ids answered "already received" after a lost answer
        self.retries: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.server_errors = 0
        self.lock = threading.Lock()

    def _post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - 127.0.0.1
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def api(self, n: int) -> None:
        base = self.bases[n % len(self.bases)]  # clients spread over the web servers, as behind a balancer
        key = str(uuid.uuid4())
        body = json.dumps(
            {"description": f"Uji tahan mati #{n}: warga berkumpul di balai RW", "region_code": "35.75.04.1010"}
        ).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        while True:
            try:
                status, raw = self._post(f"{base}/api/v1/reports", body, headers)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                self.retries["api"] += 1
                time.sleep(0.3)
                continue
            if status in (200, 201):
                with self.lock:
                    self.acknowledged["api"].append(json.loads(raw)["receipt"])
                return
            if status >= 500:
                self.server_errors += 1
                self.retries["api"] += 1
                time.sleep(0.3)
                continue
            self.refused[f"api {status}"] += 1
            return

    def gateway(self, n: int) -> None:
        base = self.bases[n % len(self.bases)]  # clients spread over the web servers, as behind a balancer
        message_id = str(uuid.uuid4())
        body = json.dumps(
            {"channel": "sms", "from": f"0812{n:08d}", "text": f"Ada keributan kecil #{n} di pasar", "id": message_id}
        ).encode()
        failed_before = False
        while True:
            timestamp = str(int(time.time()))
            signature = hmac.new(GATEWAY_SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            headers = {
                "Content-Type": "application/json",
                "X-Sigap-Timestamp": timestamp,
                "X-Sigap-Signature": signature,
            }
            try:
                status, raw = self._post(f"{base}/api/v1/gateways/generic", body, headers)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                self.retries["gateway"] += 1
                failed_before = True
                time.sleep(0.3)
                continue
            if status == 201:
                with self.lock:
                    self.acknowledged["gateway"].append(json.loads(raw)["receipt"])
                return
            if status == 409 and failed_before:
                with self.lock:
                    self.gateway_replayed.append(message_id)
                return
            if status >= 500:
                self.server_errors += 1
                self.retries["gateway"] += 1
                failed_before = True
                time.sleep(0.3)
                continue
            self.refused[f"gateway {status}"] += 1
            return

    def web(self, n: int) -> None:
        base = self.bases[n % len(self.bases)]  # clients spread over the web servers, as behind a balancer
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        while True:
            try:
                form = opener.open(f"{base}/lapor/", timeout=20).read().decode()  # noqa: S310 - 127.0.0.1
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
                if token is None:
                    raise ConnectionError("no form")
                data = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": token.group(1),
                        "description": f"Lewat formulir #{n}: ada spanduk provokatif",
                        "anonymous": "on",
                    }
                ).encode()
                page = (
                    opener.open(  # noqa: S310 - 127.0.0.1
                        urllib.request.Request(f"{base}/lapor/", data=data, headers={"Referer": f"{base}/lapor/"}),
                        timeout=20,
                    )
                    .read()
                    .decode()
                )
            except urllib.error.HTTPError as exc:
                if exc.code >= 500:
                    self.server_errors += 1
                    self.retries["web"] += 1
                    time.sleep(0.3)
                    continue
                self.refused[f"web {exc.code}"] += 1
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
                self.retries[f"web ({type(exc).__name__})"] += 1  # the visitor sends the form again
                time.sleep(0.3)
                continue
            receipt = re.search(r'<code id="receipt">([^<]+)</code>', page)
            if receipt:
                with self.lock:
                    self.acknowledged["web"].append(receipt.group(1))
            else:
                self.refused["web: no receipt on the page"] += 1
            return


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--web-servers", type=int, default=2, help="web servers (2 processes each)")
    parser.add_argument("--workers", type=int, default=2, help="task workers and notification workers, each")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    deliveries = Deliveries()
    mail, hook, smtp_port, hook_url = start_receivers(deliveries)
    ports = [free_port() for _ in range(args.web_servers)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "SIGAP_QUIET_HOURS": "0-0",
        "SIGAP_GATEWAY_SECRET": GATEWAY_SECRET,
        "SIGAP_NOTIFY_ALLOW_PRIVATE": "true",
        "SIGAP_NOTIFY_LEASE_SECONDS": str(LEASE_SECONDS),
        "SIGAP_ANON_REPORTS_PER_HOUR": "1000000",
        "SIGAP_HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": ",".join(bases),
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sigap.alerts.choices import AlertKind
    from sigap.alerts.services import alert_raise
    from sigap.directory.models import Organisation
    from sigap.intake.models import ApiPartner, Report
    from sigap.notify.choices import NotificationStatus
    from sigap.notify.models import Channel, Notification, RoutingRule
    from sigap.regions.models import Region
    from sigap.risk.choices import RiskLevel

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Region.objects.filter(code="35.75").exists():
        call_command("regions", "load", "35.75", "--no-progress", verbosity=0)
    city = Region.objects.get(code="35.75")
    kelurahan = list(Region.objects.filter(code__startswith="35.75.", level="desa_kelurahan"))
    token = uuid.uuid4().hex
    ApiPartner.objects.create(name="crash-bench", token_sha256=hashlib.sha256(token.encode()).hexdigest())
    org = Organisation.objects.create(name="Bakesbangpol (crash)", kind="kesbangpol")
    Channel.objects.create(name="piket-mail", kind="email", config={"address": "piket@crash.test"}, organisation=org)
    Channel.objects.create(
        name="piket-hook", kind="webhook", config={"url": hook_url, "secret": WEBHOOK_SECRET}, organisation=org
    )
    rule = RoutingRule.objects.create(name="kota (crash)", region=city, min_level=RiskLevel.WASPADA)
    rule.organisations.add(org)
    before_reports = Report.objects.count()

    processes = Processes(env, ports, workers=args.workers)
    for name in processes.commands:
        processes.start(name)
    for base in bases:
        wait_for_web(base)

    stop = threading.Event()
    load = Load(bases, token, stop)
    raised: list[int] = []

    def client(worker: int) -> None:
        n = worker * 1_000_000
        channels = [load.api, load.gateway, load.web]
        while not stop.is_set():
            n += 1
            channels[n % 3](n)

    def raiser() -> None:
        while not stop.is_set():
            region = rng.choice(kelurahan)
            alert = alert_raise(
                kind=AlertKind.MANUAL,
                city=city,
                regions=[region],
                level=RiskLevel.SIAGA,
                title=f"Uji tahan mati {len(raised) + 1}",
                reason="crash check",
                at=timezone.now(),
                attach_to_open=False,  # a new alert each time, so each one routes its own notifications
            )
            raised.append(alert.pk)
            time.sleep(0.5)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    threads.append(threading.Thread(target=raiser))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while time.monotonic() - started < args.seconds:
        time.sleep(rng.uniform(1.0, 4.0))
        victim = rng.choice(list(processes.commands))
        processes.kill(victim)
        time.sleep(rng.uniform(0.1, 1.0))
        processes.start(victim)
    stop.set()
    for base in bases:
        wait_for_web(base)
    for thread in threads:
        thread.join(120)

    # Drain: a row whose sender was killed comes back after the lease; wait for the outbox to settle.
    deadline = time.monotonic() + LEASE_SECONDS * 4 + 60
    while (
        time.monotonic() < deadline
        and Notification.objects.filter(status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]).exists()
    ):
        time.sleep(1)
    processes.stop_all()
    mail.stop()
    hook.shutdown()

    acknowledged = [r for receipts in load.acknowledged.values() for r in receipts]
    found = set(Report.objects.filter(receipt__in=acknowledged).values_list("receipt", flat=True))
    replayed_found = Report.objects.filter(idempotency_key__in=[f"generic:{m}" for m in load.gateway_replayed]).count()
    notes = list(
        Notification.objects.filter(alert_id__in=raised).values_list("idempotency_key", "status", "last_error")
    )
    sent = [key for key, status, _ in notes if status == NotificationStatus.SENT]
    failed = [(key, error) for key, status, error in notes if status == NotificationStatus.FAILED]
    unsettled = [key for key, status, _ in notes if status in (NotificationStatus.PENDING, NotificationStatus.SENDING)]
    result = {
        "database": connection.vendor,
        "load_seconds": args.seconds,
        "web_servers": args.web_servers,
        "workers_each": args.workers,
        "kills": dict(processes.kills),
        "reports_acknowledged": {k: len(v) for k, v in load.acknowledged.items()},
        "reports_acknowledged_total": len(acknowledged),
        "reports_found": len(found),
        "reports_lost": len(set(acknowledged) - found),
        "gateway_replays_after_a_lost_answer": len(load.gateway_replayed),
        "gateway_replays_found": replayed_found,
        "reports_in_database": Report.objects.count() - before_reports,
        "client_retries": dict(load.retries),
        "client_refusals": dict(load.refused),
        "server_errors": load.server_errors,
        "alerts_raised": len(raised),
        "notifications_expected": len(notes),
        "notifications_sent": len(sent),
        "notifications_delivered_once": sum(1 for key in sent if deliveries.counts[key] == 1),
        "notifications_sent_but_never_received": sum(1 for key in sent if deliveries.counts[key] == 0),
        "duplicate_deliveries": sum(max(0, deliveries.counts[key] - 1) for key in sent),
        "notifications_failed_with_reason": sum(1 for _, error in failed if error),
        "notifications_failed_without_reason": sum(1 for _, error in failed if not error),
        "notifications_unsettled": len(unsettled),
    }
    result["lost"] = (
        result["reports_lost"]
        + (len(load.gateway_replayed) - replayed_found)
        + result["notifications_sent_but_never_received"]
        + result["notifications_failed_without_reason"]
        + result["notifications_unsettled"]
    )
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

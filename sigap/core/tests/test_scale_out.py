"""The production layout on one PostgreSQL: two web servers and two notification workers, as separate processes.

Reports sent through either server land once (a retry through the other server with the same Idempotency-Key
gets the same receipt); the notifications of alerts raised meanwhile are claimed by both workers from one
outbox and reach the receiver exactly once each.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
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

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def receiver() -> Iterator[tuple[str, Counter[str]]]:
    received: Counter[str] = Counter()
    lock = threading.Lock()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                received[self.headers.get("Idempotency-Key", "")] += 1
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()


@pytest.fixture
def deployment() -> Iterator[list[str]]:
    """Two granian servers (two processes each) and two `sigap notify work`, on the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("the scaled-out layout is for PostgreSQL; make evidence runs it on SQLite too")
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SIGAP_NOTIFY_ALLOW_PRIVATE": "true",
        "SIGAP_QUIET_HOURS": "0-0",
        "SIGAP_HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    granian = str(Path(sys.executable).with_name("granian"))
    ports = [_free_port(), _free_port()]
    commands = [
        [granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
         "--no-access-log", "sigap.wsgi:application"]
        for port in ports
    ] + [[sys.executable, "-m", "sigap", "notify", "work"]] * 2  # fmt: skip
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL)  # noqa: S603
        for command in commands
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/api/v1/ping", timeout=2).read()
                    break
                except (urllib.error.URLError, OSError):
                    assert time.monotonic() < deadline, f"{base} did not start"
                    time.sleep(0.2)
        yield bases
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(20)


def _post_report(base: str, token: str, key: str, n: int) -> dict[str, Any]:
    body = json.dumps({"description": f"Laporan lewat dua server #{n}", "region_code": "35.75.04.1010"}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}", "Idempotency-Key": key}
    request = urllib.request.Request(f"{base}/api/v1/reports", data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.loads(response.read())
        answer["status"] = response.status
        return answer


def test_two_servers_and_two_workers_share_one_database(gazetteer, receiver, deployment, settings):
    hook_url, received = receiver
    # The outbox rows are written here, in the test's process: its quiet hours (22-6 by default) would hold a Siaga
    # message until morning when the suite runs at night, as the workers' environment already says.
    settings.SIGAP_QUIET_HOURS = (0, 0)
    token = uuid.uuid4().hex
    ApiPartner.objects.create(name="scale-out", token_sha256=hashlib.sha256(token.encode()).hexdigest())
    city = Region.objects.get(code="35.75")
    org = Organisation.objects.create(name="Bakesbangpol (scale-out)", kind="kesbangpol")
    Channel.objects.create(
        name="piket-hook", kind="webhook", config={"url": hook_url, "secret": "s" * 24}, organisation=org
    )
    rule = RoutingRule.objects.create(name="kota", region=city, min_level=RiskLevel.WASPADA)
    rule.organisations.add(org)

    keys = [str(uuid.uuid4()) for _ in range(30)]
    first = [_post_report(deployment[n % 2], token, key, n) for n, key in enumerate(keys)]
    again = [_post_report(deployment[(n + 1) % 2], token, key, n) for n, key in enumerate(keys[:10])]
    assert [a["status"] for a in first] == [201] * 30
    assert [a["status"] for a in again] == [200] * 10  # the other server knows the key: the same report
    assert [a["receipt"] for a in again] == [a["receipt"] for a in first[:10]]
    assert Report.objects.filter(partner__name="scale-out").count() == 30

    kelurahan = list(Region.objects.filter(code__startswith="35.75.", level="desa_kelurahan")[:20])
    for n, region in enumerate(kelurahan):
        alert_raise(
            kind=AlertKind.MANUAL, city=city, regions=[region], level=RiskLevel.SIAGA, title=f"Uji #{n}",
            reason="scale-out", at=timezone.now(), attach_to_open=False,
        )  # fmt: skip
    notes = Notification.objects.filter(channel__organisation=org)
    assert notes.count() == 20
    deadline = time.monotonic() + 90
    while notes.exclude(status=NotificationStatus.SENT).exists():
        assert time.monotonic() < deadline, list(notes.values_list("status", "last_error"))
        time.sleep(0.3)
    keys_sent = set(notes.values_list("idempotency_key", flat=True))
    assert {key: received[key] for key in keys_sent} == dict.fromkeys(keys_sent, 1)  # exactly once each

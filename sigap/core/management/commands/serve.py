"""`sigap serve`: the web server (granian, WSGI) and the background worker, started and stopped together."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


def _granian() -> list[str]:
    beside = Path(sys.executable).with_name("granian")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("granian")
    if found is None:
        raise CommandError("granian is not installed in this environment (pip install granian)")
    return [found]


def _default_threads() -> int:
    """One thread per web process on SQLite: a request that holds the single write lock must not wait for its
    process's other thread to give back the interpreter lock (bench/intake.sh: 2 x 1 threads took 127 reports/s
    with p99 183 ms, 2 x 2 threads 85/s with p99 390 ms). PostgreSQL has no single writer, and a second thread
    overlaps its round trips (stack.md section 5: more threads only queue up)."""
    return 1 if connection.vendor == "sqlite" else 2


def wait_until_listening(host: str, port: int, web: subprocess.Popen[bytes], timeout: float = 30.0) -> bool:
    """Whether the web server accepts connections within `timeout` (False at once if it exited). The workers start
    after it: their first messages may go to Sigap's own receivers (the demo's SMS gateway and webhook), which
    otherwise refused them and logged a failure for each before the retry."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and web.poll() is None:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


class Command(BaseCommand):
    help = "Serve Sigap over HTTP with the background worker and the daily clock; Ctrl-C stops them cleanly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("SIGAP_WEB_WORKERS", "2")))
        parser.add_argument(
            "--web-threads",
            type=int,
            default=int(os.environ.get("SIGAP_WEB_THREADS", "0")),
            help="blocking threads per web process (default: 1 on SQLite, 2 on PostgreSQL)",
        )
        parser.add_argument("--no-worker", action="store_true", help="serve HTTP only (workers run elsewhere)")

    def handle(self, *args: Any, **options: Any) -> None:
        threads = options["web_threads"] or _default_threads()
        web_cmd = [
            *_granian(),
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--workers",
            str(options["web_workers"]),
            "--blocking-threads",
            str(threads),
            "--workers-kill-timeout",
            "10",
            "--no-access-log",
            "sigap.wsgi:application",
        ]
        worker_cmd = [
            sys.executable,
            "-m",
            "sigap",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.5",
            "--no-startup-delay",
            "--no-reload",
        ]
        clock_cmd = [sys.executable, "-m", "sigap", "clock"]
        notify_cmd = [sys.executable, "-m", "sigap", "notify", "work"]
        children = {"web": subprocess.Popen(web_cmd)}  # noqa: S603 - fixed argument list
        if not options["no_worker"]:
            wait_until_listening(options["host"], options["port"], children["web"])
            children["worker"] = subprocess.Popen(worker_cmd)  # noqa: S603
            children["clock"] = subprocess.Popen(clock_cmd)  # noqa: S603 - daily assessment, escalations
            children["notify"] = subprocess.Popen(notify_cmd)  # noqa: S603 - the notification outbox
        self.stdout.write(f"Sigap: http://{options['host']}:{options['port']}/  (Ctrl-C stops web and worker)")
        exit_code = self._supervise(children)
        if exit_code:
            raise CommandError(f"a child process stopped unexpectedly (exit code {exit_code})")

    def _supervise(self, children: dict[str, subprocess.Popen[bytes]]) -> int:
        stopping = False

        def request_stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        failed = 0
        while not stopping:
            for name, proc in children.items():
                code = proc.poll()
                if code is not None:
                    self.stderr.write(f"{name} exited with code {code}; stopping the others")
                    failed, stopping = code or 1, True
                    break
            time.sleep(0.2)
        self._stop_all(children)
        return failed

    def _stop_all(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, proc in children.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in time; killing it")
                proc.kill()
                proc.wait()
        self.stdout.write("Sigap stopped.")

"""`sigap serve` (what `make run` ends with): web and worker start together and stop together on Ctrl-C."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[str]:
    names = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            names.append(cmdline)
    return names


@pytest.mark.slow
def test_web_and_worker_start_and_stop_together(tmp_path):
    env = {**os.environ, "SIGAP_DATA_DIR": str(tmp_path), "SIGAP_HTTPS": "false", "DATABASE_URL": ""}
    sigap = [sys.executable, "-m", "sigap"]
    subprocess.run([*sigap, "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=120)
    subprocess.run([*sigap, "collectstatic", "--no-input", "-v", "0"], env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        [*sigap, "serve", "--port", str(port), "--web-workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline, health = time.monotonic() + 30, None
        while time.monotonic() < deadline and health is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = response.status
            except OSError:
                time.sleep(0.3)
        assert health == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            page = response.read().decode()
        assert "Sigap" in page
        stylesheet = re.search(r'href="(/static/sigap/sigap\.[0-9a-f]+\.css)"', page)
        assert stylesheet, "the page links the hashed (manifest) stylesheet"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet.group(1)}", timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/css")
            assert "max-age" in response.headers["Cache-Control"]
        children = _children(server.pid)
        assert any("granian" in c for c in children), children
        assert any("db_worker" in c for c in children), children
        assert any("clock" in c for c in children), children
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert "Sigap stopped." in output
    assert _children(server.pid) == []


def test_the_workers_wait_until_the_web_server_listens():
    from sigap.core.management.commands.serve import wait_until_listening

    port = _free_port()
    # A stand-in web server that listens after half a second, as granian does after its start-up.
    code = (
        "import socket, time; time.sleep(0.5); s = socket.socket(); "
        f"s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', {port})); s.listen(); "
        "time.sleep(5)"
    )
    web = subprocess.Popen([sys.executable, "-c", code])
    try:
        started = time.monotonic()
        assert wait_until_listening("127.0.0.1", port, web, timeout=10)
        assert time.monotonic() - started >= 0.4  # it waited for the listener
    finally:
        web.kill()
        web.wait()
    # A web server that exited is not waited for.
    started = time.monotonic()
    assert not wait_until_listening("127.0.0.1", _free_port(), web, timeout=10)
    assert time.monotonic() - started < 1

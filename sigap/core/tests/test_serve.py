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

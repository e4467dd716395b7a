import json
import os
import subprocess
import sys

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_reports_the_database_and_the_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": connection.vendor, "latency_ms": body["database"]["latency_ms"]}
    assert body["queue"]["ready"] == 0


UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-sigap-dir/never/sigap.sqlite3",
    "postgresql": "postgres://sigap@127.0.0.1:9/nowhere",  # port 9 (discard): nothing listens
}


@pytest.mark.parametrize("vendor", sorted(UNREACHABLE))
def test_healthz_answers_503_when_the_database_is_unreachable(vendor):
    # A real unreachable database in a separate process: the running test database must stay untouched.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client; r = Client().get('/healthz', HTTP_HOST='localhost');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {**os.environ, "DATABASE_URL": UNREACHABLE[vendor], "DJANGO_SETTINGS_MODULE": "sigap.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["status"] == "error"
    assert answer["body"]["database"]["ok"] is False

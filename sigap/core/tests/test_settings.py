"""The settings module as a deployment meets it: safe defaults, and SQLite configured on purpose."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


def _django_setup(
    env: dict[str, str],
    code: str = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
) -> subprocess.CompletedProcess[str]:
    hidden = {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "SIGAP_FIELD_KEYS", "SIGAP_FIELD_KEYS_FILE"}
    base = {k: v for k, v in os.environ.items() if k not in hidden}
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, timeout=60, check=False
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _django_setup({"DJANGO_SETTINGS_MODULE": "sigap.settings"})
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in result.stderr


def test_production_refuses_to_start_without_field_keys():
    result = _django_setup({"DJANGO_SETTINGS_MODULE": "sigap.settings", "SECRET_KEY": "k" * 50})
    assert result.returncode != 0
    assert "SIGAP_FIELD_KEYS (or SIGAP_FIELD_KEYS_FILE) must be set" in result.stderr


SIGAP = os.path.join(os.path.dirname(sys.executable), "sigap")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _sigap(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    hidden = {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "SIGAP_FIELD_KEYS", "SIGAP_FIELD_KEYS_FILE", "DATABASE_URL"}
    base = {k: v for k, v in os.environ.items() if k not in hidden and k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [SIGAP, *args], env={**base, **env}, capture_output=True, text=True, timeout=60, check=False, cwd=REPO
    )


def test_the_sigap_command_says_what_is_missing_in_a_sentence_not_a_traceback():
    missing = _sigap({}, "regions", "list", "pasuruan")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("sigap: SECRET_KEY (or SECRET_KEY_FILE) must be set")
    assert ". scripts/demo-env.sh" in missing.stderr

    wrong = _sigap({"SECRET_KEY": "k" * 50, "DEBUG": "true", "DATABASE_URL": "postgress://sigap@/sigap"}, "check")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert wrong.stderr.startswith("sigap: DATABASE_URL is not a database URL Sigap can use: Scheme 'postgress://'")
    assert "demo-env" not in wrong.stderr


def test_a_shell_beside_the_demo_gets_its_environment_from_demo_env(tmp_path):
    data = tmp_path / "var"
    script = f'. scripts/demo-env.sh && {SIGAP} regions list pasuruan && echo "$SIGAP_DEMO_CLOCK"'
    result = subprocess.run(
        ["bash", "-c", script],
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SIGAP_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "35.75\tKota Pasuruan" in lines
    assert lines[-1] == (data / "demo_clock").read_text().strip()  # fixed once, the same story for every shell
    for secret in ("secret_key", "field_keys", "demo_gateway_token"):
        assert (data / secret).stat().st_mode & 0o777 == 0o600


def test_defaults_are_safe_for_production():
    result = _django_setup(
        {
            "DJANGO_SETTINGS_MODULE": "sigap.settings",
            "SECRET_KEY": "k" * 50,
            "SIGAP_FIELD_KEYS": os.environ["SIGAP_FIELD_KEYS"],
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    assert settings.X_FRAME_OPTIONS == "DENY"


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas only apply to the embedded database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL: a committed report survives a power cut
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_every_variable_the_code_reads_is_documented_in_env_example():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    documented = set(re.findall(r"^([A-Z_]+)=", (root / ".env.example").read_text(), flags=re.M))
    read = set()
    for path in (root / "sigap").rglob("*.py"):
        if "tests" in path.parts or path.name == "conftest.py":
            continue
        source = path.read_text()
        read |= set(re.findall(r'env_(?:str|bool|int|list|secret)\("([A-Z_]+)"', source))
        read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', source))
    read -= {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    assert read - documented == set()


def test_every_page_carries_a_content_security_policy_without_inline_scripts(client, db):
    policy = client.get("/lapor/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]

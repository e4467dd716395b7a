"""`make evidence`, one database: reporter protection, backup and restore, configuration, access control, and
(each in its own process and database) crash safety, flood and bad input.

Run by scripts/evidence.sh through bench/both_databases.sh, which sets SIGAP_DATA_DIR, SECRET_KEY,
SIGAP_FIELD_KEYS and, for PostgreSQL, DATABASE_URL: `python bench/evidence.py OUT.json` writes every figure to
OUT.json; `python bench/evidence.py --headers` prints one page's headers under the settings it is given.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from sigap.accounts.models import User  # noqa: E402
from sigap.core import audit  # noqa: E402
from sigap.core.backup import backup, compare, pg_tool, restore  # noqa: E402
from sigap.core.models import AuditLog  # noqa: E402
from sigap.demo.generator import seed_demo  # noqa: E402
from sigap.demo.identities import sealed_identities  # noqa: E402
from sigap.intake.models import Report  # noqa: E402
from sigap.intake.services import IdentityAccessDenied, report_identity_reveal  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _raw_bytes(workdir: Path) -> dict[str, bytes]:
    """What someone who copies the database (or its backup) gets, without the keys."""
    out: dict[str, bytes] = {}
    if connection.vendor == "sqlite":
        base = Path(connection.settings_dict["NAME"])
        for path in (base, Path(f"{base}-wal")):
            if path.exists():
                out[path.name] = path.read_bytes()
    dump = workdir / f"protection-{int(time.time())}.bak"
    backup(dump, {**settings.DATABASES["default"], "NAME": connection.settings_dict["NAME"]})
    if connection.vendor == "postgresql":  # the custom format compresses: read it back as plain SQL
        plain = subprocess.run([pg_tool("pg_restore"), "--file=-", str(dump)], capture_output=True, check=True).stdout
        out["pg_dump (as SQL)"] = plain
    else:
        out["backup"] = dump.read_bytes()
    return out


def reporter_protection(workdir: Path) -> dict[str, Any]:
    identities, shared_with_directory = sealed_identities(warga_only=False)
    raw = _raw_bytes(workdir)
    plaintext_hits = []
    for label, blob in raw.items():
        for identity in identities:
            if identity.encode() in blob:
                plaintext_hits.append(f"{identity[:3]}... in {label}")
    analyst = User.objects.get(username="analis")
    responder = User.objects.get(username="polres")
    before = AuditLog.objects.filter(action__startswith="report.identity_").count()
    reports = list(Report.objects.exclude(reporter_name_sealed="")[:20])
    refused = 0
    for report in reports:
        report_identity_reveal(report=report, user=analyst, reason="evidence: verify a report")
        try:
            report_identity_reveal(report=report, user=responder, reason="evidence: not allowed")
        except IdentityAccessDenied:
            refused += 1
    audited = AuditLog.objects.filter(action__startswith="report.identity_").count() - before
    intact_before = audit.verify()
    target = AuditLog.objects.order_by("seq")[len(reports) // 2]
    original = target.details
    AuditLog.objects.filter(pk=target.pk).update(details={**original, "tampered": True})
    tampered = audit.verify()
    AuditLog.objects.filter(pk=target.pk).update(details=original)
    intact_after = audit.verify()
    return {
        "identities_looked_for": len(identities),
        "identities_skipped_as_directory_names": shared_with_directory,
        "places_scanned": {label: len(blob) for label, blob in raw.items()},
        "plaintext_identities_found": len(plaintext_hits),
        "examples": plaintext_hits[:5],
        "reveals": len(reports),
        "refused_reveals": refused,
        "reveal_and_refusal_audit_rows": audited,
        "unaudited_reveals": max(0, 2 * len(reports) - audited),
        "audit_rows": intact_before.rows,
        "chain_intact": intact_before.intact and intact_after.intact,
        "tampering_detected": tampered.broken_at == target.seq,
        "tamper_report": f"row {tampered.broken_at}: {tampered.reason}",
    }


def _empty_database(workdir: Path, name: str) -> dict[str, Any]:
    """A new, empty database registered as Django alias `name`, to restore into."""
    config = {**settings.DATABASES["default"], "TEST": {}}
    if connection.vendor == "sqlite":
        config["NAME"] = str(workdir / f"{name}.sqlite3")
    else:
        config["NAME"] = name
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    connections.databases[name] = config
    return config


def backup_restore(workdir: Path) -> dict[str, Any]:
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        try:
            while not stop.is_set():
                audit.append(actor=None, action="evidence.write", object_type="evidence", object_id=str(written[0]))
                written[0] += 1
        finally:
            connections["default"].close()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.5)
    online_file = workdir / "online.bak"
    started = time.perf_counter()
    online = backup(online_file)
    online_seconds = time.perf_counter() - started
    time.sleep(0.3)
    stop.set()
    thread.join()
    restore(online_file, _empty_database(workdir, "evidence_online"))
    chain = audit.verify(using="evidence_online")
    connections["evidence_online"].close()
    quiet_file = workdir / "quiet.bak"
    backup(quiet_file)
    restore(quiet_file, _empty_database(workdir, "evidence_quiet"))
    same = compare("default", "evidence_quiet")
    connections["evidence_quiet"].close()
    return {
        "writes_during_backup": written[0],
        "online_backup_seconds": round(online_seconds, 2),
        "online_backup_bytes": online.size_bytes,
        "online_restore_chain_intact": chain.intact,
        "online_restore_audit_rows": chain.rows,
        "quiet_tables_compared": same.tables,
        "quiet_rows_compared": same.rows_compared,
        "differences": same.differences,
        "difference_examples": same.first_differences,
    }


PRODUCTION_HOST = "sigap.pasuruankota.go.id"


def headers_seen() -> dict[str, Any]:
    """Run as `evidence.py --headers` under production settings: one page's headers and cookie flags."""
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    response = Client().get("/masuk/", secure=True, HTTP_HOST=PRODUCTION_HOST)
    cookies = {
        name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
        for name, c in response.cookies.items()
    }
    return {"status": response.status_code, "headers": dict(response.headers), "cookies": cookies}


def configuration() -> dict[str, Any]:
    """The production settings (DEBUG off, HTTPS, a real secret) checked by Django and seen on a page."""
    production = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "SECRET_KEY": "evidence-" + os.urandom(32).hex(),
        "SIGAP_HTTPS": "true",
        "SIGAP_SSL_REDIRECT": "true",
        "ALLOWED_HOSTS": PRODUCTION_HOST,
    }
    check = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "sigap", "check", "--deploy", "--fail-level", "WARNING"],
        env=production,
        capture_output=True,
        text=True,
        check=False,
    )
    seen = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "--headers"], env=production, capture_output=True, text=True, check=False
    )
    try:
        page = json.loads(seen.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        page = {"status": None, "headers": {}, "cookies": {}, "error": seen.stderr[-500:]}
    wanted = [
        "Strict-Transport-Security",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ]
    written_secret = re.compile(r"""(SECRET_KEY|PASSWORD|FIELD_KEYS)\s*=\s*['"][^'"]{8,}""")
    settings_text = (ROOT / "sigap/settings.py").read_text().splitlines()
    secrets_in_settings = [f"{n}: {line}" for n, line in enumerate(settings_text, 1) if written_secret.search(line)]
    return {
        "check_deploy_exit": check.returncode,
        "check_deploy_output": (check.stdout + check.stderr).strip()[-1500:],
        "headers_present": {h: page["headers"].get(h, "") for h in wanted},
        "headers_missing": [h for h in wanted if not page["headers"].get(h)],
        "cookies": page.get("cookies", {}),
        "secrets_written_in_settings": secrets_in_settings,
    }


def access_control(workdir: Path) -> dict[str, Any]:
    out = workdir / "matrix.json"
    run = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "sigap/core/tests/test_access_matrix.py"],
        cwd=ROOT,
        env={**os.environ, "SIGAP_EVIDENCE_OUT": str(out)},
        capture_output=True,
        text=True,
        check=False,
    )
    figures: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {"error": run.stdout[-2000:]}
    figures["pytest_exit"] = run.returncode
    return figures


def _own_database_env(workdir: Path, name: str) -> dict[str, str]:
    """The environment of a child process that works on a database of its own, beside the runner's."""
    env = {**os.environ}
    if connection.vendor == "sqlite":
        env["SIGAP_DATA_DIR"] = str(workdir / name)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    return env


def _child(workdir: Path, script: str, database: str, *args: str) -> dict[str, Any]:
    """A bench/evidence_*.py script in its own process, on a database of its own; its figures, or why none."""
    out = workdir / f"{database}.json"
    run = subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "bench" / script), str(out), *args],
        cwd=ROOT,
        env=_own_database_env(workdir, database),
        capture_output=True,
        text=True,
        check=False,
    )
    if not out.exists():
        return {"error": (run.stdout + run.stderr)[-2000:]}
    figures: dict[str, Any] = json.loads(out.read_text())
    return figures


def main() -> None:
    if sys.argv[1] == "--headers":
        print(json.dumps(headers_seen()))
        return
    out = Path(sys.argv[1])
    workdir = Path(settings.DATA_DIR) / f"evidence-{connection.vendor}"  # removed with the runner's data dir
    workdir.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("regions", "load", "35.75", "--no-progress", verbosity=0)
    seed_demo(seed=2020)
    result: dict[str, Any] = {"database": connection.vendor}
    for name, run in (
        ("reporter_protection", lambda: reporter_protection(workdir)),
        ("backup_restore", lambda: backup_restore(workdir)),
        ("configuration", configuration),
        ("access_control", lambda: access_control(workdir)),
        ("crash_safety", lambda: _child(workdir, "evidence_crash.py", "evidence_crash", "--seconds", "60")),
        ("flood", lambda: _child(workdir, "evidence_flood.py", "evidence_flood", "--seconds", "20")),
        ("bad_input", lambda: _child(workdir, "evidence_bad_input.py", "evidence_bad_input", "--examples", "150")),
    ):
        started = time.perf_counter()
        result[name] = run()
        result[name]["seconds"] = round(time.perf_counter() - started, 1)
        print(f"{connection.vendor} {name}: done in {result[name]['seconds']} s", flush=True)
    out.write_text(json.dumps(result, indent=1, default=str) + "\n")


if __name__ == "__main__":
    main()

"""Audit the installed packages once, then combine it with the per-database evidence (the runner's
bench/results/evidence-runs.json, removed once read) into bench/results/evidence-DATE.json and .md."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Checks of issue 8 that this report does not measure yet: listed, never counted as passed.
NOT_MEASURED = {}


def totals(run: dict[str, Any]) -> dict[str, int]:
    access = run["access_control"]
    protection = run["reporter_protection"]
    kept = run["backup_restore"]
    crash, flood, bad = run["crash_safety"], run["flood"], run["bad_input"]
    # A check that did not run (its figures missing) counts as one: unknown is not zero.
    return {
        "lost": kept["differences"] + (0 if kept["online_restore_chain_intact"] else 1) + crash.get("lost", 1),
        "leaks": access.get("leaks", 1) + protection["plaintext_identities_found"] + protection["unaudited_reveals"],
        "server_errors": sum(part.get("server_errors", 1) for part in (access, crash, flood, bad))
        + bad.get("parsers_and_corpus", {}).get("failed", 1),
    }


def dependency_audit() -> dict[str, Any]:
    """pip-audit of the installed environment; a run that could not reach its advisory data says so."""
    done = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("pip-audit")), "--progress-spinner", "off", "--format", "json", "--local"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        findings = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"ran": False, "why": (done.stderr or done.stdout)[-400:]}
    vulnerable = [
        {"name": d["name"], "version": d["version"], "ids": [v["id"] for v in d.get("vulns", [])]}
        for d in findings.get("dependencies", [])
        if d.get("vulns")
    ]
    return {"ran": True, "packages": len(findings.get("dependencies", [])), "findings": vulnerable}


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Sigap evidence, {report['generated_at'][:10]}",
        "",
        f"lost **{report['lost']}** · leaks **{report['leaks']}** · server errors **{report['server_errors']}**"
        " (totals over both databases; every figure is in the JSON beside this file)",
        "",
    ]
    for db, run in report["runs"].items():
        p, b, c, a = run["reporter_protection"], run["backup_restore"], run["configuration"], run["access_control"]
        lines += [
            f"## {db}",
            "",
            "| check | figure |",
            "|---|---|",
            f"| access control | {a.get('cells')} cells ({a.get('routes')} routes x {len(a.get('roles', []))} roles,"
            f" {a.get('by_action')}); leaks {a.get('leaks')}; refused wrongly {a.get('refused_wrongly')};"
            f" 5xx {a.get('server_errors')}; pages scanned for {a.get('identities_looked_for')} identities:"
            f" {a.get('identity_pages_scanned')} |",
            f"| reporter protection | {p['identities_looked_for']} identities looked for in"
            f" {', '.join(p['places_scanned'])}: found {p['plaintext_identities_found']}; {p['reveals']} reveals and"
            f" {p['refused_reveals']} refusals -> {p['reveal_and_refusal_audit_rows']} audit rows; chain of"
            f" {p['audit_rows']} rows intact: {p['chain_intact']}; tampering detected: {p['tampering_detected']} |",
            f"| backup while writing | {b['writes_during_backup']} writes during the run; backup"
            f" {b['online_backup_seconds']} s, {b['online_backup_bytes']} bytes; restored chain intact:"
            f" {b['online_restore_chain_intact']} ({b['online_restore_audit_rows']} rows) |",
            f"| restore compared | {b['quiet_rows_compared']} rows in {b['quiet_tables_compared']} tables;"
            f" differences {b['differences']} |",
            _crash_row(run["crash_safety"]),
            _flood_row(run["flood"]),
            _bad_input_row(run["bad_input"]),
            f"| configuration | check --deploy exit {c['check_deploy_exit']}; headers missing:"
            f" {c['headers_missing'] or 'none'}; secrets in settings.py: {len(c['secrets_written_in_settings'])} |",
            "",
        ]
    lines += [f"Dependency audit (pip-audit): {_audit_words(report['dependency_audit'])}", ""]
    if NOT_MEASURED:
        lines += ["## Not measured yet", ""] + [f"- {k}: {v}" for k, v in NOT_MEASURED.items()] + [""]
    return "\n".join(lines)


def _crash_row(c: dict[str, Any]) -> str:
    if "error" in c:
        return f"| crash safety | did not run: {c['error'][-200:]} |"
    return (
        f"| crash safety, scaled out | {c['web_servers']} web servers (2 processes each), {c['workers_each']} task"
        f" and {c['workers_each']} notification workers; {c['load_seconds']:.0f} s of load with SIGKILLs {c['kills']}:"
        f" reports acknowledged"
        f" {c['reports_acknowledged']} = {c['reports_acknowledged_total']}, found {c['reports_found']}, lost"
        f" {c['reports_lost']}; {c['alerts_raised']} alerts -> {c['notifications_expected']} notifications, sent"
        f" {c['notifications_sent']}, delivered once {c['notifications_delivered_once']}, duplicates"
        f" {c['duplicate_deliveries']}, failed with a reason {c['notifications_failed_with_reason']}, unsettled"
        f" {c['notifications_unsettled']}; 5xx {c['server_errors']} |"
    )


def _flood_row(f: dict[str, Any]) -> str:
    if "error" in f:
        return f"| flood | did not run: {f['error'][-200:]} |"
    return (
        f"| flood | {f['flood_requests']} requests from one address ({f['flood_per_second']}/s) into"
        f" {f['web_processes']} web processes: accepted API {f['accepted_api']}, form {f['accepted_web']} (limit"
        f" {f['limit_per_hour']}/h each: held {f['limit_held']}), throttled {f['throttled']}, 5xx"
        f" {f['server_errors']}; analyst pages p50/p95 {f['staff_p50_ms_quiet']}/{f['staff_p95_ms_quiet']} ms"
        f" without, {f['staff_p50_ms_flood']}/{f['staff_p95_ms_flood']} ms during the flood |"
    )


def _bad_input_row(b: dict[str, Any]) -> str:
    api, suite = b.get("schemathesis", {}), b.get("parsers_and_corpus", {})
    if "error" in b or "error" in api:
        return f"| bad input | did not run: {(b.get('error') or api.get('error', ''))[-200:]} |"
    return (
        f"| bad input | schemathesis {api['version']}: {api['cases']} generated cases over {api['operations_tested']}"
        f" operations, 5xx {api['server_errors']}, schema violations {api['schema_violations']}"
        f" ({', '.join(f['code'] + ' ' + f['title'] for f in api['failures']) or 'none'}; left out:"
        f" {', '.join(api['excluded_checks'])}); fuzzed parsers and the hostile corpus: {suite.get('summary')} |"
    )


def _audit_words(result: dict[str, Any]) -> str:
    if not result.get("ran"):
        return (
            "did not run (" + result.get("why", "").strip().splitlines()[-1][:160] + ")"
            if result.get("why")
            else "did not run"
        )
    return f"{result['packages']} packages, {len(result['findings'])} with known vulnerabilities"


def main() -> None:
    source = Path(sys.argv[1])
    combined = json.loads(source.read_text())
    runs = combined["runs"]
    summed = {"lost": 0, "leaks": 0, "server_errors": 0}
    for run in runs.values():
        for key, value in totals(run).items():
            summed[key] += value
    now = datetime.now(UTC)
    report = {
        **summed,
        "generated_at": now.isoformat(timespec="seconds"),
        "python": combined["python"],
        "complete": not NOT_MEASURED,
        "not_measured": NOT_MEASURED,
        "dependency_audit": dependency_audit(),
        "runs": runs,
    }
    out = Path("bench/results") / f"evidence-{now:%Y-%m-%d}"
    out.with_suffix(".json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    out.with_suffix(".md").write_text(markdown(report))
    source.unlink()  # its figures are all in the dated report
    print(out.with_suffix(".md").read_text())


if __name__ == "__main__":
    main()

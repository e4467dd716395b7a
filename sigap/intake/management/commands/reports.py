"""`sigap reports import FILE`: preview a CSV/XLSX log with per-row errors; `--commit` imports it all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from sigap.core.grading import Reliability
from sigap.intake.importer import ImportFileError, import_commit, import_plan


class Command(BaseCommand):
    help = "Import reports from a CSV or XLSX file (e.g. a kelurahan's paper log)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="check a file and show a preview; --commit writes it")
        imp.add_argument("path", type=Path)
        imp.add_argument("--commit", action="store_true", help="write the rows (only when every row is good)")
        imp.add_argument(
            "--reliability",
            default="C",
            choices=[r.value for r in Reliability],
            help="source reliability of this log (default C, fairly reliable)",
        )
        imp.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ada / file not found")
        try:
            plan = import_plan(path, reliability=Reliability(options["reliability"]))
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        good = len(plan.rows) - len(plan.errors)
        self.stdout.write(f"{path.name}: {len(plan.rows)} baris, {good} siap, {len(plan.errors)} bermasalah")
        for row in plan.rows[:10]:
            mark = "!!" if row.errors else "ok"
            self.stdout.write(f"  {mark} baris {row.number}: {str(row.values.get('description', ''))[:60]!r}")
        for row in plan.errors:
            self.stderr.write(f"  baris {row.number}: {'; '.join(row.errors)}")
        if plan.errors:
            raise CommandError("Tidak ada yang diimpor: perbaiki baris di atas lalu ulangi / nothing imported")
        if not options["commit"]:
            self.stdout.write("Pratinjau saja; tambahkan --commit untuk mengimpor / preview only; add --commit")
            return
        with tqdm(total=len(plan.rows), desc="Impor", unit=" baris", disable=options["no_progress"]) as bar:

            def advance(rows: int) -> None:
                bar.update(rows)

            created, existing = import_commit(plan, source=path.name, progress=advance)
        self.stdout.write(self.style.SUCCESS(f"Diimpor {created} laporan baru; {existing} sudah ada sebelumnya."))

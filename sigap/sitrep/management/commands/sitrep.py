"""`sigap sitrep --from DATE --to DATE --format pdf|xlsx --out FILE [--kecamatan CODE]`"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.dashboard.selectors import Filters
from sigap.regions.models import Region
from sigap.sitrep.build import build_sitrep, remember
from sigap.sitrep.render import to_pdf, to_xlsx


class Command(BaseCommand):
    help = "Make a situation report (laporan situasi) for a period, as PDF or XLSX, in Bahasa Indonesia."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=["pdf", "xlsx"], required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--kecamatan", default="", help="a kecamatan code to narrow the report")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start, end = date.fromisoformat(options["start"]), date.fromisoformat(options["end"])
        except ValueError as exc:
            raise CommandError(f"Dates are YYYY-MM-DD ({exc})") from exc
        if end < start:
            raise CommandError("--to comes before --from")
        if options["kecamatan"] and not Region.objects.filter(code=options["kecamatan"]).exists():
            raise CommandError(f"Unknown kecamatan code {options['kecamatan']}")
        from sigap.accounts.models import User
        from sigap.core.roles import Role

        # The command speaks for the secretariat: it sees what an analyst sees.
        reader = User(username="sigap-sitrep", role=Role.ANALYST)
        filters = Filters(start=start, end=end, kecamatan=options["kecamatan"])
        started = time.perf_counter()
        report = build_sitrep(filters, reader, with_boundaries=options["format"] == "pdf")
        body = to_pdf(report) if options["format"] == "pdf" else to_xlsx(report)
        Path(options["out"]).write_bytes(body)
        remember(report, filters=filters, fmt=options["format"], user=None)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{options['out']}: {len(body) / 1024:.0f} KiB in {elapsed:.2f} s")

"""`sigap regions load 35.75`: load one kabupaten/kota into the gazetteer; `sigap regions list`;
`sigap regions boundaries desa.geojson`: check a deployment's own boundaries, `--commit` stores them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.regions.boundaries import BoundaryFileError, BoundaryPlan, boundaries_commit, boundary_plan
from sigap.regions.services import UnknownRegionError, kabkota_catalogue, regions_load


class Command(BaseCommand):
    help = "Load Kemendagri regions (with shipped boundaries) by kabupaten/kota code, or list the codes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load one or more kabupaten/kota, e.g. 35.75")
        load.add_argument("codes", nargs="+", metavar="CODE")
        load.add_argument("--no-progress", action="store_true")
        find = sub.add_parser("list", help="list kabupaten/kota codes, optionally filtered by a name")
        find.add_argument("query", nargs="?", default="")
        shapes = sub.add_parser(
            "boundaries",
            help="check a GeoJSON of desa/kecamatan boundaries (Kemendagri codes, WGS 84); --commit stores them",
        )
        shapes.add_argument("path", type=Path)
        shapes.add_argument("--commit", action="store_true", help="store them (only when every feature is good)")
        shapes.add_argument("--code-property", help="property with the Kemendagri code (default: kode, KDEPUM...)")
        shapes.add_argument(
            "--simplify", type=float, default=10.0, metavar="METRES", help="simplify to this many metres (0: keep)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options["query"])
            return
        if options["action"] == "boundaries":
            self._boundaries(options["path"], options["code_property"], options["simplify"], options["commit"])
            return
        for code in options["codes"]:
            try:
                result = regions_load(code=code, progress=not options["no_progress"])
            except UnknownRegionError:
                raise CommandError(
                    f"Kode wilayah {code!r} bukan kabupaten/kota dalam daftar Kemendagri 2025 "
                    f"(unknown kabupaten/kota code). Use the form 35.75; `sigap regions list pasuruan` finds codes."
                ) from None
            levels = ", ".join(f"{n} {lvl}" for lvl, n in result.by_level.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.code} {result.name}: {levels}; {result.created} new, {result.updated} updated, "
                    f"{result.with_boundary} with boundaries"
                )
            )

    def _list(self, query: str) -> None:
        for code, name in kabkota_catalogue().items():
            if query.lower() in name.lower():
                self.stdout.write(f"{code}\t{name}")

    def _boundaries(self, path: Path, code_property: str | None, simplify: float, commit: bool) -> None:
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada / file not found")
        if simplify < 0:
            raise CommandError("--simplify tidak boleh negatif / must not be negative")
        try:
            plan = boundary_plan(path, code_property=code_property, simplify_m=simplify)
        except BoundaryFileError as exc:
            raise CommandError(str(exc)) from None
        self._describe(path, plan)
        if plan.errors:
            raise CommandError("Tidak ada yang disimpan: perbaiki fitur di atas lalu ulangi / nothing stored")
        if not commit:
            self.stdout.write("Pratinjau saja; tambahkan --commit untuk menyimpan / preview only; add --commit")
            return
        stored = boundaries_commit(plan)
        self.stdout.write(self.style.SUCCESS(f"Disimpan {stored} batas wilayah ({plan.source})."))

    def _describe(self, path: Path, plan: BoundaryPlan) -> None:
        levels = ", ".join(f"{n} {level}" for level, n in sorted(plan.by_level.items()))
        good = len(plan.rows) - len(plan.errors)
        self.stdout.write(
            f"{path.name}: {len(plan.rows)} fitur (kode dari {plan.code_property!r}), {good} siap"
            f"{f' ({levels})' if levels else ''}, {len(plan.errors)} bermasalah"
        )
        before = sum(row.points_before for row in plan.rows if not row.errors)
        after = sum(row.points_after for row in plan.rows if not row.errors)
        if before != after:
            self.stdout.write(f"  titik batas {before:,} -> {after:,} setelah disederhanakan")
        for note in plan.notes:
            self.stdout.write(f"  catatan {note}")
        for row in plan.rows:
            label = f"fitur {row.number} ({row.code or 'tanpa kode'})"
            for warning in row.warnings:
                self.stdout.write(f"  catatan {label}: {warning}")
            if row.errors:
                self.stderr.write(f"  {label}: {'; '.join(row.errors)}")

"""`sigap regions load 35.75`: load one kabupaten/kota into the gazetteer; `sigap regions list`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options["query"])
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

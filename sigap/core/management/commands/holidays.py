from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.core.calendar import DEFAULT_HOLIDAYS, holidays_load
from sigap.core.models import PublicHoliday


class Command(BaseCommand):
    help = "Public holidays of the working-day clock: `load [FILE]` (CSV date,name,kind) or `list`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "list"])
        parser.add_argument("file", nargs="?", default=str(DEFAULT_HOLIDAYS))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for holiday in PublicHoliday.objects.all():
                self.stdout.write(f"{holiday.day}  {holiday.kind:<12} {holiday.name}")
            return
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            added, updated = holidays_load(path)
        except (KeyError, ValueError) as exc:
            raise CommandError(f"{path}: expected columns date,name,kind with ISO dates ({exc})") from exc
        self.stdout.write(f"{added} holidays added, {updated} updated")

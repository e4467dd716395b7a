from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sigap.core.backup import BackupError, backup, engine_of, restore


class Command(BaseCommand):
    help = (
        "`backup [FILE]`: a consistent copy of the database while Sigap keeps running (SQLite online backup, "
        "pg_dump for PostgreSQL). `backup --restore FILE [--replace]`: put one back (stop the server first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="where to write (default: DATA_DIR/backups/sigap-TIME.*)")
        parser.add_argument("--restore", action="store_true", help="restore FILE instead of writing one")
        parser.add_argument("--replace", action="store_true", help="with --restore: overwrite the current data")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["restore"]:
                if not options["file"]:
                    raise CommandError("--restore needs the backup FILE")
                restore(Path(options["file"]), replace=options["replace"])
                self.stdout.write(f"restored {options['file']}")
                return
            suffix = {"sqlite": "sqlite3", "postgresql": "pgdump"}[engine_of(settings.DATABASES["default"])]
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            out = Path(options["file"] or Path(settings.DATA_DIR) / "backups" / f"sigap-{stamp}.{suffix}")
            result = backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{result.engine} backup written: {result.path} ({result.size_bytes / 1024:.0f} KiB)")

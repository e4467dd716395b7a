from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sigap.core.backup import BackupError, backup, engine_of, files_backup, files_path, files_restore, restore


class Command(BaseCommand):
    help = (
        "`backup [FILE]`: a consistent copy of the database while Sigap keeps running (SQLite online backup, "
        "pg_dump for PostgreSQL), and the uploaded files (photos) in FILE.files.tar beside it. "
        "`backup --restore FILE [--replace]`: put both back (stop the server first)."
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
                source = Path(options["file"])
                restore(source, replace=options["replace"])
                self.stdout.write(f"restored {source}")
                if files_path(source).exists():
                    count = files_restore(files_path(source), Path(settings.MEDIA_ROOT), replace=options["replace"])
                    self.stdout.write(f"uploaded files restored from {files_path(source)}: {count} written")
                else:
                    self.stderr.write(f"no {files_path(source).name} beside it: uploaded files (photos) not restored")
                return
            suffix = {"sqlite": "sqlite3", "postgresql": "pgdump"}[engine_of(settings.DATABASES["default"])]
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            out = Path(options["file"] or Path(settings.DATA_DIR) / "backups" / f"sigap-{stamp}.{suffix}")
            if files_path(out).exists():
                raise BackupError(f"{files_path(out)} exists; a backup never overwrites a file")
            result = backup(out)
            files = files_backup(files_path(out), Path(settings.MEDIA_ROOT))  # after the snapshot: see files_backup
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{result.engine} backup written: {result.path} ({result.size_bytes / 1024:.0f} KiB)")
        self.stdout.write(f"uploaded files: {files.path} ({files.files} files, {files.size_bytes / 1024:.0f} KiB)")

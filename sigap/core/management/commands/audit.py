from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.core import audit


class Command(BaseCommand):
    help = (
        "The audit log's hash chain: `verify` walks every row and exits 1 at the first one that was changed, "
        "removed or inserted; `head` prints the last link, to be kept outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "head"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            seq, digest = audit.head()
            self.stdout.write(f"{seq} {digest}")
            return
        result = audit.verify()
        if not result.intact:
            raise CommandError(
                f"audit log broken at row {result.broken_at}: {result.reason} "
                f"({result.rows} rows read, head #{result.head_seq})"
            )
        self.stdout.write(f"audit log intact: {result.rows} rows, head #{result.head_seq} {result.head_digest}")

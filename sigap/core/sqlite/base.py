"""Django's SQLite backend, with the write lock waited for in fine steps.

Every transaction takes SQLite's single write lock up front (BEGIN IMMEDIATE, see settings). A writer that finds
it taken is put to sleep by SQLite's busy handler in steps of 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 and 100 ms,
so under load a lock held for a few milliseconds leaves the waiters asleep for ten or more: the processor idles
while requests queue (about a quarter of both cores during `bench/intake.sh`). Here BEGIN IMMEDIATE is tried
without SQLite's wait and retried every 0.25 ms, every 2 ms once a wait passes 20 ms (a long holder, such as a
migration or a backup, should not cost the waiters' processor time), until the same timeout; then it fails as
SQLite would ("database is locked"). Statements inside the transaction keep SQLite's own busy timeout.
"""

from __future__ import annotations

import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

RETRY_EVERY_S = 0.00025
RETRY_SLOWER_AFTER_S, RETRY_SLOWER_EVERY_S = 0.02, 0.002


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self) -> None:
        mode: str | None = getattr(self, "transaction_mode", None)  # Django 5.1+; not in the type stubs
        if mode is None:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
            return
        raw = self.connection  # the PRAGMAs bypass Django's cursor: not queries of the application
        timeout_ms = int(raw.execute("PRAGMA busy_timeout").fetchone()[0])
        started = time.monotonic()
        give_up = started + timeout_ms / 1000
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self.cursor().execute(f"BEGIN {mode}")
                    return
                except OperationalError as error:
                    now = time.monotonic()
                    if "locked" not in str(error) or now >= give_up:
                        raise
                time.sleep(RETRY_EVERY_S if now - started < RETRY_SLOWER_AFTER_S else RETRY_SLOWER_EVERY_S)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {timeout_ms}")

"""The SQLite backend's write lock: a waiting writer gets it as soon as it is free, gives up after the timeout with
SQLite's own error, and leaves the busy timeout as it found it."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer"),
]


def _hold_write_lock(seconds: float) -> tuple[threading.Thread, list[float]]:
    """Another thread (as another request would, on its own connection) takes the write lock for `seconds`; the
    list gets the moment it let go."""
    released: list[float] = []
    holding = threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                holding.set()
                time.sleep(seconds)
            released.append(time.monotonic())
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(5)
    return thread, released


def test_a_waiting_writer_starts_as_soon_as_the_lock_is_free() -> None:
    lags = []
    for _round in range(3):
        thread, released = _hold_write_lock(0.34)  # SQLite's handler would wake at 328 and 428 ms
        started = time.monotonic()
        with transaction.atomic():
            got_it = time.monotonic()
        thread.join()
        assert got_it - started > 0.25  # it did wait for the other writer
        lags.append(got_it - released[0])
    assert max(lags) < 0.03, lags


def test_a_writer_gives_up_after_the_timeout_with_sqlites_error() -> None:
    connection.ensure_connection()
    connection.connection.execute("PRAGMA busy_timeout = 200")
    try:
        thread, _released = _hold_write_lock(1.0)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="locked"), transaction.atomic():
            pass
        waited = time.monotonic() - started
        thread.join()
        assert 0.19 < waited < 0.6
        assert connection.connection.execute("PRAGMA busy_timeout").fetchone()[0] == 200  # restored
    finally:
        connection.close()  # the next test connects with the configured pragmas again


def test_the_busy_timeout_stays_the_configured_one_inside_and_after_a_transaction() -> None:
    with transaction.atomic():
        inside = connection.connection.execute("PRAGMA busy_timeout").fetchone()[0]
    after = connection.connection.execute("PRAGMA busy_timeout").fetchone()[0]
    assert inside == after == 20000

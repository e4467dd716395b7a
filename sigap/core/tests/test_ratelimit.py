"""Rate limits counted in the database: exact across threads (processes behave alike), per window, forgotten."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from sigap.core.models import RateCount
from sigap.core.ratelimit import hit

HOUR = timedelta(hours=1)
NOON = datetime(2020, 12, 9, 12, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_the_limit_is_exact_and_a_new_window_starts_again():
    answers = [hit("t:10.0.0.1", limit=3, period=HOUR, now=NOON + timedelta(minutes=n)) for n in range(5)]
    assert answers == [False, False, False, True, True]
    assert hit("t:10.0.0.2", limit=3, period=HOUR, now=NOON) is False  # another address has its own count
    assert hit("t:10.0.0.1", limit=3, period=HOUR, now=NOON + HOUR) is False  # the next hour


@pytest.mark.django_db
def test_old_windows_are_forgotten_when_a_key_opens_a_new_one():
    hit("t:a", limit=1, period=HOUR, now=NOON)
    hit("t:b", limit=1, period=HOUR, now=NOON + timedelta(hours=3))
    assert list(RateCount.objects.values_list("key", flat=True)) == ["t:b"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_are_all_counted():
    over: list[bool] = []
    lock = threading.Lock()

    def client() -> None:
        try:
            for _ in range(25):
                answer = hit("t:flood", limit=20, period=HOUR)
                with lock:
                    over.append(answer)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(over) == 200 and over.count(False) == 20  # exactly the limit got through, however they interleaved
    assert 21 <= RateCount.objects.get(key="t:flood").count <= 200  # each thread stops writing once it saw "over"


@pytest.mark.django_db
def test_once_over_the_limit_a_process_stops_writing_until_the_window_ends(django_assert_num_queries):
    for n in range(3):
        hit("t:loud", limit=2, period=HOUR, now=NOON + timedelta(minutes=n))
    with django_assert_num_queries(0):
        assert hit("t:loud", limit=2, period=HOUR, now=NOON + timedelta(minutes=59)) is True
    assert hit("t:loud", limit=2, period=HOUR, now=NOON + HOUR) is False  # a new window counts again
    rows = RateCount.objects.filter(key="t:loud").order_by("window_start").values_list("window_start", "count")
    assert list(rows) == [(NOON, 3), (NOON + HOUR, 1)]

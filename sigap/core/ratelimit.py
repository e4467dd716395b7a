"""Rate limits shared by every web process, counted in the database.

Sigap runs several web processes (and several machines on PostgreSQL) without a memcached or Redis server, so a
per-process cache would let a flooder through N times. One atomic upsert per limited request counts a fixed
window per key (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, the same SQL on SQLite >= 3.35 and
PostgreSQL), so the count is exact however many processes answer. django-ratelimit needs a shared cache with
atomic increments (memcached, Redis) for the same guarantee.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from sigap.core.models import RateCount
from sigap.core.net import client_ip

# Rows of windows older than this are removed when a key opens a new window (the longest limit is one hour).
KEEP = timedelta(hours=2)


def _window_start(now: datetime, period: timedelta) -> datetime:
    seconds = int(period.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


# Keys this process has seen over their limit, until their window ends. Being over the limit is final for a
# window, so a flood costs one database write per process per window, not one per request.
_over_until: dict[str, datetime] = {}


def _known_over(key: str, now: datetime) -> bool:
    until = _over_until.get(key)
    if until is not None and now < until:
        return True
    if len(_over_until) > 10_000:  # forget the ended windows of many addresses at once
        for stale in [k for k, end in _over_until.items() if end <= now]:
            del _over_until[stale]
    return False


def hit(key: str, *, limit: int, period: timedelta, now: datetime | None = None) -> bool:
    """Count one request for `key`; True when it is over `limit` in the current window of `period`."""
    now = now or timezone.now()
    if _known_over(key, now):
        return True
    start = _window_start(now, period)
    table = connection.ops.quote_name(RateCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 - our table name
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key[:200], connection.ops.adapt_datetimefield_value(start)],
        )
        count = int(cursor.fetchone()[0])
    if count == 1:  # a new window for this key: a cheap moment to forget old ones
        RateCount.objects.filter(window_start__lt=now - KEEP).delete()
    if count > limit:
        _over_until[key] = start + period
        return True
    return False


def is_over(key: str, *, limit: int, period: timedelta, now: datetime | None = None) -> bool:
    """Whether `key` is already over `limit` in the current window, without counting a request (a sign-in is
    checked before the password is, and only a failure counts)."""
    now = now or timezone.now()
    if _known_over(key, now):
        return True
    start = _window_start(now, period)
    row = RateCount.objects.filter(key=key[:200], window_start=start).values_list("count", flat=True).first()
    if row is not None and row > limit:
        _over_until[key] = start + period
        return True
    return False


def over_hourly_limit(request: HttpRequest, group: str, per_hour: int) -> bool:
    """Count this request against `group`'s hourly limit for the client's address."""
    return hit(f"{group}:{client_ip(request)}", limit=per_hour, period=timedelta(hours=1))

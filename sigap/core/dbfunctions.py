"""Database functions for reading a year of rows as numbers, on SQLite as well as PostgreSQL.

Django's own date arithmetic runs on SQLite as Python callbacks, one call per row; this uses SQLite's built-in
julianday() instead, and reads datetimes as seconds since the epoch (no datetime object per value).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from django.db.models import FloatField, Func

# julianday() of 1970-01-01 00:00 UTC.
UNIX_EPOCH_JULIAN_DAY = 2440587.5


class EpochSeconds(Func):
    """Seconds since 1970-01-01 UTC of a datetime column, as a float (microseconds kept on PostgreSQL, about
    twenty microseconds on SQLite: far below what the dashboard reports)."""

    output_field = FloatField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"((julianday(%(expressions)s) - {UNIX_EPOCH_JULIAN_DAY}) * 86400.0)"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"
        return super().as_sql(compiler, connection, template=template, **extra)


def fixed_offset_seconds(zone: tzinfo, years: range = range(1970, 2100)) -> int | None:
    """The zone's offset from UTC in seconds if it is the same all year round, in January and July of every year
    in `years` (Indonesia's zones have had no daylight saving since 1964); None otherwise."""
    offsets = {
        zone.utcoffset(datetime(year, month, 1, tzinfo=UTC).astimezone(zone).replace(tzinfo=None))
        for year in years
        for month in (1, 7)
    }
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return None if offset is None else int(offset.total_seconds())

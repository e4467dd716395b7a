"""The four-monthly reporting periods of the Rencana Aksi Terpadu: B.04 (January-April), B.08 (May-August),
B.12 (September-December), sent via Kesbangpol to Ditjen Polpum Kemendagri. Pure; tested without the database."""

from __future__ import annotations

from datetime import date, timedelta

PERIODS = ("B.04", "B.08", "B.12")


def period_of(day: date) -> str:
    return PERIODS[(day.month - 1) // 4]


def period_bounds(year: int, code: str) -> tuple[date, date]:
    """First and last day of a period."""
    if code not in PERIODS:
        raise ValueError(f"A period is one of {', '.join(PERIODS)}")
    start_month = PERIODS.index(code) * 4 + 1
    start = date(year, start_month, 1)
    end = date(year + 1, 1, 1) if code == "B.12" else date(year, start_month + 4, 1)
    return start, end - timedelta(days=1)

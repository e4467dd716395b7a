"""The working-day calendar of the end-to-end clock (pure: no Django; holidays and weekdays are parameters).

Deadlines count whole working days, as LAPOR! and Permen PANRB 62/2018 do: "3 hari kerja" after something
that happened on Friday afternoon ends at the close of Wednesday. A start on a day off counts from the next
working day. Durations are measured in working hours within working days, so a weekend does not make an
agency look slow.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

MON_TO_FRI = frozenset({0, 1, 2, 3, 4})


@dataclass(frozen=True)
class Calendar:
    holidays: frozenset[date] = field(default_factory=frozenset)
    weekdays: frozenset[int] = MON_TO_FRI  # Monday 0 ... Sunday 6

    @classmethod
    def of(cls, holidays: Collection[date], weekdays: Collection[int] = MON_TO_FRI) -> Calendar:
        return cls(frozenset(holidays), frozenset(weekdays))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, otherwise the first one after it."""
        if not self.weekdays:
            raise ValueError("A calendar needs at least one working weekday")
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n >= 0; n == 0 is `day` or the next working day)."""
        if n < 0:
            raise ValueError("n must not be negative")
        current = day
        for _ in range(n):
            current = self.next_working_day(current + timedelta(days=1))
        return self.next_working_day(current) if n == 0 else current

    def deadline(self, start: datetime, n: int, tz: tzinfo) -> datetime:
        """The end (local midnight) of the n-th working day after `start`. A start on a day off counts the next
        working day as the first: 1 working day from Saturday ends with Monday, from Friday with Monday too."""
        local = start.astimezone(tz).date()
        if self.is_working_day(local):
            last = self.add_working_days(local, n)
        else:
            last = self.add_working_days(self.next_working_day(local), max(n - 1, 0))
        return datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 0 when end <= start."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def working_hours_between(self, start: datetime, end: datetime, tz: tzinfo) -> float:
        """Hours elapsed between two instants counting only the hours of working days (whole days, 24 h each)."""
        if end <= start:
            return 0.0
        a, b = start.astimezone(tz), end.astimezone(tz)
        total, day = 0.0, a.date()
        while day <= b.date():
            if self.is_working_day(day):
                lo = max(a, datetime.combine(day, time.min, tzinfo=tz))
                hi = min(b, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz))
                total += max((hi - lo).total_seconds(), 0.0) / 3600
            day += timedelta(days=1)
        return total

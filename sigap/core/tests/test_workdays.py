"""The working-day calendar (pure), with the 2020 holidays shipped in the repository."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sigap.core.calendar import DEFAULT_HOLIDAYS
from sigap.core.workdays import Calendar

WIB = ZoneInfo("Asia/Jakarta")


def shipped() -> Calendar:
    days = [date.fromisoformat(line.split(",")[0]) for line in DEFAULT_HOLIDAYS.read_text().splitlines()[1:]]
    return Calendar.of(days)


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=WIB)


def test_three_working_days_from_friday_afternoon_end_with_wednesday():
    cal = Calendar.of([])
    friday = datetime(2020, 11, 27, 16, 0, tzinfo=WIB)
    assert cal.deadline(friday, 3, WIB) == end_of(date(2020, 12, 2))


def test_the_pilkada_holiday_and_the_weekend_do_not_count():
    cal = shipped()
    assert not cal.is_working_day(date(2020, 12, 9))  # Keppres 22/2020
    tuesday = datetime(2020, 12, 8, 10, 0, tzinfo=WIB)
    # Thu 10, Fri 11, Mon 14
    assert cal.deadline(tuesday, 3, WIB) == end_of(date(2020, 12, 14))
    # Christmas and the moved Idulfitri leave close the year: five working days from 23 Dec end on 8 January
    assert cal.deadline(datetime(2020, 12, 23, 9, tzinfo=WIB), 5, WIB) == end_of(date(2021, 1, 8))


def test_a_start_on_a_day_off_counts_from_the_next_working_day():
    cal = Calendar.of([])
    saturday = datetime(2020, 11, 28, 9, 0, tzinfo=WIB)
    assert cal.deadline(saturday, 1, WIB) == end_of(date(2020, 11, 30))
    assert cal.deadline(saturday, 0, WIB) == end_of(date(2020, 11, 30))
    assert cal.deadline(datetime(2020, 11, 30, 9, tzinfo=WIB), 0, WIB) == end_of(date(2020, 11, 30))


def test_working_hours_skip_the_weekend():
    cal = Calendar.of([])
    friday_noon = datetime(2020, 11, 27, 12, 0, tzinfo=WIB)
    monday_noon = datetime(2020, 11, 30, 12, 0, tzinfo=WIB)
    assert cal.working_hours_between(friday_noon, monday_noon, WIB) == pytest.approx(24.0)
    assert cal.working_days_between(date(2020, 11, 27), date(2020, 11, 30)) == 1


def test_a_week_without_working_days_is_refused():
    with pytest.raises(ValueError):
        Calendar.of([], weekdays=[]).next_working_day(date(2020, 1, 1))


@given(
    start=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2021, 12, 1)),  # noqa: DTZ001 - naive bounds
    n=st.integers(min_value=1, max_value=30),
)
def test_a_deadline_ends_a_working_day_after_exactly_n_of_them(start, n):
    cal = shipped()
    start = start.replace(tzinfo=WIB)
    end = cal.deadline(start, n, WIB)
    last = (end - timedelta(days=1)).date()
    assert end.time() == datetime.min.time() and cal.is_working_day(last)
    first = start.date() if cal.is_working_day(start.date()) else cal.next_working_day(start.date())
    counted = cal.working_days_between(first, last) + (0 if cal.is_working_day(start.date()) else 1)
    assert counted == n


@pytest.mark.django_db
def test_a_new_deployment_starts_with_the_shipped_holidays_and_admins_add_more(tmp_path):
    from django.core.management import call_command

    from sigap.core.calendar import deadline, working_calendar
    from sigap.core.models import PublicHoliday

    assert PublicHoliday.objects.filter(day=date(2020, 12, 9)).exists()  # loaded by the migration
    local = tmp_path / "lokal.csv"
    local.write_text("date,name,kind\n2020-12-14,Hari jadi kota (contoh),local\n", encoding="utf-8")
    call_command("holidays", "load", str(local), verbosity=0)
    assert not working_calendar().is_working_day(date(2020, 12, 14))
    # from Tuesday 8 Dec: Thu 10, Fri 11, (Mon 14 is now off) Tue 15
    assert deadline(datetime(2020, 12, 8, 10, tzinfo=WIB), 3) == end_of(date(2020, 12, 15))
    bad = tmp_path / "bad.csv"
    bad.write_text("date,name,kind\n2020-13-01,x,local\n", encoding="utf-8")
    with pytest.raises(Exception, match="ISO dates"):
        call_command("holidays", "load", str(bad), verbosity=0)

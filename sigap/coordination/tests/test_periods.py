from datetime import date

import pytest

from sigap.coordination.periods import period_bounds, period_of


def test_the_four_monthly_periods_of_the_action_plan():
    assert [period_of(date(2020, m, 15)) for m in (1, 4, 5, 8, 9, 12)] == [
        "B.04",
        "B.04",
        "B.08",
        "B.08",
        "B.12",
        "B.12",
    ]
    assert period_bounds(2020, "B.04") == (date(2020, 1, 1), date(2020, 4, 30))
    assert period_bounds(2020, "B.08") == (date(2020, 5, 1), date(2020, 8, 31))
    assert period_bounds(2020, "B.12") == (date(2020, 9, 1), date(2020, 12, 31))
    with pytest.raises(ValueError):
        period_bounds(2020, "B.06")

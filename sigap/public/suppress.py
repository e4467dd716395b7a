"""Small counts on the public page are suppressed so that no one can be singled out (pure; tested without the
database). A count of 1 to 4 shows as "<5". The page also shows each kecamatan's total and the city's, and a reader
can subtract the shown cells from a total: whenever that would pin a hidden count to one value (a lone hidden cell,
two hidden cells that add up to 8, a hidden 1 beside a hidden 5 ...), the smallest other cells are hidden as well
("\u22655"), and where no cell is left to hide, the total itself. Zeros stay visible: "<5" means 1 to 4."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

THRESHOLD = 5
HIDDEN = "<5"
HIDDEN_LARGE = f"\u2265{THRESHOLD}"


def shown(value: int) -> str:
    return HIDDEN if 0 < value < THRESHOLD else str(value)


def _hidden_as(value: int) -> str:
    return HIDDEN if value < THRESHOLD else HIDDEN_LARGE


def _pinned(values: Sequence[int], hidden: Collection[int], protected: Collection[int]) -> bool:
    """Whether the published total pins a protected hidden cell to a single value. A reader knows the sum of the
    hidden cells (the total minus the shown ones) and each one's range (1-4 for "<5", 5 or more for "\u22655");
    within a box under a fixed sum, each cell can take every whole value between the bounds below."""
    total = sum(values[i] for i in hidden)
    low = {i: 1 if values[i] < THRESHOLD else THRESHOLD for i in hidden}
    high = {i: THRESHOLD - 1 if values[i] < THRESHOLD else total for i in hidden}  # no cell exceeds the sum
    sum_low, sum_high = sum(low.values()), sum(high.values())
    for i in protected:
        least = max(low[i], total - (sum_high - high[i]))
        most = min(high[i], total - (sum_low - low[i]))
        if least == most:
            return True
    return False


@dataclass(frozen=True)
class Group:
    cells: list[str]
    total_hidden: bool  # no cell was left to hide: the group's total must not be published as it is


def suppress_group(values: Sequence[int], also_hidden: Collection[int] = ()) -> Group:
    """One group's cells under a published total: the small counts hidden (and `also_hidden`, whatever their size),
    then the smallest larger ones until the total pins none of those."""
    protected = {i for i, v in enumerate(values) if 0 < v < THRESHOLD} | set(also_hidden)
    hidden = set(protected)
    while _pinned(values, hidden, protected):
        others = [i for i, v in enumerate(values) if v >= THRESHOLD and i not in hidden]
        if not others:
            return Group(_cells(values, hidden), total_hidden=True)
        hidden.add(min(others, key=lambda i: (values[i], i)))
    return Group(_cells(values, hidden), total_hidden=False)


def _cells(values: Sequence[int], hidden: Collection[int]) -> list[str]:
    return [_hidden_as(v) if i in hidden else str(v) for i, v in enumerate(values)]


@dataclass(frozen=True)
class Table:
    cells: list[list[str]]  # per group (kecamatan), per area (kelurahan)
    group_totals: list[str]
    total: str


def suppress_table(groups: Sequence[Sequence[int]]) -> Table:
    """One column of the public table: areas in groups, each group's total, and the grand total, all published.

    The groups' totals are themselves cells under the grand total: a group whose cells could not protect
    themselves has its total hidden there, and that hidden total gets company like any other."""
    inner = [suppress_group(values) for values in groups]
    sums = [sum(values) for values in groups]
    outer = suppress_group(sums, also_hidden=[i for i, g in enumerate(inner) if g.total_hidden])
    grand = sum(sums)
    # Nothing above the grand total protects it: hidden where it is small or its groups could not be protected.
    total = _hidden_as(grand) if outer.total_hidden or 0 < grand < THRESHOLD else str(grand)
    return Table([g.cells for g in inner], outer.cells, total)

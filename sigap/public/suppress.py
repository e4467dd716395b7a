"""Small counts on the public page are suppressed so that no one can be singled out (pure; tested without the
database). A count of 1 to 4 shows as "<5"; when a group (a kecamatan) has exactly one such cell, the smallest
other non-zero cell of that group is hidden too, so the shown total does not give the hidden one away."""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 5
HIDDEN = "<5"


def shown(value: int) -> str:
    return HIDDEN if 0 < value < THRESHOLD else str(value)


def suppress_group(values: Sequence[int]) -> list[str]:
    """One group's cells: primary suppression of small counts, then a complementary one when needed."""
    out = [shown(v) for v in values]
    primary = [i for i, v in enumerate(values) if 0 < v < THRESHOLD]
    if len(primary) == 1:
        others = [i for i, v in enumerate(values) if v >= THRESHOLD]
        if others:
            smallest = min(others, key=lambda i: values[i])
            out[smallest] = f"\u2265{THRESHOLD}"
    return out

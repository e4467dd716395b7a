from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from sigap.public.suppress import HIDDEN, HIDDEN_LARGE, shown, suppress_group, suppress_table


def test_small_counts_are_hidden_and_a_lone_one_gets_company():
    assert [shown(v) for v in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    # one small cell in the group: the smallest other visible cell is hidden too, so the total gives nothing away
    assert suppress_group([3, 9, 6, 0]).cells == ["<5", "9", "\u22655", "0"]
    # two small cells already hide each other
    assert suppress_group([3, 2, 6]).cells == ["<5", "<5", "6"]
    assert suppress_group([0, 0]).cells == ["0", "0"]


def test_hidden_cells_whose_sum_pins_them_get_company():
    # Seen on the demo's public page: two hidden cells and a total that leaves 8 for them, so both were 4.
    assert suppress_group([4, 14, 10, 11, 4, 6]).cells == ["<5", "14", "10", "11", "<5", "\u22655"]
    # Two hidden ones adding up to 2 are both 1.
    assert suppress_group([1, 1, 9]).cells == ["<5", "<5", "\u22655"]
    # A hidden 1 beside a hidden 5 (sum 6, the 5 at least 5) is still pinned: a third cell joins.
    assert suppress_group([1, 5, 7, 20]).cells == ["<5", "\u22655", "\u22655", "20"]


def test_a_group_that_cannot_protect_itself_hides_its_total_which_gets_company():
    table = suppress_table([[4, 4, 0], [10, 12], [30, 6]])
    assert table.cells == [["<5", "<5", "0"], ["10", "12"], ["30", "6"]]
    # 8 left for the first kecamatan's two hidden cells would pin them: its total is hidden, and so is the
    # next smallest kecamatan total, so that the city total does not give the hidden one back.
    assert table.group_totals == ["\u22655", "\u22655", "36"]
    assert table.total == "66"
    assert suppress_table([[1, 0], [2]]).total == HIDDEN


def _ranges(values: list[int], cells: list[str], total: int | None) -> list[set[int]]:
    """What a reader can tell about each cell from the shown cells and the total (None: not published), by brute
    force over every combination of the hidden cells (a bigger count than the total is impossible)."""
    hidden = [i for i, c in enumerate(cells) if c in (HIDDEN, HIDDEN_LARGE)]
    options = [range(1, 5) if cells[i] == HIDDEN else range(5, max(values) + 10) for i in hidden]
    shown_sum = sum(v for i, v in enumerate(values) if i not in hidden)
    seen: list[set[int]] = [set() for _ in values]
    for combo in product(*options):
        if total is not None and shown_sum + sum(combo) != total:
            continue
        for i, v in zip(hidden, combo, strict=True):
            seen[i].add(v)
    return seen


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=6))
def test_no_hidden_small_count_can_be_worked_out_from_the_total(values):
    group = suppress_group(values)
    seen = _ranges(values, group.cells, None if group.total_hidden else sum(values))
    for value, cell, possible in zip(values, group.cells, seen, strict=True):
        if 0 < value < 5:
            assert cell == HIDDEN and len(possible) > 1, (values, group)
        elif cell not in (HIDDEN, HIDDEN_LARGE):
            assert cell == str(value)

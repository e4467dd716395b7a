from sigap.public.suppress import shown, suppress_group


def test_small_counts_are_hidden_and_a_lone_one_gets_company():
    assert [shown(v) for v in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    # one small cell in the group: the smallest other visible cell is hidden too, so the total gives nothing away
    assert suppress_group([3, 9, 6, 0]) == ["<5", "9", "\u22655", "0"]
    # two small cells already hide each other
    assert suppress_group([3, 2, 6]) == ["<5", "<5", "6"]
    assert suppress_group([0, 0]) == ["0", "0"]

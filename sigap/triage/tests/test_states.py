import pytest

from sigap.triage.choices import IncidentStatus as S
from sigap.triage.states import TRANSITIONS, TransitionError, check_transition


def test_every_status_has_a_row():
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("current", "target"), [(c, t) for c in S for t in S])
def test_the_table_is_the_rule(current, target):
    if target in TRANSITIONS[current]:
        check_transition(current, target)
    else:
        with pytest.raises(TransitionError):
            check_transition(current, target)


def test_resolved_cannot_skip_back_to_unverified():
    with pytest.raises(TransitionError, match="'resolved' to 'new'"):
        check_transition(S.RESOLVED, S.NEW)

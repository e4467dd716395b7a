"""The case workflow as a plain transition table (tested without the database)."""

from __future__ import annotations

from sigap.cases.choices import CaseStatus as S

TRANSITIONS: dict[S, set[S]] = {
    S.OPEN: {S.ACKNOWLEDGED, S.IN_PROGRESS},  # the first action acknowledges too
    S.ACKNOWLEDGED: {S.IN_PROGRESS},
    S.IN_PROGRESS: {S.RESOLUTION_PROPOSED},
    S.RESOLUTION_PROPOSED: {S.RESOLVED, S.IN_PROGRESS},  # an analyst confirms, or sends it back
    S.RESOLVED: {S.IN_PROGRESS},  # reopened: the problem came back
}


class CaseTransitionError(ValueError):
    def __init__(self, current: S, target: S) -> None:
        super().__init__(f"A case cannot go from {current.value!r} to {target.value!r}")
        self.current, self.target = current, target


def check_transition(current: S, target: S) -> None:
    if target not in TRANSITIONS[current]:
        raise CaseTransitionError(current, target)

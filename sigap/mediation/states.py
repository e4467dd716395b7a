"""The mediation workflow as a plain transition table (tested without the database)."""

from __future__ import annotations

from sigap.mediation.choices import MediationStatus as S

TRANSITIONS: dict[S, set[S]] = {
    S.PREPARING: {S.IN_SESSION, S.WITHDRAWN},
    S.IN_SESSION: {S.AGREED, S.FAILED, S.WITHDRAWN},
    S.AGREED: {S.FULFILLED, S.IN_SESSION},  # every commitment kept; or talks again after a relapse
    S.FULFILLED: {S.IN_SESSION},  # a relapse long after: talks again
    S.FAILED: {S.IN_SESSION},  # another attempt
    S.WITHDRAWN: set(),
}


class MediationTransitionError(ValueError):
    def __init__(self, current: S, target: S) -> None:
        super().__init__(f"A mediation cannot go from {current.value!r} to {target.value!r}")
        self.current, self.target = current, target


def check_transition(current: S, target: S) -> None:
    if target not in TRANSITIONS[current]:
        raise MediationTransitionError(current, target)

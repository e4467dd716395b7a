"""The incident workflow as a plain transition table (tested without the database)."""

from __future__ import annotations

from sigap.triage.choices import IncidentStatus as S

TRANSITIONS: dict[S, set[S]] = {
    S.NEW: {S.VERIFIED, S.NOT_CONFLICT, S.HOAX, S.DUPLICATE},
    S.VERIFIED: {S.RESOLVED, S.DUPLICATE},
    S.RESOLVED: {S.VERIFIED},  # reopened: the problem came back
    S.NOT_CONFLICT: {S.NEW},
    S.HOAX: {S.NEW},
    S.DUPLICATE: {S.NEW},
}


class TransitionError(ValueError):
    def __init__(self, current: S, target: S) -> None:
        super().__init__(f"An incident cannot go from {current.value!r} to {target.value!r}")
        self.current, self.target = current, target


def check_transition(current: S, target: S) -> None:
    if target not in TRANSITIONS[current]:
        raise TransitionError(current, target)

"""Reads of the mediation room: workload and outcomes of mediators and facilitators, for the team's reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sigap.mediation.choices import MediationStatus


@dataclass
class Workload:
    who: Any
    active: int = 0
    agreed: int = 0
    fulfilled: int = 0
    failed: int = 0
    sessions_held: int = 0
    relapses: int = 0

    @property
    def total(self) -> int:
        return self.active + self.fulfilled + self.failed


ACTIVE = {MediationStatus.PREPARING, MediationStatus.IN_SESSION, MediationStatus.AGREED}


def workload(mediations: Any) -> tuple[list[Workload], list[Workload]]:
    """Per mediator account and per facilitator (community leader): mediations by outcome, sessions, relapses.
    Five queries whatever the number of mediations."""
    by_mediator: dict[int, Workload] = {}
    by_facilitator: dict[int, Workload] = {}
    rows = mediations.select_related("mediator").prefetch_related("facilitators", "sessions", "relapses")
    for m in rows:
        targets = []
        if m.mediator_id:
            targets.append(by_mediator.setdefault(m.mediator_id, Workload(m.mediator)))
        targets += [by_facilitator.setdefault(p.pk, Workload(p)) for p in m.facilitators.all()]
        held = sum(1 for s in m.sessions.all() if s.held)
        for w in targets:
            w.active += m.status in ACTIVE
            w.agreed += m.status in (MediationStatus.AGREED, MediationStatus.FULFILLED)
            w.fulfilled += m.status == MediationStatus.FULFILLED
            w.failed += m.status == MediationStatus.FAILED
            w.sessions_held += held
            w.relapses += len(m.relapses.all())

    def order(ws: dict[int, Workload]) -> list[Workload]:
        return sorted(ws.values(), key=lambda w: (-w.active, -w.total, str(w.who)))

    return order(by_mediator), order(by_facilitator)


def status_counts(mediations: Any) -> list[tuple[str, int]]:
    """(label, number) for every mediation status, in the order of the workflow."""
    counts: dict[str, int] = defaultdict(int)
    for status in mediations.values_list("status", flat=True):
        counts[status] += 1
    return [(str(s.label), counts.get(s.value, 0)) for s in MediationStatus]

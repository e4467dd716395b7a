"""Langkah yang disepakati: the response plans agreed beforehand, offered when a case is opened from an alert or an
incident, and turned into the case's tasks (who does what by when)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from sigap.cases.models import Case, ResponsePlan, ResponseStep
from sigap.cases.services import CaseRuleError, task_add
from sigap.core.services import audit_record
from sigap.directory.models import Organisation
from sigap.regions.models import Region


@dataclass(frozen=True)
class PlannedStep:
    step: ResponseStep
    owner: Organisation | None  # None: no organisation of that kind covers the place (the page says so)
    due_at: datetime


def plans_for(*, level: int | None, categories: set[str]) -> list[ResponsePlan]:
    """The active plans that fit: an alert's level at or above the plan's (an incident has none: `level` None), and
    one of the categories, unless the plan names none."""
    plans = ResponsePlan.objects.filter(active=True).prefetch_related("steps__organisation")
    if level is not None:
        plans = plans.filter(min_level__lte=level)
    return [p for p in plans if not p.categories or categories & set(p.categories)]


def step_owner(step: ResponseStep, region: Region | None) -> Organisation | None:
    """The step's organisation, or the active one of its kind whose areas cover the place most closely (the
    kecamatan's Polsek before the city's Polres)."""
    if step.organisation is not None:
        return step.organisation
    if region is None:
        return None
    codes = [region.code[:n] for n in range(len(region.code), 0, -1) if n == len(region.code) or region.code[n] == "."]
    candidates = (
        Organisation.objects.filter(kind=step.organisation_kind, active=True, areas__code__in=codes)
        .prefetch_related("areas")
        .distinct()
    )
    ranked = sorted(candidates, key=lambda o: (-max(len(a.code) for a in o.areas.all() if a.code in codes), o.name))
    return ranked[0] if ranked else None


def planned_steps(plan: ResponsePlan, region: Region | None, at: datetime) -> list[PlannedStep]:
    return [
        PlannedStep(step, step_owner(step, region), at + timedelta(hours=step.due_hours)) for step in plan.steps.all()
    ]


def plan_lead(steps: list[PlannedStep]) -> Organisation | None:
    """The organisation the plan says leads, else the first step's."""
    leading = next((s.owner for s in steps if s.step.leads and s.owner is not None), None)
    return leading or next((s.owner for s in steps if s.owner is not None), None)


@transaction.atomic
def plan_apply(*, case: Case, plan: ResponsePlan, step_ids: set[int], actor: Any, at: datetime) -> list[Any]:
    """The chosen steps of the plan as the case's tasks, each to its owner by its hour; audited once."""
    steps = [s for s in planned_steps(plan, case.region, at) if s.step.pk in step_ids]
    missing = [s.step.action for s in steps if s.owner is None]
    if missing:
        raise CaseRuleError(f"Tidak ada instansi untuk langkah: {'; '.join(missing)}")
    tasks = [
        task_add(case=case, title=s.step.action, owner=s.owner, due_at=s.due_at, actor=actor, at=at)
        for s in steps
        if s.owner is not None
    ]
    audit_record(
        actor=actor,
        action="case.plan_applied",
        target=case,
        details={"plan": plan.pk, "name": plan.name, "steps": sorted(step_ids)},
    )
    return tasks

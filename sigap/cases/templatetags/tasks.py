"""{{ task|finishable_by:user }}: whether this reader is offered the form that reports a task done or cancelled;
{{ task|reschedulable_by:user }}: the link that moves its deadline or hands it over."""

from __future__ import annotations

from typing import Any

from django import template

from sigap.cases.models import Task

register = template.Library()


@register.filter
def finishable_by(task: Task, user: Any) -> bool:
    return task.finishable_by(user)


@register.filter
def reschedulable_by(task: Task, user: Any) -> bool:
    return task.reschedulable_by(user)


@register.filter
def transferable_by(task: Task, user: Any) -> bool:
    return task.transferable_by(user)

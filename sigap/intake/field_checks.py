"""A monitor's answer to the team's field check (cek lapangan), on the web or by SMS. The question is asked from the
incident's page (triage.field_checks); the incident's timeline is written by whoever registered with
`on_field_check_answered`, so that intake does not import triage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from sigap.core.services import audit_record
from sigap.intake.choices import FieldAnswer
from sigap.intake.models import FieldCheck

AnsweredHook = Callable[[FieldCheck], None]
_answered_hooks: list[AnsweredHook] = []
NOTE_LIMIT = 1000


class FieldCheckError(ValueError):
    pass


def on_field_check_answered(hook: AnsweredHook) -> None:
    """Triage writes the answer on the incident's timeline and tells the analyst who asked."""
    if hook not in _answered_hooks:
        _answered_hooks.append(hook)


def checks_open_for(*, user: Any = None, person: Any = None) -> Any:
    """The questions waiting for this monitor's answer, on incidents still open, oldest first; one answered "cannot
    be confirmed yet" stays, for the answer once they have been there."""
    unanswered = Q(answered_at=None) | Q(answer=FieldAnswer.UNSURE)
    checks = FieldCheck.objects.filter(unanswered, incident__closed_at=None)
    checks = checks.filter(reporter=user) if user is not None else checks.filter(person=person)
    return checks.select_related("incident__region").order_by("asked_at", "pk")


@transaction.atomic
def field_check_answer(
    *, check: FieldCheck, answer: str, note: str, via: str, actor: Any = None, at: datetime | None = None
) -> FieldCheck:
    """Record what the monitor found. Answered again (BELUM, then YA once they have been there), the later answer
    stands and the timeline keeps both. Refused once the incident is closed: the team decided without it."""
    at = at or timezone.now()
    check = FieldCheck.objects.select_for_update(of=("self",)).select_related("incident").get(pk=check.pk)
    if answer not in FieldAnswer.values:
        raise FieldCheckError(gettext("Choose true, not true or cannot be confirmed yet"))
    if check.incident.closed_at is not None:
        raise FieldCheckError(gettext("The incident is closed: the team decided without this answer"))
    check.answer, check.answer_note = answer, note.strip()[:NOTE_LIMIT]
    check.answered_at, check.answered_via = at, via
    check.save(update_fields=["answer", "answer_note", "answered_at", "answered_via"])
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="field_check.answered",
        target=check,
        details={"answer": answer, "via": via, "incident": check.incident_id},
    )
    for hook in _answered_hooks:
        hook(check)
    return check

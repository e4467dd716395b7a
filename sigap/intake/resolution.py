"""The reporter's word on the team's resolution: "is the problem you reported really settled?", asked on the receipt
page (a trusted reporter's too) for SIGAP_RESOLUTION_ANSWER_DAYS after the incident is resolved. Sampai tuntas is
the reporter's to judge as much as the team's: LAPOR! asks the complainant, FixMyStreet asks "has this been fixed?".

A "not yet" goes to the secretariat (after quiet hours) and waits for an analyst, who reopens the incident or
answers the reporter why it stays resolved (triage.resolution). The reporter's words join the report's conversation,
so the team owes them an answer as for any message. The incident's timeline is written by whoever registered with
`on_resolution_answered`, so that intake does not import triage."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sigap.core.services import audit_record
from sigap.intake.choices import MessageDirection
from sigap.intake.models import INCIDENT_RESOLVED, Report, ResolutionAnswer
from sigap.intake.services import reporter_message_post

AnsweredHook = Callable[[ResolutionAnswer], None]
_answered_hooks: list[AnsweredHook] = []
NOTE_LIMIT = 2000


class ResolutionAnswerRefused(ValueError):
    pass


def on_resolution_answered(hook: AnsweredHook) -> None:
    """Triage writes the answer on the incident's timeline."""
    if hook not in _answered_hooks:
        _answered_hooks.append(hook)


def reports_asked(reports: Iterable[Report], now: datetime | None = None) -> set[int]:
    """The ids of those reports whose reporter the receipt page asks about the resolution now: the incident is
    resolved, within the days to answer, and they have not answered about this resolution. One query for any
    number of reports (a trusted reporter's home lists twenty; an SMS is matched against the sender's latest)."""
    now = now or timezone.now()
    window = timedelta(days=settings.SIGAP_RESOLUTION_ANSWER_DAYS)
    in_window = {
        report.pk
        for report in reports
        if (incident := report.incident) is not None
        and incident.status == INCIDENT_RESOLVED
        and incident.closed_at is not None
        and now - incident.closed_at <= window
    }
    if not in_window:
        return set()
    answered = ResolutionAnswer.objects.current().filter(report_id__in=in_window).values_list("report_id", flat=True)
    return in_window - set(answered)


def resolution_asked(report: Report, now: datetime | None = None) -> bool:
    """reports_asked for one report."""
    return report.pk in reports_asked([report], now)


def resolution_answer_current(report: Report) -> ResolutionAnswer | None:
    """The reporter's answer about the resolution in force, if any."""
    incident = report.incident
    if incident is None or incident.status != INCIDENT_RESOLVED or incident.closed_at is None:
        return None
    return report.resolution_answers.filter(resolved_at=incident.closed_at).first()


@transaction.atomic
def resolution_answer_give(
    *, report: Report, settled: bool, note: str, actor: Any = None, at: datetime | None = None
) -> ResolutionAnswer:
    """Record the reporter's answer. "Not yet" puts their words in the conversation (the team owes an answer) and
    tells the secretariat, without the receipt or the words (the notice may leave Sigap by SMS or e-mail)."""
    from sigap.notify.services import public_link, queue_to_secretariat

    at = at or timezone.now()
    note = note.strip()[:NOTE_LIMIT]
    # The row lock makes two answers sent at once (two tabs, a double tap) one answer and one refusal.
    report = Report.objects.select_for_update(of=("self",)).select_related("incident", "region").get(pk=report.pk)
    if not resolution_asked(report, at):
        raise ResolutionAnswerRefused(
            gettext("This report is not waiting for your word on its resolution; write to the team instead.")
        )
    incident = report.incident
    resolved_at = incident.closed_at if incident is not None else None
    if incident is None or resolved_at is None:  # resolution_asked said so; narrowed for the type checker
        raise ResolutionAnswerRefused(gettext("The report is in no resolved incident"))
    answer = ResolutionAnswer.objects.create(
        report=report, resolved_at=resolved_at, settled=settled, note=note, answered_at=at
    )
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="report.resolution_confirmed" if settled else "report.resolution_disputed",
        target=report,
        details={"incident": incident.pk, "with_words": bool(note)},
    )
    if not settled:
        if note:
            body = f"Masalahnya belum selesai: {note}"
            reporter_message_post(report=report, body=body, direction=MessageDirection.FROM_REPORTER, at=at)
        days = (at - resolved_at).days
        when = "hari yang sama" if days < 1 else f"{days} hari"
        where = f" di {report.region.name}" if report.region else ""
        queue_to_secretariat(
            purpose="incident",
            subject=f"[Kejadian #{incident.pk}] Pelapor: masalah belum selesai",
            body=(
                f"Seorang pelapor kejadian #{incident.pk}{where} menyatakan masalahnya belum selesai ({when} setelah "
                "dinyatakan selesai). Buka kembali kejadiannya, atau jawab pelapor mengapa tetap selesai. Kata-kata "
                "pelapor tidak dikirim lewat pemberitahuan ini.\n(A reporter says the problem is not settled.)\n"
                + public_link("triage:incident_detail", incident.pk)
            ),
            key=f"report{report.pk}:unsettled:{answer.pk}",
            at=at,
            # Not an emergency (the form sends those to a new report or 110): the morning's desk reads it.
            can_wait=True,
        )
    for hook in _answered_hooks:
        hook(answer)
    return answer

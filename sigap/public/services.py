"""Publishing and withdrawing what the public reads: warnings and clarifications (audited)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sigap.alerts.models import Alert
from sigap.core.services import audit_record
from sigap.notify.models import Notification
from sigap.notify.services import area_reporter_channels_in, public_link, queue_to
from sigap.public.models import Clarification, PublicWarning
from sigap.regions.models import Region
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident
from sigap.triage.services import incident_record, incident_tell_reporters


class PublicWarningError(ValueError):
    pass


@transaction.atomic
def warning_publish(
    *,
    actor: Any,
    regions: Iterable[Region],
    level: int,
    headline: str,
    description: str,
    instruction: str,
    hours: int = 24,
    alert: Alert | None = None,
    at: datetime | None = None,
) -> PublicWarning:
    at = at or timezone.now()
    areas = list(regions)
    if not areas:
        raise PublicWarningError(gettext("A warning names the areas it is for"))
    if not (headline.strip() and description.strip() and instruction.strip()):
        raise PublicWarningError(gettext("A warning needs a headline, what is happening and what to do"))
    if not 1 <= hours <= 24 * 14:
        raise PublicWarningError(gettext("A warning is valid for 1 hour to 14 days"))
    warning = PublicWarning.objects.create(
        alert=alert,
        level=level,
        headline=headline.strip()[:160],
        description=description.strip(),
        instruction=instruction.strip(),
        issued_at=at,
        expires_at=at + timedelta(hours=hours),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    warning.regions.set(areas)
    audit_record(actor=actor, action="public_warning.published", target=warning)
    return warning


@transaction.atomic
def warning_cancel(*, warning: PublicWarning, actor: Any, note: str) -> PublicWarning:
    if warning.cancelled_at is not None:
        raise PublicWarningError(gettext("Already cancelled"))
    if not note.strip():
        raise PublicWarningError(gettext("Say why the warning is withdrawn"))
    warning.cancelled_at = timezone.now()
    warning.cancel_note = note.strip()[:300]
    warning.save()
    audit_record(actor=actor, action="public_warning.cancelled", target=warning)
    return warning


class ClarificationError(ValueError):
    """A clarification the rules do not allow; the message is said to the analyst."""


CLAIM_MAX, FINDING_MAX = 300, 2000


@transaction.atomic
def clarification_publish(
    *, incident: Incident, actor: Any, claim: str, finding: str, at: datetime | None = None
) -> Clarification:
    """Tell the public that a rumour is untrue. Only an incident decided a hoax has one (one in force at a time);
    its timeline says so, and its reporters get the link to pass on to the groups where they heard the rumour."""
    at = at or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != IncidentStatus.HOAX:
        raise ClarificationError(gettext("Only an incident decided a hoax gets a public clarification"))
    claim, finding = claim.strip(), finding.strip()
    if not claim or not finding:
        raise ClarificationError(gettext("Say what is going round and what the team found"))
    if len(claim) > CLAIM_MAX or len(finding) > FINDING_MAX:
        raise ClarificationError(gettext("Keep it short: what is going round in 300 characters, the finding in 2,000"))
    if incident.clarifications.in_force().exists():
        raise ClarificationError(gettext("A clarification of this incident is published: withdraw it to write another"))
    clarification = Clarification.objects.create(
        incident=incident,
        region=incident.region,
        claim=claim,
        finding=finding,
        published_at=at,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="clarification.published", target=clarification)
    incident_record(incident=incident, actor=actor, verb="clarified", note=claim, at=at)
    link = public_link("public:clarification", clarification.pk)
    # Short, and the link last but whole within one SMS (a reporter who wrote by SMS gets only that).
    words = f"Kabar ini tidak benar. Teruskan klarifikasi tim terpadu ke grup asal kabar: {link}"
    incident_tell_reporters(incident=incident, words=words, at=at, bilingual=False)
    _ask_area_reporters(clarification, link, at)
    return clarification


def _ask_area_reporters(clarification: Clarification, link: str, at: datetime) -> None:
    """The trusted reporters of the kelurahan (tokoh, RT/RW, Babinsa, Bhabinkamtibmas) are in the groups where a
    rumour goes round and are believed there: they get the clarification to pass on, as they get early warnings."""
    if clarification.region is None:
        return
    where = clarification.region.name
    queue_to(
        channels=area_reporter_channels_in([clarification.region.code]),
        purpose="clarification",
        subject=f"[Klarifikasi] Kabar tidak benar di {where}"[:200],
        body=(
            f"Kabar yang beredar di {where}: {clarification.claim}\n"
            f"Temuan tim terpadu: {clarification.finding}\n\n"
            "Mohon teruskan kepada warga dan grup di lingkungan Anda agar kabar itu berhenti.\n\n"
            f"A rumour in {where} was found untrue; please pass the clarification on.\n{link}"
        ),
        key=f"clarification{clarification.pk}",
        at=at,
        quiet_hours=True,  # as their early warnings: a tokoh is not woken for a rumour
    )


@transaction.atomic
def clarification_withdraw(
    *, clarification: Clarification, actor: Any, note: str, at: datetime | None = None
) -> Clarification:
    """Take a clarification off the public page; its own page says that it was withdrawn and why."""
    clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
    if clarification.withdrawn_at is not None:
        raise ClarificationError(gettext("Already withdrawn"))
    note = note.strip()
    if not note:
        raise ClarificationError(gettext("Say why the clarification is withdrawn"))
    clarification.withdrawn_at = at or timezone.now()
    clarification.withdraw_note = note[:300]
    clarification.save(update_fields=["withdrawn_at", "withdraw_note"])
    audit_record(actor=actor, action="clarification.withdrawn", target=clarification)
    if clarification.incident is not None:
        incident_record(
            incident=clarification.incident,
            actor=actor,
            verb="clarification_withdrawn",
            note=clarification.withdraw_note,
            at=clarification.withdrawn_at,
        )
    return clarification


_MESSAGE_KEY = re.compile(r"^clarification(\d+)(?::|$)")


def message_overtaken(notification: Notification) -> str:
    """A clarification withdrawn before its message to the kelurahan's reporters went (quiet hours hold it until
    the morning) is not passed on: it may have been withdrawn because it was wrong (notify.services.overtaken_by)."""
    found = _MESSAGE_KEY.match(notification.idempotency_key)
    if not found:
        return ""
    pk = int(found.group(1))
    withdrawn = Clarification.objects.filter(pk=pk, withdrawn_at__isnull=False).exists()
    return f"klarifikasi #{pk} sudah ditarik" if withdrawn else ""

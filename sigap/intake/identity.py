"""Four eyes on a reporter's identity (GlobaLeaks' identity custodian). In an election month a money-politics report
names a candidate's team, and an analyst may owe that team a favour; while someone holds the custodian flag (the head
of Bakesbangpol, say), an analyst asks to see a reporter's name and contact for a stated reason, and a custodian
other than the asker consents for IDENTITY_CONSENT_HOURS or refuses, saying why. Every step is audited; the reveal
itself stays report_identity_reveal's. Without custodians an analyst's stated reason suffices, as before."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sigap.core.roles import role_of
from sigap.core.services import audit_record
from sigap.intake.models import IdentityRequest, Report
from sigap.intake.services import IDENTITY_ROLES, IdentityAccessDenied, identity_custodians

IDENTITY_CONSENT_HOURS = 24
REASON_LIMIT = 1000


class IdentityRequestError(ValueError):
    pass


def _place(report: Report) -> str:
    where = f"kejadian #{report.incident_id}" if report.incident_id else "belum di kejadian"
    return f"laporan #{report.pk} ({where})"


@transaction.atomic
def identity_request(*, report: Report, user: Any, reason: str, at: datetime | None = None) -> IdentityRequest:
    """Ask the custodians; a request of this user for this report still waiting is returned, not repeated. The
    notice names the report and the asker, never the reason (it may leave Sigap by SMS or e-mail)."""
    from sigap.notify.services import public_link, queue_to

    at = at or timezone.now()
    reason = reason.strip()[:REASON_LIMIT]
    if role_of(user) not in IDENTITY_ROLES:
        audit_record(actor=user, action="report.identity_denied", target=report, details={"reason": reason})
        raise IdentityAccessDenied("This role may not see reporters' identities")
    if not reason:
        raise IdentityRequestError(gettext("Say why you need the reporter's identity"))
    deciders = [custodian for custodian in identity_custodians() if custodian.pk != user.pk]
    if not deciders:
        raise IdentityRequestError(
            gettext("No other identity custodian can consent: the administrator names another one")
        )
    waiting = IdentityRequest.objects.filter(report=report, requested_by=user, decided_at=None).first()
    if waiting is not None:
        return waiting
    request = IdentityRequest.objects.create(report=report, requested_by=user, reason=reason, requested_at=at)
    audit_record(actor=user, action="report.identity_requested", target=report, details={"request": request.pk})
    who = user.get_full_name() or user.get_username()
    queue_to(
        users=deciders,
        purpose="identity",
        subject=f"[Identitas pelapor] Permintaan dari {who}",
        body=(
            f"{who} meminta melihat nama dan kontak pelapor {_place(report)}. Alasannya dibaca di Sigap; putuskan "
            f"di sana.\n(An analyst asks to see a reporter's identity.)\n{public_link('intake:identity_requests')}"
        ),
        key=f"identity{request.pk}:asked",
        at=at,
    )
    return request


@transaction.atomic
def identity_request_decide(
    *, request: IdentityRequest, custodian: Any, grant: bool, note: str = "", at: datetime | None = None
) -> IdentityRequest:
    """A custodian other than the asker consents (for IDENTITY_CONSENT_HOURS) or refuses with a reason; the asker
    is told."""
    from sigap.notify.services import public_link, queue_to

    at = at or timezone.now()
    note = note.strip()[:REASON_LIMIT]
    request = IdentityRequest.objects.select_for_update(of=("self",)).select_related("report").get(pk=request.pk)
    if not (getattr(custodian, "identity_custodian", False) and custodian.is_active):
        raise IdentityAccessDenied("Only an identity custodian decides")
    if request.requested_by_id == custodian.pk:
        raise IdentityRequestError(gettext("Another custodian decides your own request"))
    if request.decided_at is not None:
        raise IdentityRequestError(gettext("This request was already decided"))
    if not grant and not note:
        raise IdentityRequestError(gettext("Say why the request is refused"))
    request.decided_by, request.decided_at, request.granted, request.decision_note = custodian, at, grant, note
    request.valid_until = at + timedelta(hours=IDENTITY_CONSENT_HOURS) if grant else None
    request.save(update_fields=["decided_by", "decided_at", "granted", "decision_note", "valid_until"])
    audit_record(
        actor=custodian,
        action="report.identity_consented" if grant else "report.identity_refused",
        target=request.report,
        details={"request": request.pk, "requested_by": request.requested_by_id, "note": note},
    )
    report = request.report
    if grant:
        until = timezone.localtime(request.valid_until or at)
        words = f"disetujui sampai {until:%d-%m %H.%M}; buka identitasnya di halaman kejadian"
    else:
        words = f"ditolak: {note}"
    link = public_link("triage:incident_detail", report.incident_id) if report.incident_id else ""
    queue_to(
        users=[request.requested_by],
        purpose="identity",
        subject=f"[Identitas pelapor] Laporan #{report.pk}: {'disetujui' if grant else 'ditolak'}",
        body=f"Permintaan Anda melihat identitas pelapor {_place(report)} {words}.\n{link}".strip(),
        key=f"identity{request.pk}:decided",
        at=at,
    )
    return request

"""Background jobs of intake. Arguments never carry plaintext contacts (the queue table is not encrypted)."""

from __future__ import annotations

import hashlib
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# Django 5.2 LTS: the django-tasks backport. On Django 6 this import becomes `from django.tasks import task`.
from django_tasks import task

from sigap.core.crypto import normalise_contact
from sigap.core.services import audit_record
from sigap.intake.importer import import_triage
from sigap.intake.models import Report
from sigap.notify.services import MAX_ATTEMPTS, backoff
from sigap.notify.transports.base import TransportError, post_json

log = logging.getLogger(__name__)

SMS_LENGTH = 160


def _again_later(job: Any, attempt: int, exc: Exception, *args: Any) -> bool:
    """After a failed send that may work later (a gateway or mail server down for a while), queue the same job
    again with the notifications' backoff, the same idempotency key in `args`; False once the attempts are used up
    or the failure is permanent, and the caller lets the task fail (recorded by the worker)."""
    if attempt + 1 >= MAX_ATTEMPTS or (isinstance(exc, TransportError) and not exc.retryable):
        return False
    log.warning("reporter message failed (attempt %d), trying again later: %s", attempt + 1, exc)
    job.using(run_after=timezone.now() + backoff(attempt + 1)).enqueue(*args, attempt=attempt + 1)
    return True


def phones_reachable() -> bool:
    """Whether reporters who left a phone number can be written to (an outbound gateway is configured)."""
    return bool(settings.SIGAP_REPORTER_GATEWAY_URL)


BY_EMAIL, BY_PHONE = "e-mail", "SMS/WhatsApp"


def reach_by(contact: str) -> str:
    """How a contact can be written to: BY_EMAIL, BY_PHONE, or "" (a phone number while no gateway is set)."""
    return BY_EMAIL if "@" in contact else BY_PHONE if phones_reachable() else ""


def _contact_read(report: Report, purpose: str) -> tuple[str, str]:
    """The report's contact, decrypted for `purpose`, and how it can be reached; the read goes to the audit log."""
    _name, contact = report._identity()
    by = reach_by(contact)
    audit_record(actor=None, action="report.contact_read", target=report, details={"for": purpose, "by": by})
    return contact, by


def _to_phone(contact: str, text: str, key: str) -> None:
    """One SMS/WhatsApp message through the reporters' gateway; the gateway drops a repeated `key`. A failed send
    raises notify.transports.base.TransportError."""
    headers = {"Idempotency-Key": key}
    if settings.SIGAP_REPORTER_GATEWAY_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SIGAP_REPORTER_GATEWAY_TOKEN}"
    to = "+" + normalise_contact(contact)
    post_json(settings.SIGAP_REPORTER_GATEWAY_URL, {"to": to, "text": text[:SMS_LENGTH], "id": key}, headers)


def _receipts_sms(reports: list[Report]) -> tuple[str, int]:
    """The receipt codes in one SMS, newest first, as many as fit; and how many that is."""
    public = settings.SIGAP_PUBLIC_URL.rstrip("/")
    link = f". Cek status: {public}{reverse('intake:receipt_check')}" if public else "."
    opening = "Sigap: kode laporan Anda "
    # A public address too long to leave room for one code is dropped: the codes are what the reporter lost.
    ending = link if len(opening + reports[0].receipt + link) <= SMS_LENGTH else "."
    codes: list[str] = []
    for report in reports:
        if len(opening + ", ".join([*codes, report.receipt]) + ending) > SMS_LENGTH:
            break
        codes.append(report.receipt)
    return opening + ", ".join(codes) + ending, len(codes)


@task(queue_name="notifications")
def receipts_resend(contact_digest: str, key: str = "", attempt: int = 0) -> int:
    """Send every receipt left with this contact to it: by e-mail, or by SMS/WhatsApp when a gateway is configured.
    The contact is decrypted here only, and the use is written to the audit log. Returns how many were sent; a
    failed send is tried again later (`attempt`), with the same `key` so that the gateway drops a repeat."""
    reports = list(Report.objects.filter(contact_digest=contact_digest).order_by("-received_at")[:20])
    if not reports:
        return 0
    contact, by = _contact_read(reports[0], "receipt resend")
    if not by:  # a phone number, and the gateway was switched off after the request was queued
        return 0
    key = key or f"receipts-{uuid.uuid4().hex}"
    try:
        if by == BY_PHONE:
            text, sent = _receipts_sms(reports)
            _to_phone(contact, text, key)
            return sent
        with translation.override("id"):
            lines = [f"- {r.receipt} ({r.received_at:%d-%m-%Y %H:%M})" for r in reports]
            body = "\n".join(
                [
                    _("These are the receipt codes of the reports you sent to Sigap:"),
                    "",
                    *lines,
                    "",
                    _("Use a code on the Sigap page 'Check a report' to see its status."),
                ]
            )
            send_mail(_("Your Sigap receipt codes"), body, None, [contact])
    except (TransportError, OSError) as exc:  # smtplib's errors are OSErrors
        if _again_later(receipts_resend, attempt, exc, contact_digest, key):
            return 0
        raise
    return len(reports)


def _update_sms(receipt: str, text: str, bilingual: bool = True) -> str:
    """The Indonesian part of a bilingual update ('... (English.)'), or a person's answer as written, cut to one
    SMS; the whole text is on the receipt page."""
    indonesian = text.rsplit(" (", 1)[0] if bilingual and text.endswith(")") else text
    message = f"Sigap {receipt}: {indonesian}"
    return message if len(message) <= SMS_LENGTH else message[: SMS_LENGTH - 1] + "\u2026"


@task(queue_name="notifications")
def reporter_update(report_id: int, text: str, bilingual: bool = True, attempt: int = 0) -> bool:
    """Tell a reporter who left a contact what became of the report, or the team's answer (the text is already on the
    receipt page), by e-mail or SMS/WhatsApp; `bilingual` texts are Sigap's own status words, of which an SMS
    carries the Indonesian half. The contact is decrypted here only, and the use is written to the audit log. A
    failed send is tried again later (`attempt`)."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None or not report.reporter_contact_sealed:
        return False
    contact, by = _contact_read(report, "status update")
    if not by:
        return False
    try:
        if by == BY_PHONE:
            key = f"update-{report_id}-" + hashlib.sha256(text.encode()).hexdigest()[:16]  # a retried task: one SMS
            _to_phone(contact, _update_sms(report.receipt, text, bilingual), key)
            return True
        with translation.override("id"):
            subject = _("Your report %(receipt)s") % {"receipt": report.receipt}
            send_mail(subject, text, None, [contact])
    except (TransportError, OSError) as exc:
        if _again_later(reporter_update, attempt, exc, report_id, text, bilingual):
            return False
        raise
    return True


@task()
def imported_reports_triage(report_ids: list[int]) -> int:
    """Triage the reports of a log imported in the browser, in row order, after the page has answered; returns how
    many were triaged (a report already triaged is left as it is)."""
    reports = list(Report.objects.filter(pk__in=report_ids).select_related("region"))
    by_id = {report.pk: report for report in reports}
    return import_triage([by_id[pk] for pk in report_ids if pk in by_id])

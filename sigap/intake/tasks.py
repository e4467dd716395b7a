"""Background jobs of intake. Arguments never carry plaintext contacts (the queue table is not encrypted)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

# Django 5.2 LTS: the django-tasks backport. On Django 6 this import becomes `from django.tasks import task`.
from django_tasks import task

from sigap.intake.models import Report


@task(queue_name="notifications")
def receipts_resend(contact_digest: str) -> int:
    """E-mail every receipt left with this contact to it. Returns how many receipts were sent."""
    reports = list(Report.objects.filter(contact_digest=contact_digest).order_by("-received_at")[:20])
    if not reports:
        return 0
    _name, contact = reports[0]._identity()
    if "@" not in contact:
        return 0  # phone numbers get their receipts through the SMS gateway, not e-mail
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
    return len(reports)


@task(queue_name="notifications")
def reporter_update(report_id: int, text: str) -> bool:
    """E-mail a reporter who left an e-mail address what became of the report (the text is already on the receipt
    page). The contact is decrypted here only, and the use is written to the audit log."""
    from sigap.core.services import audit_record

    report = Report.objects.filter(pk=report_id).first()
    if report is None or not report.reporter_contact_sealed:
        return False
    _name, contact = report._identity()
    by_email = "@" in contact  # phone numbers: the SMS gateway is not wired for updates yet
    audit_record(
        actor=None, action="report.contact_read", target=report, details={"for": "status update", "sent": by_email}
    )
    if not by_email:
        return False
    with translation.override("id"):
        subject = _("Your report %(receipt)s") % {"receipt": report.receipt}
        send_mail(subject, text, None, [contact])
    return True

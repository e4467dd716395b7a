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

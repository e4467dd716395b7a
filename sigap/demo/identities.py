"""The reporters' identities the demo sealed, opened: what the evidence looks for where it must not be."""

from __future__ import annotations

from sigap.accounts.models import User
from sigap.core.crypto import unseal
from sigap.directory.models import Person
from sigap.intake.models import Report


def sealed_identities(*, warga_only: bool) -> tuple[list[str], int]:
    """Every sealed name and contact (of warga only, or of every reporter), and how many were left out because
    they are also an official's name: the demo draws names from a small pool, and the directory of officials and
    the staff accounts are not secret (a trusted reporter's account name is seen by staff by design)."""
    reports = Report.objects.exclude(reporter_name_sealed="")
    if warga_only:
        reports = reports.filter(submitted_by__isnull=True)
    found: set[str] = set()
    for name, contact in reports.values_list("reporter_name_sealed", "reporter_contact_sealed").iterator():
        found.update(value for value in (unseal(name), unseal(contact)) if len(value) >= 5)
    public = " | ".join(
        [*(user.get_full_name() for user in User.objects.all()), *Person.objects.values_list("name", flat=True)]
    )
    kept = sorted(identity for identity in found if identity not in public)
    return kept, len(found) - len(kept)

"""Reporter protection: identities sealed at rest, shown only to roles that need them, every reveal audited."""

import pytest
from django.db import connection

from sigap.core.crypto import contact_digest
from sigap.core.models import AuditLog
from sigap.intake.choices import Channel
from sigap.intake.services import (
    IdentityAccessDenied,
    ReportDraft,
    receipts_for_contact,
    report_identity_reveal,
    report_receive,
)

NAME, CONTACT = "Siti Rahmawati", "0812-3456-7890"


@pytest.fixture
def identified_report(region):
    return report_receive(
        ReportDraft(
            channel=Channel.WEB,
            description="Ada pembagian amplop di RW 02",
            region=region("35.75.04.1010"),
            reporter_name=NAME,
            reporter_contact=CONTACT,
            anonymous=False,
            raw={"description": "Ada pembagian amplop", "reporter_name": NAME, "reporter_contact": CONTACT},
        )
    )[0]


@pytest.mark.django_db
def test_a_raw_database_dump_shows_no_plaintext_identity(identified_report):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_report WHERE id = %s", [identified_report.pk])
        # Whole numbers are ids and counts: on PostgreSQL, whose sequences run on across tests, an incident id
        # can be 3456 by chance. A fragment of the contact must not appear in any text.
        row = " ".join(str(value) for value in cursor.fetchone() if not isinstance(value, int))
        cursor.execute("SELECT details FROM core_auditlog")
        audit = " ".join(str(r[0]) for r in cursor.fetchall())
    for secret in (NAME, "Rahmawati", CONTACT, "81234567890", "3456"):
        assert secret not in row
        assert secret not in audit
    assert identified_report.raw["reporter_name"] == "[sealed]"
    assert identified_report.reporter_contact_sealed.startswith("gAAAA")  # a Fernet token


@pytest.mark.django_db
def test_analysts_see_the_identity_and_each_reveal_is_audited(identified_report, personas):
    identity = report_identity_reveal(report=identified_report, user=personas["analyst"], reason="konfirmasi")
    assert (identity.name, identity.contact) == (NAME, CONTACT)
    entry = AuditLog.objects.get(action="report.identity_revealed")
    assert entry.actor == personas["analyst"]
    assert entry.object_id == str(identified_report.pk)
    assert entry.details == {"reason": "konfirmasi"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["responder", "mediator", "leadership", "trusted_reporter"])
def test_other_roles_are_refused_and_the_attempt_is_audited(identified_report, personas, role):
    with pytest.raises(IdentityAccessDenied):
        report_identity_reveal(report=identified_report, user=personas[role], reason="ingin tahu")
    assert AuditLog.objects.filter(action="report.identity_denied", actor=personas[role]).count() == 1
    assert not AuditLog.objects.filter(action="report.identity_revealed").exists()


@pytest.mark.django_db
def test_anonymous_reports_keep_nothing_even_if_a_contact_was_typed(region):
    report = report_receive(
        ReportDraft(
            channel=Channel.WEB,
            description="Isu penculikan anak",
            anonymous=True,
            reporter_name=NAME,
            reporter_contact=CONTACT,
        )
    )[0]
    assert not report.has_identity and report.contact_digest == ""


@pytest.mark.django_db
def test_reports_are_found_by_contact_without_decrypting_anything(identified_report):
    assert identified_report.contact_digest == contact_digest("+62 812 3456 7890")
    assert receipts_for_contact("081234567890") == [identified_report]
    assert receipts_for_contact("0812 0000 0000") == []

"""Reporter protection: identities sealed at rest, shown only to roles that need them, every reveal audited."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from sigap.core.crypto import contact_digest
from sigap.core.models import AuditLog
from sigap.intake.choices import Channel
from sigap.intake.models import Report
from sigap.intake.services import (
    IdentityAccessDenied,
    ReportDraft,
    receipts_for_contact,
    report_identity_reveal,
    report_receive,
)
from sigap.notify.services import periodic_due
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident

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


@pytest.mark.django_db
def test_identities_are_kept_no_longer_than_the_work_needs_them(region, personas, client, settings):
    """SIGAP_IDENTITY_KEEP_DAYS after the incident closed (or after receipt, for a report never placed) the name and
    contact are erased by the worker's minute, each erasure audited; open work keeps them."""
    now = datetime(2021, 12, 20, 9, tzinfo=ZoneInfo("Asia/Jakarta"))

    def identified(words, code="35.75.04.1010", received=now - timedelta(days=500)):
        draft = ReportDraft(
            channel=Channel.WEB,
            description=words,
            region=region(code) if code else None,
            reporter_name=NAME,
            reporter_contact=CONTACT,
            anonymous=False,
            received_at=received,
        )
        return report_receive(draft)[0]

    def closed(report, days_ago, status=IncidentStatus.RESOLVED):
        Incident.objects.filter(pk=report.incident_id).update(status=status, closed_at=now - timedelta(days=days_ago))

    long_done = identified("Pembagian amplop di RW 02 Bugul Lor")
    closed(long_done, days_ago=400)
    recently_done = identified("Spanduk SARA di Tapaan", code="35.75.03.1006")
    closed(recently_done, days_ago=30)
    still_open = identified("Sengketa lahan makam di Blandongan", code="35.75.03.1003")
    never_placed = identified("Ada keributan di dekat pasar", code=None)
    assert never_placed.incident_id is None and all(
        r.has_identity for r in (long_done, recently_done, still_open, never_placed)
    )
    periodic_due(now)
    kept = {r.pk: r for r in Report.objects.all()}
    assert not kept[long_done.pk].has_identity and kept[long_done.pk].contact_digest == ""
    assert kept[long_done.pk].identity_erased_at == now
    assert not kept[never_placed.pk].has_identity
    assert kept[recently_done.pk].has_identity and kept[still_open.pk].has_identity
    erased = AuditLog.objects.filter(action="report.identity_erased", object_type="intake.report")
    assert set(erased.values_list("object_id", flat=True)) == {str(long_done.pk), str(never_placed.pk)}
    assert set(receipts_for_contact(CONTACT)) == {recently_done, still_open}  # a lost receipt: only these are sent
    # The analyst reads why the report has no reporter any more; the receipt still shows the reporter its status.
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:incident_detail", args=[long_done.incident_id])).content.decode()
    assert "Nama dan kontak pelapor dihapus pada 20 Des 2021" in page
    settings.SIGAP_IDENTITY_KEEP_DAYS = 0  # keep them: nothing more is erased, however old
    closed(recently_done, days_ago=4000)
    periodic_due(now)
    assert Report.objects.get(pk=recently_done.pk).has_identity

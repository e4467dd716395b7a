"""Four eyes on a reporter's identity: while an identity custodian is named, an analyst's reveal becomes a request
with its reason; another custodian consents for a day or refuses saying why; only then, and only for that report,
does the identity show, each reveal audited with the consent it rested on."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sigap.accounts.models import User
from sigap.core.models import AuditLog
from sigap.core.roles import Role
from sigap.intake.identity import IdentityRequestError, identity_request, identity_request_decide
from sigap.intake.models import IdentityRequest
from sigap.intake.services import IdentityAccessDenied, IdentityConsentNeeded, report_identity_reveal
from sigap.intake.tests.test_identity import CONTACT, NAME, identified_report  # noqa: F401 (a fixture)
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification

REASON = "Pelapor menyebut senjata tajam; perlu ditelepon untuk lokasi persis"


@pytest.fixture
def custodian(db, personas):
    """The head of Bakesbangpol holds the flag; the analyst and the custodian have an inbox."""
    head = User.objects.create_user("kaban", password="x" * 12, role=Role.ANALYST, identity_custodian=True)
    for user in (head, personas["analyst"]):
        NotifyChannel.objects.create(name="Inbox", kind="in_app", user=user)
    return head


def _incident_page(client, report):
    return client.get(reverse("triage:incident_detail", args=[report.incident_id])).content.decode()


def _reveal(client, report, reason=REASON):
    url = reverse("triage:report_reveal", args=[report.incident_id, report.pk])
    return client.post(url, {"reason": reason}, follow=True).content.decode()


@pytest.mark.django_db
def test_an_analyst_asks_a_custodian_consents_and_only_then_the_identity_shows(
    client,
    personas,
    custodian,
    identified_report,  # noqa: F811
):
    report, analyst = identified_report, personas["analyst"]
    client.force_login(analyst)
    assert "Minta izin penjaga identitas" in _incident_page(client, report)
    page = _reveal(client, report)
    assert NAME not in page and CONTACT not in page
    assert "Penjaga identitas diminta" in page and "menunggu keputusan" in page
    asked = IdentityRequest.objects.get()
    assert asked.requested_by == analyst and asked.reason == REASON and asked.decided_at is None
    notice = Notification.objects.get(idempotency_key__startswith=f"identity{asked.pk}:asked")
    assert notice.channel.user == custodian and REASON not in notice.body  # the reason stays in Sigap
    _reveal(client, report)  # asked again before a decision: still one request
    assert IdentityRequest.objects.count() == 1
    assert not AuditLog.objects.filter(action="report.identity_revealed").exists()

    client.force_login(custodian)
    assert (
        'Permintaan identitas <strong class="unread">(1)</strong>' in client.get(reverse("home:home")).content.decode()
    )
    desk = client.get(reverse("intake:identity_requests")).content.decode()
    assert REASON in desk and NAME not in desk and CONTACT not in desk
    for mangled in ("abc", "1" * 30, ""):  # a tampered id finds nothing, never a server error
        assert client.post(reverse("intake:identity_requests"), {"request": mangled}).status_code == 404
    client.post(reverse("intake:identity_requests"), {"request": asked.pk, "decision": "grant"})
    asked.refresh_from_db()
    assert asked.granted and asked.decided_by == custodian
    assert asked.valid_until - asked.decided_at == timedelta(hours=24)
    assert Notification.objects.filter(idempotency_key__startswith=f"identity{asked.pk}:decided").exists()

    client.force_login(analyst)
    page = _reveal(client, report, reason="Menelepon pelapor untuk lokasi")
    assert NAME in page and CONTACT in page
    revealed = AuditLog.objects.get(action="report.identity_revealed")
    assert revealed.details["consent"] == asked.pk and revealed.details["consented_by"] == custodian.pk
    # A day later the consent has lapsed: the identity needs asking again.
    with pytest.raises(IdentityConsentNeeded):
        report_identity_reveal(report=report, user=analyst, reason="lagi", at=timezone.now() + timedelta(hours=25))
    # Consent is the asker's: another analyst sees nothing on it.
    colleague = User.objects.create_user("analis2", password="x" * 12, role=Role.ANALYST)
    with pytest.raises(IdentityConsentNeeded):
        report_identity_reveal(report=report, user=colleague, reason="ikut melihat")


@pytest.mark.django_db
def test_a_custodian_refuses_with_a_reason_and_never_decides_their_own_request(
    client,
    personas,
    custodian,
    identified_report,  # noqa: F811
):
    report = identified_report
    asked = identity_request(report=report, user=personas["analyst"], reason=REASON)
    with pytest.raises(IdentityRequestError):
        identity_request_decide(request=asked, custodian=custodian, grant=False, note="")
    with pytest.raises(IdentityAccessDenied):
        identity_request_decide(request=asked, custodian=personas["admin"], grant=True)
    identity_request_decide(request=asked, custodian=custodian, grant=False, note="Hubungi lewat pesan tanda terima")
    with pytest.raises(IdentityRequestError):  # decided once
        identity_request_decide(request=asked, custodian=custodian, grant=True)
    client.force_login(personas["analyst"])
    page = _incident_page(client, report)
    assert "menolak: Hubungi lewat pesan tanda terima" in page and NAME not in page
    assert AuditLog.objects.filter(action="report.identity_refused").count() == 1

    # The only custodian asking for themselves: nobody else can consent, and the request is not made.
    with pytest.raises(IdentityRequestError):
        identity_request(report=report, user=custodian, reason=REASON)
    second = User.objects.create_user("sekda", password="x" * 12, role=Role.LEADERSHIP, identity_custodian=True)
    own = identity_request(report=report, user=custodian, reason=REASON)
    with pytest.raises(IdentityRequestError):
        identity_request_decide(request=own, custodian=custodian, grant=True)
    identity_request_decide(request=own, custodian=second, grant=True)
    assert report_identity_reveal(report=report, user=custodian, reason="telepon").name == NAME


@pytest.mark.django_db
def test_without_custodians_the_analyst_s_reason_suffices_and_only_custodians_open_the_page(
    client,
    personas,
    identified_report,  # noqa: F811
):
    client.force_login(personas["analyst"])
    page = _reveal(client, identified_report)
    assert NAME in page and not IdentityRequest.objects.exists()
    assert client.get(reverse("intake:identity_requests")).status_code == 403
    client.force_login(personas["admin"])
    assert client.get(reverse("intake:identity_requests")).status_code == 403
    assert "Permintaan identitas" not in client.get(reverse("home:home")).content.decode()

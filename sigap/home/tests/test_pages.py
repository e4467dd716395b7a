import pytest
from django.urls import reverse

from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.triage.choices import IncidentStatus
from sigap.triage.services import incident_transition

# What each persona's landing page says it should do next (Bahasa Indonesia, the default).
HEADINGS = {
    "admin": "Ringkasan sistem",
    "analyst": "Antrean verifikasi",
    "responder": "Kejadian untuk ditangani",
    "mediator": "Sengketa untuk diselesaikan",
    "leadership": "Situasi sekilas",
    "trusted_reporter": "Laporan saya",
}


@pytest.fixture
def some_incidents(personas, region):
    analyst = personas["analyst"]
    in_area = report_receive(
        ReportDraft(
            channel=Channel.TRUSTED,
            description="Bentrok kecil di RW 02",
            region=region("35.75.04.1010"),
            submitted_by=personas["trusted_reporter"],
        )
    )[0]
    elsewhere = report_receive(
        ReportDraft(channel=Channel.WEB, description="Sengketa lahan", region=region("35.75.01.1001"))
    )[0]
    near, far = in_area.incident, elsewhere.incident  # opened by triage as the reports arrived
    near.title, far.title = "Bentrok RW 02", "Lahan Karangketug"
    near.save()
    far.save()
    incident_transition(incident=near, to=IncidentStatus.VERIFIED, actor=analyst)
    incident_transition(incident=far, to=IncidentStatus.VERIFIED, actor=analyst)
    return near, far


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(HEADINGS))
def test_each_persona_signs_in_and_lands_on_its_next_step(client, personas, some_incidents, role):
    response = client.post(
        reverse("login"), {"username": role, "password": "correct horse battery staple"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home:home")
    page = response.content.decode()
    assert f"<h1>{HEADINGS[role]}</h1>" in page
    assert "Berikutnya:" in page


@pytest.mark.django_db
def test_the_responder_sees_only_its_area(client, personas, some_incidents):
    client.force_login(personas["responder"])
    page = client.get(reverse("home:home")).content.decode()
    assert "Bentrok RW 02" in page
    assert "Lahan Karangketug" not in page


@pytest.mark.django_db
def test_the_responder_sees_which_incidents_a_case_handles_and_which_none_does(
    client, personas, organisations, some_incidents
):
    """Polres' home listed every verified incident of its area alike, those a case handled and those nobody did."""
    from sigap.cases import services

    near, _far = some_incidents
    near.refresh_from_db()  # verified by the fixture through the service
    client.force_login(personas["responder"])
    assert "belum ada penanganan" in client.get(reverse("home:home")).content.decode()
    # A case that another organisation leads is named, not linked: the responder may not open it.
    case = services.case_open(
        title="Bentrok RW 02",
        lead_organisation=organisations["polsek_gadingrejo"],
        incidents=[near],
        actor=personas["analyst"],
    )
    page = client.get(reverse("home:home")).content.decode()
    assert f"ditangani dalam P-{case.pk} (Polsek Gadingrejo)" in page and f"/penanganan/{case.pk}/" not in page
    assert "belum ada penanganan" not in page
    services.case_reassign(
        case=case,
        lead=organisations["polsek_panggungrejo"],
        actor=personas["analyst"],
        reason="Di wilayah Panggungrejo",
    )
    page = client.get(reverse("home:home")).content.decode()
    assert f'ditangani dalam <a href="/penanganan/{case.pk}/">P-{case.pk}</a> (Polsek Panggungrejo)' in page


@pytest.mark.django_db
def test_an_incident_carried_by_an_alert_in_response_or_a_mediation_is_not_said_to_have_no_handling(
    client, personas, region, some_incidents
):
    """The demo's mediator read "belum ada penanganan" under three clashes in Trajeng while the team was responding
    to their Awas alert: without a case, the alert in response or the mediation under way is named instead."""
    from django.utils import timezone

    from sigap.alerts.choices import AlertKind, AlertState
    from sigap.alerts.services import alert_raise, alert_transition
    from sigap.mediation.services import PartyInput, mediation_open

    near, _far = some_incidents
    alert = alert_raise(
        kind=AlertKind.GRAVE_INCIDENT,
        city=region("35.75"),
        regions=[near.region],
        level=3,
        title="Bentrok RW 02",
        reason="massa bertambah",
        at=timezone.now(),
        incidents=[near],
    )
    client.force_login(personas["responder"])
    assert "belum ada penanganan" in client.get(reverse("home:home")).content.decode()  # triggered: nobody yet
    for step in (AlertState.ACKNOWLEDGED, AlertState.ASSESSED, AlertState.RESPONDING):
        alert_transition(alert=alert, to=step, actor=personas["analyst"])
    page = client.get(reverse("home:home")).content.decode()
    assert f'direspons dalam <a href="/peringatan/{alert.pk}/">peringatan #{alert.pk}</a> (tanpa penanganan)' in page
    assert "belum ada penanganan" not in page
    # A case opened from the alert (or linked to it) handles the alert's incidents: not "(no case)" any more.
    from sigap.cases.services import case_open

    case = case_open(
        title="Pengamanan RW 02",
        lead_organisation=personas["responder"].organisation,
        alerts=[alert],
        actor=personas["analyst"],
    )
    page = client.get(reverse("home:home")).content.decode()
    assert f'ditangani dalam <a href="/penanganan/{case.pk}/">P-{case.pk}</a>' in page
    assert "tanpa penanganan" not in page
    alert_transition(alert=alert, to=AlertState.CLOSED, actor=personas["analyst"], note="Reda")
    case.status = "resolved"
    case.save(update_fields=["status"])
    mediation = mediation_open(
        title="Musyawarah RW 02",
        actor=personas["mediator"],
        parties=[PartyInput("Pemuda RW 02"), PartyInput("Pemuda RW 03")],
        region=near.region,
        incidents=[near],
    )
    page = client.get(reverse("home:home")).content.decode()
    assert f'dalam mediasi <a href="/mediasi/{mediation.pk}/">M-{mediation.pk}</a> (persiapan)' in page


@pytest.mark.django_db
def test_the_trusted_reporter_sees_its_receipts(client, personas, some_incidents):
    client.force_login(personas["trusted_reporter"])
    page = client.get(reverse("home:home")).content.decode()
    near, far = some_incidents
    report = near.reports.get()
    assert report.receipt in page
    assert "Terverifikasi, sedang ditangani" in page
    # The code opens the report's receipt page (status and the conversation with the team) without typing it.
    opened = client.get(reverse("intake:my_report", args=[report.pk]), follow=True)
    assert opened.redirect_chain[-1][0] == reverse("intake:receipt_status") and report.receipt not in str(
        opened.redirect_chain
    )
    assert report.receipt in opened.content.decode() and "Terverifikasi" in opened.content.decode()
    # Another's report is not theirs to open; staff read reports on the incident page instead.
    assert client.get(reverse("intake:my_report", args=[far.reports.get().pk])).status_code == 404
    client.force_login(personas["analyst"])
    assert client.get(reverse("intake:my_report", args=[report.pk])).status_code == 403


@pytest.mark.django_db
def test_a_wrong_password_says_what_to_do(client, personas):
    page = client.post(reverse("login"), {"username": "analyst", "password": "nope"}).content.decode()
    assert "Nama pengguna atau kata sandi salah" in page


@pytest.mark.django_db
def test_bahasa_is_the_default_and_english_is_one_click_away(client, personas):
    landing = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in landing and "Masuk" in landing
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert 'lang="en"' in english and "Sign in" in english
    client.force_login(personas["analyst"])
    assert "<h1>Verification queue</h1>" in client.get(reverse("home:home")).content.decode()


@pytest.mark.django_db
def test_staff_pages_need_a_sign_in(client):
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

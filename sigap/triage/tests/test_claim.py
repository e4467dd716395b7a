"""'I am checking this one': the queue shows which analyst is verifying an incident, so two do not both chase it."""

import pytest
from django.urls import reverse

from sigap.accounts.models import User
from sigap.core.roles import Role
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident


@pytest.fixture
def incident(region):
    draft = ReportDraft(
        channel=Channel.WEB, region=region("35.75.04.1010"), description="Spanduk paslon dirusak orang tak dikenal"
    )
    return report_receive(draft)[0].incident


@pytest.fixture
def colleague(personas):
    user = User(username="analis2", role=Role.ANALYST, first_name="Dewi", organisation=personas["analyst"].organisation)
    user.set_password("correct horse battery staple")
    user.save()
    return user


@pytest.mark.django_db
def test_an_analyst_takes_an_incident_and_the_queue_says_so(client, personas, colleague, incident):
    client.force_login(personas["analyst"])
    url = reverse("triage:incident_claim", args=[incident.pk])
    client.post(url, {"action": "claim"})
    incident.refresh_from_db()
    assert incident.claimed_by == personas["analyst"] and incident.claimed_at is not None
    assert incident.events.filter(verb="claimed", note="").count() == 1

    client.force_login(colleague)
    queue = client.get(reverse("home:home")).content.decode()
    assert "sedang diperiksa oleh Analyst" in queue
    assert f'name="incident" value="{incident.pk}"' not in queue  # no tick to set a colleague's incident aside
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "Sedang diperiksa oleh Analyst sejak" in page and "Ambil alih" in page
    client.post(url, {"action": "claim"})  # the first analyst went home: a colleague takes it over
    incident.refresh_from_db()
    assert incident.claimed_by == colleague
    assert incident.events.get(verb="claimed", actor=colleague).note == "diambil alih dari Analyst"

    client.post(
        reverse("triage:incident_decide", args=[incident.pk]),
        {"decision": "verified", "reliability": "B", "credibility": "2"},
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.VERIFIED and incident.claimed_by is None  # decided: nobody holds it


@pytest.mark.django_db
def test_letting_go_and_what_cannot_be_taken(client, personas, incident):
    client.force_login(personas["analyst"])
    url = reverse("triage:incident_claim", args=[incident.pk])
    client.post(url, {"action": "claim"})
    client.post(url, {"action": "claim"})  # twice by the same analyst: one timeline row
    assert incident.events.filter(verb="claimed").count() == 1
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "Kembalikan ke antrean" in page
    client.post(url, {"action": "release"})
    incident.refresh_from_db()
    assert incident.claimed_by is None and incident.events.filter(verb="unclaimed").count() == 1

    Incident.objects.filter(pk=incident.pk).update(status=IncidentStatus.HOAX)
    page = client.post(url, {"action": "claim"}, follow=True).content.decode()
    assert "Hanya kejadian yang menunggu verifikasi" in page
    incident.refresh_from_db()
    assert incident.claimed_by is None

    client.force_login(personas["responder"])
    assert client.post(url, {"action": "claim"}).status_code == 403


@pytest.mark.django_db
def test_a_trusted_reporter_does_not_see_which_analyst_checks_their_report(client, personas, region):
    reporter = personas["trusted_reporter"]
    draft = ReportDraft(
        channel=Channel.TRUSTED,
        region=region("35.75.04.1010"),
        description="Spanduk paslon dirusak orang tak dikenal",
        submitted_by=reporter,
    )
    incident = report_receive(draft)[0].incident
    client.force_login(personas["analyst"])
    client.post(reverse("triage:incident_claim", args=[incident.pk]), {"action": "claim"})
    client.force_login(reporter)
    listed = client.get(reverse("triage:incident_list")).content.decode()
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert f"#{incident.pk}" in listed and "diperiksa oleh" not in listed
    assert "Menunggu verifikasi" in page and "diperiksa oleh" not in page

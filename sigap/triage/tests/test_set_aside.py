"""Many new incidents decided "not a social conflict" at once: each on its own timeline, reporters told, nothing
else touched."""

import pytest
from django.urls import reverse

from sigap.core.models import AuditLog
from sigap.intake.choices import Channel, MessageDirection
from sigap.intake.services import ReportDraft, report_receive
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident
from sigap.triage.services import SET_ASIDE_AT_ONCE, incident_claim, incidents_set_aside

NOISE = [
    "Lampu jalan di gang mati sudah seminggu",
    "Sampah menumpuk di depan rumah tidak diangkut",
    "Jual pulsa murah hubungi nomor ini",
    "Saluran air tersumbat kalau hujan banjir",
]


@pytest.fixture
def noise(db):
    places = list(Region.objects.filter(level=Level.DESA_KELURAHAN, code__startswith="35.75.").order_by("code")[:4])
    return [
        report_receive(ReportDraft(channel=Channel.WEB, region=place, description=text))[0].incident
        for place, text in zip(places, NOISE, strict=True)
    ]


@pytest.mark.django_db
def test_an_analyst_sets_aside_the_ticked_incidents_from_the_queue(client, personas, noise):
    client.force_login(personas["analyst"])
    home = client.get(reverse("home:home")).content.decode()
    assert f'name="incident" value="{noise[0].pk}"' in home and 'id="set-aside"' in home
    verified = noise[3]
    verified.status = IncidentStatus.VERIFIED
    verified.save(update_fields=["status"])  # decided by a colleague after the page was shown
    incident_claim(incident=noise[2], actor=personas["admin"])  # a colleague is checking this one
    ticked = [noise[0].pk, noise[1].pk, noise[2].pk, verified.pk, 999999]
    response = client.post(
        reverse("triage:incidents_set_aside"),
        {
            "incident": ticked,
            "reason": "Keluhan layanan publik, diteruskan ke SP4N-LAPOR!",
            "to_reporters": "Keluhan layanan publik silakan disampaikan lewat lapor.go.id atau SMS 1708.",
            "next": "/beranda/",
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/beranda/"
    assert "2 kejadian diputuskan bukan konflik sosial" in page
    assert f"#{noise[2].pk}, #{verified.pk}, #999999" in page
    for incident in noise[:2]:
        incident.refresh_from_db()
        assert (incident.status, incident.source_reliability, incident.info_credibility) == ("not_conflict", "F", 6)
        assert incident.verified_by == personas["analyst"]
        event = incident.events.get(verb="status_changed", to_status="not_conflict")
        assert "SP4N-LAPOR!" in event.note and "diputuskan bersama 2 kejadian" in event.note
        assert AuditLog.objects.filter(action="incident.status_changed", object_id=str(incident.pk)).exists()
        told = [m.body for m in incident.reports.get().messages.filter(direction=MessageDirection.TO_REPORTER)]
        assert len(told) == 2 and "bukan potensi konflik sosial" in told[0] and "lapor.go.id" in told[1]
    noise[2].refresh_from_db()
    verified.refresh_from_db()
    assert noise[2].status == IncidentStatus.NEW and noise[2].claimed_by == personas["admin"]
    assert verified.status == IncidentStatus.VERIFIED
    assert not verified.reports.get().messages.exists()  # left as it was: its reporter is not written to


@pytest.mark.django_db
def test_without_a_reason_or_beyond_the_limit_nothing_is_decided(client, personas, noise):
    client.force_login(personas["analyst"])
    url = reverse("triage:incidents_set_aside")
    page = client.post(url, {"incident": [noise[0].pk], "reason": "  "}, follow=True).content.decode()
    assert "Tidak ada yang diputuskan" in page
    too_many = [str(n) for n in range(1, SET_ASIDE_AT_ONCE + 2)]
    page = client.post(url, {"incident": too_many, "reason": "iklan"}, follow=True).content.decode()
    assert f"Paling banyak {SET_ASIDE_AT_ONCE} kejadian sekaligus" in page
    page = client.post(url, {"reason": "iklan"}, follow=True).content.decode()
    assert "Centang dulu" in page
    assert set(Incident.objects.values_list("status", flat=True)) == {IncidentStatus.NEW}
    with pytest.raises(ValueError):
        incidents_set_aside(incidents=noise, actor=personas["analyst"], reason="")


@pytest.mark.django_db
def test_the_way_back_stays_on_this_site(client, personas, noise):
    client.force_login(personas["analyst"])
    response = client.post(
        reverse("triage:incidents_set_aside"),
        {"incident": [noise[0].pk], "reason": "iklan", "next": "https://example.org/"},
    )
    assert response["Location"] == reverse("home:home")


@pytest.mark.django_db
def test_the_incident_list_offers_ticks_to_analysts_only_and_only_on_new_incidents(client, personas, noise):
    noise[0].status = IncidentStatus.VERIFIED
    noise[0].save(update_fields=["status"])
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:incident_list")).content.decode()
    assert f'value="{noise[1].pk}"' in page and f'name="incident" value="{noise[0].pk}"' not in page
    client.force_login(personas["responder"])
    page = client.get(reverse("triage:incident_list")).content.decode()
    assert 'id="set-aside"' not in page and 'name="incident"' not in page
    denied = client.post(reverse("triage:incidents_set_aside"), {"incident": [noise[1].pk], "reason": "iklan"})
    assert denied.status_code == 403
    noise[1].refresh_from_db()
    assert noise[1].status == IncidentStatus.NEW

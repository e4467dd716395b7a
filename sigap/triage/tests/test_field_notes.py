"""What was done on the ground: a responder or mediator writes it on the incident's timeline, and one who says the
problem is settled there asks the secretariat to resolve the incident (most small problems get no case)."""

import pytest
from django.urls import reverse

from sigap.cases.tests.factories import mailbox, reported, verify
from sigap.conftest import BUGUL_LOR
from sigap.notify.models import Notification
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident

GADINGREJO_KEL = "35.75.01.1001"  # outside the responder's kecamatan


@pytest.fixture
def incident(region, personas):
    return verify(
        reported(region(BUGUL_LOR), "Dua pemuda ribut soal spanduk paslon di gang RW 03"), personas["analyst"]
    )


def _timeline(incident):
    return list(incident.events.order_by("at", "id").values_list("verb", "actor__username", "note"))


@pytest.mark.django_db
def test_a_responder_writes_what_was_done_and_an_analyst_resolves_what_was_settled(
    client, personas, organisations, incident
):
    mailbox(organisations["kesbangpol"], "sekretariat@kesbangpol.example")
    note_url = reverse("triage:incident_field_note", args=[incident.pk])
    client.force_login(personas["responder"])
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "Tulis tindakan atau temuan di lapangan" in page and "Selesai tanpa penanganan" not in page
    client.post(note_url, {"note": "Bhabinkamtibmas datang, kedua pemuda dipisah"})
    assert _timeline(incident)[-1] == ("field_note", "responder", "Bhabinkamtibmas datang, kedua pemuda dipisah")
    assert not Notification.objects.filter(purpose="incident").exists()  # a note alone asks nothing of anyone
    answer = client.post(note_url, {"note": "Sudah didamaikan oleh ketua RW, spanduk dipasang ulang", "settled": "on"})
    assert answer.status_code == 302
    assert _timeline(incident)[-1][0] == "field_settled"
    told = Notification.objects.get(purpose="incident")
    assert f"[Kejadian #{incident.pk}] Selesai di lapangan" in told.subject and "ketua RW" in told.body
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.VERIFIED  # only an analyst resolves it
    # The analyst finds the proposal on the home page and where the incident is resolved, and resolves it.
    client.force_login(personas["analyst"])
    home = client.get(reverse("home:home")).content.decode()
    assert "Selesai di lapangan, untuk Anda selesaikan" in home
    assert home.count(f'href="/kejadian/{incident.pk}/">#{incident.pk} ') == 1
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "<details open><summary>Selesai tanpa penanganan" in page and "spanduk dipasang ulang" in page
    # An analyst who doubts it answers from the field too, which takes it off the list; a new "settled" puts it back.
    client.post(note_url, {"note": "Belum: ketua pemuda RW 03 belum menerima"})
    assert "Selesai di lapangan, untuk Anda selesaikan" not in client.get(reverse("home:home")).content.decode()
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "<details open><summary>Selesai tanpa penanganan" not in page
    client.force_login(personas["responder"])
    client.post(note_url, {"note": "Sudah diterima kedua pihak di balai RW", "settled": "on"})
    client.force_login(personas["analyst"])
    assert "Selesai di lapangan, untuk Anda selesaikan" in client.get(reverse("home:home")).content.decode()
    client.post(reverse("cases:incident_settle", args=[incident.pk]), {"note": "Dicek: sudah damai"})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED
    assert "Selesai di lapangan, untuk Anda selesaikan" not in client.get(reverse("home:home")).content.decode()
    # Closed: nothing more is written from the field until it is reopened.
    client.force_login(personas["responder"])
    refused = client.post(note_url, {"note": "Ribut lagi"}, follow=True).content.decode()
    assert "ditutup; buka kembali dulu" in refused
    assert "Tulis tindakan atau temuan di lapangan" not in refused


@pytest.mark.django_db
def test_who_writes_from_the_field(client, personas, region, incident):
    note_url = reverse("triage:incident_field_note", args=[incident.pk])
    client.force_login(personas["responder"])
    empty = client.post(note_url, {"note": "   "}, follow=True).content.decode()
    assert "Tuliskan apa yang dilakukan atau ditemukan" in empty
    far = reported(region(GADINGREJO_KEL), "Warga protes bansos di kantor kelurahan")
    assert client.post(reverse("triage:incident_field_note", args=[far.pk]), {"note": "x"}).status_code == 404
    client.force_login(personas["leadership"])
    assert client.post(note_url, {"note": "x"}).status_code == 403
    assert "Tulis tindakan" not in client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    client.force_login(personas["mediator"])
    client.post(note_url, {"note": "FKUB siap memfasilitasi musyawarah"})
    assert Incident.objects.get(pk=incident.pk).events.filter(verb="field_note", actor=personas["mediator"]).exists()

"""Verified incidents that nothing carries forward are listed for the analyst, who may choose a day to look again
(and is reminded then): small problems get no case, and "verified and open" was where they were forgotten."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from sigap.alerts.choices import AlertKind, AlertState
from sigap.alerts.models import Alert
from sigap.cases import services as cases
from sigap.cases.tests.factories import mailbox, reported, verify
from sigap.conftest import BUGUL_LOR, CITY
from sigap.core.models import AuditLog
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel, Notification
from sigap.risk.choices import RiskLevel
from sigap.triage.services import IncidentRuleError, follow_ups_due, incident_follow_up, secretariat_queue_digest

WIB = ZoneInfo("Asia/Jakarta")
TUESDAY = datetime(2020, 12, 1, 10, 0, tzinfo=WIB)
SECTION = "tanpa tindak lanjut"


@pytest.fixture
def quiet(region, personas):
    made = reported(region(BUGUL_LOR), "Warga RW 02 berselisih soal jalan yang ditutup tetangga", at=TUESDAY)
    return verify(made, personas["analyst"], at=TUESDAY)


@pytest.fixture
def handled(region, personas, organisations):
    made = reported(region(BUGUL_LOR), "Dua kelompok pemuda saling lempar batu di gang RW 05", at=TUESDAY)
    incident = verify(made, personas["analyst"], at=TUESDAY)
    with time_machine.travel(TUESDAY, tick=False):
        cases.case_open(
            title="Bentrok pemuda RW 05",
            lead_organisation=organisations["polsek_panggungrejo"],
            incidents=[incident],
            actor=personas["analyst"],
        )
    return incident


def _home(client: Client, when: datetime) -> str:
    with time_machine.travel(when, tick=False):
        return client.get(reverse("home:home")).content.decode()


def _listed(page: str, incident) -> bool:
    section = page[page.find('id="tanpa-tindak-lanjut"') :] if 'id="tanpa-tindak-lanjut"' in page else ""
    return f'href="/kejadian/{incident.pk}/">#{incident.pk} ' in section


@pytest.mark.django_db
def test_a_quiet_verified_incident_is_listed_until_a_day_is_chosen_to_look_again(
    personas, organisations, region, quiet, handled
):
    client = Client()
    client.force_login(personas["analyst"])
    assert not _listed(_home(client, TUESDAY + timedelta(days=3)), quiet)  # three quiet days are not yet forgotten
    page = _home(client, TUESDAY + timedelta(days=8))
    assert _listed(page, quiet) and "kabar terakhir 1 Des" in page
    assert not _listed(page, handled)  # an open case carries it
    # So does an alert of its kelurahan that is being responded to; a triggered one that nobody took up does not.
    alert = Alert.objects.create(
        kind=AlertKind.LEVEL_RISE,
        state=AlertState.TRIGGERED,
        level=RiskLevel.SIAGA,
        title="Kerawanan naik: Bugul Lor",
        city=region(CITY),
        triggered_at=TUESDAY,
        last_activity_at=TUESDAY,
    )
    alert.incidents.add(quiet)
    assert _listed(_home(client, TUESDAY + timedelta(days=8)), quiet)
    Alert.objects.filter(pk=alert.pk).update(state=AlertState.RESPONDING)
    assert not _listed(_home(client, TUESDAY + timedelta(days=8)), quiet)
    Alert.objects.filter(pk=alert.pk).update(state=AlertState.CLOSED)
    # The analyst chooses a day and what to check; the incident leaves the list until that day.
    with time_machine.travel(TUESDAY + timedelta(days=8), tick=False):
        answer = client.post(
            reverse("triage:incident_follow_up", args=[quiet.pk]),
            {"on": "2020-12-14", "note": "Apakah musyawarah RW 02 dengan lurah sudah terlaksana?"},
            follow=True,
        )
    assert "Dijadwalkan: Anda akan diingatkan" in answer.content.decode()
    assert "Dicek lagi pada 14 Des 2020" in answer.content.decode()
    assert "Belum: cek lagi pada hari yang dipilih" in answer.content.decode()  # the form, for the next time
    quiet.refresh_from_db()
    assert quiet.follow_up_on == date(2020, 12, 14) and quiet.follow_up_by == personas["analyst"]
    event = quiet.events.get(verb="follow_up_set")
    assert event.note == "14-12-2020: Apakah musyawarah RW 02 dengan lurah sudah terlaksana?"
    assert AuditLog.objects.filter(action="incident.follow_up_set", object_id=str(quiet.pk)).exists()
    assert not _listed(_home(client, TUESDAY + timedelta(days=12)), quiet)
    page = _home(client, datetime(2020, 12, 14, 8, tzinfo=WIB))
    assert _listed(page, quiet) and "dicek lagi 14 Des" in page
    # Once resolved, it is off the list.
    cases.incident_settle(incident=quiet, actor=personas["analyst"], note="Jalan dibuka lagi setelah musyawarah")
    assert not _listed(_home(client, datetime(2020, 12, 14, 9, tzinfo=WIB)), quiet)


@pytest.mark.django_db
def test_on_the_day_the_analyst_who_chose_it_is_reminded_with_what_to_check(personas, organisations, quiet):
    Channel.objects.create(
        name="E-mail analis", kind=ChannelKind.EMAIL, user=personas["analyst"], config={"address": "analis@example.org"}
    )
    mailbox(organisations["kesbangpol"], "sekretariat@kesbangpol.example")
    incident_follow_up(
        incident=quiet, actor=personas["analyst"], on=date(2020, 12, 7), note="Cek hasil mediasi lurah", at=TUESDAY
    )
    assert follow_ups_due(datetime(2020, 12, 6, 20, tzinfo=WIB)) == 0
    day = datetime(2020, 12, 7, 9, tzinfo=WIB)
    assert follow_ups_due(day) == 1 and follow_ups_due(day + timedelta(hours=1)) == 0  # once per day chosen
    told = Notification.objects.get(purpose="reminder")
    assert told.channel.user == personas["analyst"] and "Yang dicek: Cek hasil mediasi lurah\n" in told.body
    assert f"/kejadian/{quiet.pk}/" in told.body
    with time_machine.travel(day, tick=False):
        digest = "\n".join(secretariat_queue_digest(organisations["kesbangpol"]))
    assert "1 kejadian terverifikasi dijadwalkan dicek lagi hari ini" in digest
    # An analyst who cannot be reached (no channel of their own) leaves it to the secretariat.
    Channel.objects.filter(user=personas["analyst"]).delete()
    incident_follow_up(incident=quiet, actor=personas["analyst"], on=date(2020, 12, 9), note="Lagi", at=day)
    follow_ups_due(datetime(2020, 12, 9, 9, tzinfo=WIB))
    latest = Notification.objects.filter(purpose="reminder").order_by("-pk").first()
    assert latest is not None and latest.channel.organisation == organisations["kesbangpol"]


@pytest.mark.django_db
def test_a_follow_up_day_must_come_and_say_what_to_check(client, personas, region, quiet):
    refusals = [
        ({"on": date(2020, 12, 1), "note": "x"}, "Pilih hari setelah hari ini"),
        ({"on": date(2021, 3, 5), "note": "x"}, "Paling lama 90 hari"),
        ({"on": date(2020, 12, 5), "note": "  "}, "Tulis apa yang akan dicek"),
    ]
    for changes, words in refusals:
        with pytest.raises(IncidentRuleError, match=words):
            incident_follow_up(incident=quiet, actor=personas["analyst"], at=TUESDAY, **changes)
    waiting = reported(region(BUGUL_LOR), "Isu penculikan anak di RW 01", at=TUESDAY)
    with pytest.raises(IncidentRuleError, match="Hanya kejadian terverifikasi"):
        incident_follow_up(incident=waiting, actor=personas["analyst"], on=date(2020, 12, 5), note="x", at=TUESDAY)
    client.force_login(personas["responder"])
    url = reverse("triage:incident_follow_up", args=[quiet.pk])
    assert client.post(url, {"on": "2030-01-01", "note": "x"}).status_code == 403
    assert not quiet.events.filter(verb="follow_up_set").exists()

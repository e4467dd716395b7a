"""Status Keadaan Konflik: the prompt from an escalating incident, the declaration with its limits, extension,
revocation and the reporting duties with their reminders."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sigap.cases import services
from sigap.cases.choices import StatusState
from sigap.cases.rules import StatusRuleError
from sigap.cases.selectors import status_in_force, status_prompts
from sigap.cases.tests.factories import mailbox, reported, verify
from sigap.conftest import BUGUL_LOR
from sigap.core.calendar import holidays_load
from sigap.notify.models import Notification
from sigap.triage.services import incident_update_facts

WIB = ZoneInfo("Asia/Jakarta")
START = date(2020, 12, 10)


def declaration(**changes):
    values = dict(
        decree_number="188.45/123/423.011/2020",
        reasons="Bentrok meluas ke tiga kecamatan",
        dprd_consulted_on=START - timedelta(days=1),
        declared_on=START,
        starts_on=START,
        ends_on=START + timedelta(days=89),
    )
    values.update(changes)
    return services.Declaration(**values)


@pytest.fixture
def status(db, personas, organisations):
    holidays_load()
    return services.status_declare(declaration(), actor=personas["analyst"])


@pytest.mark.django_db
def test_an_escalating_incident_prompts_the_team_to_consider_a_status(
    region, personas, django_capture_on_commit_callbacks
):
    analyst = personas["analyst"]
    with django_capture_on_commit_callbacks(execute=True):
        incident = verify(
            reported(region(BUGUL_LOR), "Massa membakar pos kamling dan merusak kantor kelurahan"), analyst
        )
        incident_update_facts(
            incident=incident,
            actor=analyst,
            reason="Laporan Polsek",
            arson_or_looting=True,
            vital_object_damaged=True,
            crowd_growing=True,
        )
    assert status_prompts() == [incident]
    with pytest.raises(StatusRuleError):
        services.status_consider(incident=incident, actor=analyst, note=" ")
    services.status_consider(incident=incident, actor=analyst, note="Polres masih mampu mengendalikan")
    assert status_prompts() == []


@pytest.mark.django_db
def test_a_declaration_outside_the_law_is_refused_and_nothing_is_kept(personas):
    with pytest.raises(StatusRuleError, match="90"):
        services.status_declare(declaration(ends_on=START + timedelta(days=90)), actor=personas["analyst"])
    with pytest.raises(StatusRuleError, match="DPRD"):
        services.status_declare(declaration(dprd_consulted_on=None), actor=personas["analyst"])
    from sigap.cases.models import ConflictStatus

    assert not ConflictStatus.objects.exists()


@pytest.mark.django_db
def test_extension_and_revocation_at_their_limits(status, personas):
    analyst = personas["analyst"]
    end = status.ends_on
    with pytest.raises(StatusRuleError, match="10 hari"):
        services.status_extend(
            status=status,
            decided_on=end - timedelta(days=9),
            extended_to=end + timedelta(days=10),
            actor=analyst,
            reason="Masih rawan",
        )
    services.status_extend(
        status=status,
        decided_on=end - timedelta(days=10),
        extended_to=end + timedelta(days=30),
        actor=analyst,
        reason="Masih rawan",
    )
    status.refresh_from_db()
    assert status.last_day == end + timedelta(days=30)
    with pytest.raises(StatusRuleError, match="satu kali"):
        services.status_extend(
            status=status,
            decided_on=end - timedelta(days=20),
            extended_to=end + timedelta(days=1),
            actor=analyst,
            reason="lagi",
        )
    services.status_revoke(
        status=status, revoked_on=START + timedelta(days=40), actor=analyst, reason="Situasi kondusif"
    )
    status.refresh_from_db()
    assert status.state_on(START + timedelta(days=39)) == StatusState.IN_FORCE
    assert status.state_on(START + timedelta(days=40)) == StatusState.REVOKED
    assert [e.verb for e in status.events.all()] == ["declared", "extended", "revoked"]
    with pytest.raises(StatusRuleError):
        services.status_declare(declaration(), actor=analyst)  # overlapping the one in force


@pytest.mark.django_db
def test_reporting_duties_are_reminded_to_the_secretariat(status, organisations, personas):
    mailbox(organisations["kesbangpol"], "sekretariat@kesbangpol.example")
    duties = services.status_duties(status, START)
    assert duties[0].due_on == date(2020, 12, 11)  # spending plan: one working day after the declaration
    reports = [d for d in duties if "Gubernur" in d.what]
    assert reports[0].due_on == START + timedelta(days=7) and reports[-1].due_on == status.last_day
    assert services.status_duties_due(datetime(2020, 12, 10, 9, tzinfo=WIB)) == 1  # the spending plan, ahead
    assert services.status_duties_due(datetime(2020, 12, 10, 10, tzinfo=WIB)) == 0  # once
    services.status_funding_plan_filed(status=status, filed_on=START, actor=personas["analyst"])
    assert services.status_duties_due(datetime(2020, 12, 14, 9, tzinfo=WIB)) == 1  # first report, three days ahead
    services.status_report_record(
        status=status,
        sent_on=date(2020, 12, 17),
        letter_number="300/45/2020",
        summary="Situasi berangsur pulih",
        actor=personas["analyst"],
    )
    assert next(d for d in services.status_duties(status, START) if "Gubernur" in d.what).done
    assert Notification.objects.filter(subject__contains="Status Keadaan Konflik").count() == 2
    with time_machine.travel(datetime(2020, 12, 20, 9, tzinfo=WIB), tick=False):
        assert status_in_force() == status


@pytest.mark.django_db
def test_only_analysts_record_a_status_and_leadership_reads_it(client, personas, status):
    client.force_login(personas["leadership"])
    page = client.get(reverse("cases:status_detail", args=[status.pk]))
    assert page.status_code == 200 and status.decree_number in page.content.decode()
    assert client.post(reverse("cases:status_act", args=[status.pk, "cabut"]), {}).status_code == 403
    client.force_login(personas["responder"])
    assert client.get(reverse("cases:status_list")).status_code == 403
    client.force_login(personas["analyst"])
    response = client.post(
        reverse("cases:status_act", args=[status.pk, "perpanjang"]),
        {"decided_on": "2021-03-05", "extended_to": "2021-04-30", "note": "x"},
        follow=True,
    )
    assert status.events.filter(verb="extended").count() == 0
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_escalating_incident_during_a_status_is_handled_under_it(
    client, region, personas, organisations, django_capture_on_commit_callbacks
):
    """While a status is in force, an incident meeting PP 2/2015 Ps 43 is not a prompt to declare another: the
    analyst puts it under the status in force, and the home page says so."""
    holidays_load()
    analyst = personas["analyst"]
    with time_machine.travel(datetime(2020, 12, 12, 9, tzinfo=WIB), tick=False):
        status = services.status_declare(declaration(), actor=analyst)
        with django_capture_on_commit_callbacks(execute=True):
            incident = verify(reported(region(BUGUL_LOR), "Massa membakar pos kamling"), analyst)
            incident_update_facts(incident=incident, actor=analyst, reason="Polsek", arson_or_looting=True)
        assert status_prompts() == [incident]
        client.force_login(personas["leadership"])
        assert "tangani dalam status yang berlaku" in client.get(reverse("home:home")).content.decode()
        client.force_login(analyst)
        page = client.get(reverse("cases:status_list")).content.decode()
        assert "Tangani dalam status yang berlaku" in page
        client.post(reverse("cases:status_consider", args=[incident.pk]), {"cover": "1"})
        assert status_prompts() == []
        assert list(status.incidents.all()) == [incident]
        assert status.events.filter(verb="incident_linked", note__startswith=f"#{incident.pk}").exists()

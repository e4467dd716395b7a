from datetime import datetime

import pytest
from django.db.models import Count

from sigap.accounts.models import User
from sigap.actors.models import Actor
from sigap.alerts.choices import AlertKind, AlertState
from sigap.alerts.models import Alert, AlertEvent
from sigap.cases.choices import CaseStatus, TaskStatus
from sigap.cases.models import Case, CaseEvent, ResponsePlan, ResponseStep, StatusConsideration
from sigap.coordination.models import Meeting, PlanItem
from sigap.core.roles import Role
from sigap.demo.generator import WIB, seed_demo
from sigap.directory.models import Organisation, TeamMembership
from sigap.intake.models import MonitorCheck, Report, ReporterMessage, ResolutionAnswer
from sigap.mediation.choices import MediationStatus
from sigap.mediation.models import MediationEvent, RelapseFlag
from sigap.notify.models import Channel, DutyShift, Notification, RoutingRule
from sigap.regions.selectors import region_at_point
from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaIndicator, AreaRisk, ElectionPhase, HistoricalCount
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident, IncidentEvent


@pytest.mark.django_db
def test_the_demo_month_is_realistic_and_seeded_once():
    result = seed_demo(seed=7)
    assert result.created
    assert {p.role for p in result.personas} == set(Role)
    assert User.objects.filter(role=Role.TRUSTED_REPORTER).count() > 3
    assert Organisation.objects.filter(name="Polres Pasuruan Kota").exists()
    assert TeamMembership.objects.filter(sub_team="penghentian").exists()

    reports = Report.objects.all()
    assert reports.count() == result.reports > 150
    assert reports.values("region").distinct().count() >= 25  # spread across the city
    received = reports.order_by("received_at")
    assert received.first().received_at.date().isoformat() >= "2020-11-19"
    assert received.last().received_at.date().isoformat() <= "2020-12-21"
    statuses = dict(Incident.objects.values_list("status").annotate(n=Count("id")))
    for status in (IncidentStatus.NEW, IncidentStatus.VERIFIED, IncidentStatus.RESOLVED, IncidentStatus.HOAX):
        assert statuses.get(status, 0) > 0, status
    assert Incident.objects.values("category").distinct().count() >= 8
    # Escalating threads: some incidents merge many reports.
    assert Incident.objects.annotate(n=Count("reports")).filter(n__gte=5).count() >= 2

    # Risk levels for every day of the month, with reasons, and alerts at every step of their lifecycle.
    days = AreaRisk.objects.values("day").distinct().count()
    assert days >= 31 and AreaRisk.objects.filter(day="2020-12-09").count() == 34
    assert AreaRisk.objects.filter(level__gte=RiskLevel.SIAGA).exists()
    assert AreaRisk.objects.exclude(drivers=[]).count() > 100
    states = set(Alert.objects.values_list("state", flat=True))
    assert {AlertState.TRIGGERED, AlertState.ACKNOWLEDGED, AlertState.CLOSED} <= states and len(states) >= 4
    assert Alert.objects.filter(kind=AlertKind.GRAVE_INCIDENT, level=RiskLevel.AWAS).exists()
    assert AlertEvent.objects.filter(verb="close_proposed").exists()
    # Every alert was queued for the analyst and Polres in the app, in the transaction that raised it.
    alerts_notified = Notification.objects.filter(purpose="alert").values("alert").distinct().count()
    assert alerts_notified == Alert.objects.count()
    # The tokoh and RT/RW heads without an account were warned by SMS of their own kelurahan's alerts.
    by_sms = Notification.objects.filter(purpose="warning", channel__person__isnull=False)
    assert by_sms.exists() and all(
        n.alert.regions.filter(pk=n.channel.person.region_id).exists()
        for n in by_sms.select_related("channel__person", "alert")[:20]
    )

    # Response until resolved: a case with tasks, resolved through a mediation whose agreement is followed up.
    resolved = Case.objects.filter(status=CaseStatus.RESOLVED, tasks__isnull=False, mediations__isnull=False)
    showcase = resolved.distinct().get()
    assert not showcase.tasks.filter(status=TaskStatus.OPEN).exists()
    assert showcase.incidents.get().status == IncidentStatus.RESOLVED
    agreed = showcase.mediations.get()
    assert agreed.status == MediationStatus.FULFILLED and agreed.agreement.follow_ups.count() == 2
    # The Trajeng clashes broke an earlier agreement: the mediation and the kelurahan's risk are flagged.
    assert RelapseFlag.objects.filter(mediation__region__name="Trajeng").exists()
    trajeng = AreaRisk.objects.get(region__name="Trajeng", day="2020-12-10")
    assert any("relapse:1" in d.get("notes", []) for d in trajeng.drivers)
    assert Case.objects.exclude(status=CaseStatus.RESOLVED).exists() and Meeting.objects.count() == 2
    assert PlanItem.objects.filter(year=2020).count() >= 4 and StatusConsideration.objects.exists()
    # The analyst chose the story's morning to look again at a quiet incident that no case handles.
    looked_again = Incident.objects.get(follow_up_on__isnull=False)
    assert looked_again.status == IncidentStatus.VERIFIED and looked_again.follow_up_on.isoformat() == "2020-12-21"
    # Every timeline step happened in the demo's weeks of 2020, not on the day the demo was set up.
    month_over = datetime(2021, 1, 1, tzinfo=WIB)
    for events in (IncidentEvent, CaseEvent, MediationEvent, AlertEvent):
        assert not events.objects.filter(at__gte=month_over).exists(), events.__name__
    assert not StatusConsideration.objects.filter(decided_at__gte=month_over).exists()
    assert not RelapseFlag.objects.filter(reviewed_at__gte=month_over).exists()
    assert ReporterMessage.objects.exists() and not ReporterMessage.objects.filter(at__gte=month_over).exists()
    # The registry of groups: both camps found in many reports, both sides of the land dispute on its incident.
    camps = Actor.objects.filter(name__startswith="Pendukung paslon")
    assert camps.count() == 2 and all(camp.incident_links.count() >= 10 for camp in camps)
    dispute = Incident.objects.get(cases__title="Sengketa lahan warga dan pengembang di Blandongan")
    assert set(dispute.actor_links.values_list("actor__name", flat=True)) >= {
        "Warga RW 03 Blandongan",
        "PT Griya Pasuruan Asri",
    }

    # The persona's Bugul Lor hears from its Bhabinkamtibmas and, by SMS, from its tokoh or RT/RW head too.
    bugul_lor = MonitorCheck.objects.filter(region__code="35.75.04.1010")
    assert bugul_lor.filter(reporter__username="pelapor").exists() and bugul_lor.filter(person__isnull=False).exists()

    # Reporters of the latest resolved incidents said whether the problem was really settled: one "not yet" the
    # analyst answered, keeping it resolved, and one still waiting for the analyst.
    answers = ResolutionAnswer.objects.all()
    assert answers.filter(settled=True).exists() and answers.filter(settled=False, reviewed_at__isnull=False).exists()
    assert ResolutionAnswer.objects.disputed().count() == 1

    # The steps agreed at the first rakor, for the Pilkada's kinds of trouble.
    assert set(ResponsePlan.objects.values_list("name", flat=True)) >= {"Bentrok antarpendukung", "Keadaan Awas"}
    assert (
        ResponseStep.objects.filter(plan__name="Bentrok antarpendukung", leads=True).get().organisation_kind == "polri"
    )

    again = seed_demo(seed=7)
    assert not again.created
    assert Report.objects.count() == result.reports


@pytest.mark.django_db
def test_pinned_demo_reports_are_placed_by_the_gazetteer_not_by_the_generator():
    seed_demo(seed=11)
    pinned = Report.objects.exclude(latitude=None)
    assert pinned.count() > 30
    for report in pinned[:60]:
        assert report.region == region_at_point(lat=report.latitude, lng=report.longitude)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_month():
    seed_demo(seed=3)
    first = list(Report.objects.order_by("received_at", "description").values_list("description", "received_at"))
    Report.objects.all().delete()
    Incident.objects.all().delete()
    DutyShift.objects.all().delete()  # shifts keep their person (PROTECT): such an account is deactivated, not deleted
    User.objects.all().delete()
    TeamMembership.objects.all().delete()
    from sigap.directory.models import Person, TeamDecree

    Person.objects.all().delete()
    TeamDecree.objects.all().delete()
    for model in (
        Notification,
        Channel,
        RoutingRule,
        Alert,
        AreaRisk,
        AreaIndicator,
        HistoricalCount,
        ElectionPhase,
        Actor,
    ):
        model.objects.all().delete()
    seed_demo(seed=3)
    second = list(Report.objects.order_by("received_at", "description").values_list("description", "received_at"))
    assert first == second


@pytest.mark.django_db
def test_demo_setup_runs_twice_without_duplicating_and_prints_the_accounts(capsys):
    from django.core.management import call_command

    call_command("demo", "setup", "--seed", "5", "--skip-model")
    first = capsys.readouterr().out
    assert "Demo month seeded" in first
    for username in ("admin", "analis", "polres", "mediator", "pimpinan", "pelapor"):
        assert f"  {username} " in first
    reports = Report.objects.count()
    call_command("demo", "setup", "--seed", "5", "--skip-model")
    second = capsys.readouterr().out
    assert "Demo data already present; nothing added." in second
    assert Report.objects.count() == reports
    assert "analis" in second  # the accounts are printed again


@pytest.mark.django_db
def test_every_demo_incident_page_renders_for_the_analyst(client):
    from django.urls import reverse

    seed_demo(seed=13)
    client.force_login(User.objects.get(username="analis"))
    for pk in Incident.objects.values_list("pk", flat=True):
        response = client.get(reverse("triage:incident_detail", args=[pk]))
        assert response.status_code == 200, pk


def test_the_demo_clock_is_fixed_once_and_kept_beside_the_database(settings, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    settings.DATA_DIR = tmp_path
    call_command("demo", "clock")
    spec = capsys.readouterr().out.strip()
    assert spec.startswith("2020-12-21T07:30:00+07:00@")  # the morning after the seeded month
    call_command("demo", "clock")
    assert capsys.readouterr().out.strip() == spec  # a restart goes on with the same story, not back in time
    (tmp_path / "demo_clock").write_text("besok\n")
    with pytest.raises(CommandError, match="remove the file"):
        call_command("demo", "clock")


@pytest.mark.django_db
def test_on_its_story_clock_the_demo_month_is_the_present_not_years_ago(client):
    import re

    from sigap.core import clock
    from sigap.demo.generator import STORY_CLOCK_START

    clock.install(clock.StoryClock(story=STORY_CLOCK_START, real=clock.real_now()))
    try:
        seed_demo()
        client.force_login(User.objects.get(username="analis"))
        page = client.get("/beranda/").content.decode()
    finally:
        clock.uninstall()
    assert "21 Des 2020, 07." in page  # the banner names the story's moment (minutes on: seeding takes a while)
    # the verification clocks count hours and days from the story's morning, not the years since 2020
    clocks = re.findall(r'<span class="small [a-z]*">([^<]+)</span>', page)
    assert clocks and not [c for c in clocks if "tahun" in c or "bulan" in c], clocks
    assert any("terlambat" in c for c in clocks) and any("verifikasi dalam" in c for c in clocks), clocks

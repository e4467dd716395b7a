"""The actor registry: groups found in the reports' words, linked and unlinked by analysts, merged when registered
twice, and each group's history as each role may see it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from sigap.actors import rules, services
from sigap.actors import selectors as actor_selectors
from sigap.actors.choices import ActorKind, LinkSource
from sigap.actors.models import Actor, IncidentActor
from sigap.actors.selectors import actor_history, actor_rows, party_suggestions
from sigap.cases.services import case_open
from sigap.core.grading import Credibility, Reliability
from sigap.core.models import AuditLog
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident
from sigap.triage.services import incident_merge, incident_verify

BUGUL_LOR = "35.75.04.1010"  # the tests' trusted reporter's kelurahan
PANGGUNGREJO_KEL = "35.75.04.1011"  # in Kecamatan Panggungrejo, where the tests' responder works
GADINGREJO_KEL = "35.75.01.1001"  # in Kecamatan Gadingrejo, outside it
ELSEWHERE = "35.75.03.1002"  # a third kelurahan, so that a report there opens its own incident


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Pendukung Paslon-01 melempar botol", "Pendukung paslon 01"),
        ("konvoi PASLON 01, warga marah", "paslon 01"),
        ("spanduk paslon 02 dipasang di RW 01", None),  # the words apart are not the name
        ("relawan 01 berkumpul", "relawan 01"),
        ("paslon 012 dan paslon 10", None),  # whole words only
        ("", None),
    ],
)
def test_a_name_is_found_as_whole_words_in_order(text, found):
    assert rules.name_found(["Pendukung paslon 01", "paslon 01", "relawan 01"], text) == found


@pytest.mark.parametrize(
    ("alias", "problem"),
    [("warga", "too general"), ("Pendukung paslon", "too general"), ("--", "no letters or digits"), ("FPI", None)],
)
def test_an_alias_that_would_find_every_report_is_refused(alias, problem):
    assert rules.alias_problem(alias) == problem


def _report(region: Any, text: str, groups: str = "") -> Incident:
    report, _ = report_receive(
        ReportDraft(channel=Channel.WEB, description=text, region=region, groups_involved=groups)
    )
    assert report.incident is not None
    return report.incident


def _camp(number: str, **extra: Any) -> Actor:
    return Actor(
        name=f"Pendukung paslon {number}",
        kind=ActorKind.CANDIDATE_CAMP,
        aliases=f"paslon {number}\nrelawan {number}",
        **extra,
    )


@pytest.mark.django_db
def test_registering_a_group_links_the_incidents_whose_reports_name_it(region, personas):
    named = _report(region(PANGGUNGREJO_KEL), "Adu mulut relawan 01 dan warga di pos kamling")
    other = _report(region(GADINGREJO_KEL), "Spanduk paslon 02 dipasang di RW 01")
    by_groups = _report(region(GADINGREJO_KEL), "Konvoi motor, knalpot brong", groups="Pendukung Paslon 01")
    camp = _camp("01")

    linked = services.actor_save(actor=camp, by=personas["analyst"])

    assert linked == 2
    links = {link.incident_id: link for link in IncidentActor.objects.filter(actor=camp)}
    assert set(links) == {named.pk, by_groups.pk} and other.pk not in links
    assert links[named.pk].matched_name == "relawan 01" and links[named.pk].source == LinkSource.NAMED
    row = AuditLog.objects.get(action="actors.created")
    assert row.actor == personas["analyst"] and row.details["aliases"] == ["paslon 01", "relawan 01"]


@pytest.mark.django_db
def test_a_group_is_refused_when_its_name_would_find_every_report_or_names_another(personas):
    services.actor_save(actor=_camp("01"), by=personas["analyst"])
    with pytest.raises(services.ActorRuleError, match="terlalu umum"):
        services.actor_save(actor=Actor(name="Warga", kind=ActorKind.RESIDENTS), by=personas["analyst"])
    with pytest.raises(services.ActorRuleError, match="Pendukung paslon 01"):
        services.actor_save(
            actor=Actor(name="Relawan kuning", kind=ActorKind.CANDIDATE_CAMP, aliases="Relawan 01"),
            by=personas["analyst"],
        )
    assert Actor.objects.count() == 1


@pytest.mark.django_db
def test_a_new_report_naming_a_group_links_its_incident_at_once(region, personas, django_capture_on_commit_callbacks):
    camp = _camp("02")
    services.actor_save(actor=camp, by=personas["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        incident = _report(region(PANGGUNGREJO_KEL), "Relawan 02 menurunkan baliho lawan di RW 04")
    assert IncidentActor.objects.current().filter(incident=incident, actor=camp).exists()
    # Another report of the same event, merged into the incident, names the other camp.
    rival = _camp("01")
    services.actor_save(actor=rival, by=personas["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        second = _report(region(ELSEWHERE), "Baliho paslon 01 diturunkan, pendukung tidak terima")
        incident_merge(source=second, target=incident, actor=personas["analyst"])
    assert set(IncidentActor.objects.current().filter(incident=incident).values_list("actor", flat=True)) == {
        camp.pk,
        rival.pk,
    }


@pytest.mark.django_db
def test_an_unlinked_group_is_not_linked_again_by_the_next_report(region, personas, django_capture_on_commit_callbacks):
    camp = _camp("01")
    services.actor_save(actor=camp, by=personas["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        incident = _report(region(PANGGUNGREJO_KEL), "Paslon 01 membagikan sembako di balai RW")
    link = IncidentActor.objects.get(incident=incident, actor=camp)

    with pytest.raises(services.ActorRuleError):
        services.actor_unlink(link=link, by=personas["analyst"], reason="  ")
    services.actor_unlink(link=link, by=personas["analyst"], reason="sembako dari dinas sosial, bukan paslon")
    with django_capture_on_commit_callbacks(execute=True):
        again = _report(region(PANGGUNGREJO_KEL), "Sembako paslon 01 dibagikan di balai RW")
        assert again.pk == incident.pk  # merged into the same incident
        incident_verify(
            incident=incident,
            decision=IncidentStatus.VERIFIED,
            actor=personas["analyst"],
            reliability=Reliability.B,
            credibility=Credibility.PROBABLY_TRUE,
        )
    assert not IncidentActor.objects.current().filter(incident=incident).exists()
    event = incident.events.get(verb="actor_unlinked")
    assert event.actor == personas["analyst"] and "dinas sosial" in event.note

    services.actor_link(incident=incident, actor=camp, by=personas["analyst"], note="ternyata dari tim paslon")
    link.refresh_from_db()
    assert link.removed_at is None and link.source == LinkSource.ANALYST and link.linked_by == personas["analyst"]
    assert incident.events.filter(verb="actor_linked").exists()
    with pytest.raises(services.ActorRuleError):
        services.actor_link(incident=incident, actor=camp, by=personas["analyst"])


@pytest.mark.django_db
def test_a_group_registered_twice_is_merged_with_its_incidents_and_names(region, personas):
    camp = _camp("01")
    services.actor_save(actor=camp, by=personas["analyst"])
    twice = Actor(name="Tim sukses nomor satu", kind=ActorKind.CANDIDATE_CAMP, aliases="timses nomor satu")
    services.actor_save(actor=twice, by=personas["analyst"])
    both = _report(region(PANGGUNGREJO_KEL), "Relawan 01 dan timses nomor satu berkumpul di lapangan")
    only_twice = _report(region(GADINGREJO_KEL), "Timses nomor satu membagikan kaos")
    services.link_named(both, both.created_at)
    services.link_named(only_twice, only_twice.created_at)

    services.actor_follow(actor=twice, user=personas["mediator"], follow=True)
    with pytest.raises(services.ActorRuleError):
        services.actor_merge(source=twice, into=twice, by=personas["analyst"], reason="sama")
    moved = services.actor_merge(source=twice, into=camp, by=personas["analyst"], reason="nama lain tim yang sama")

    assert moved == 1  # `both` already had camp; its second link stays with the retired entry
    camp.refresh_from_db()
    twice.refresh_from_db()
    assert "Tim sukses nomor satu" in camp.names() and "timses nomor satu" in camp.names()
    assert not twice.active and "Digabung ke Pendukung paslon 01" in twice.note
    assert list(camp.followers.all()) == [personas["mediator"]]
    assert set(IncidentActor.objects.current().filter(actor=camp).values_list("incident", flat=True)) == {
        both.pk,
        only_twice.pk,
    }
    # A new report in the merged group's words now finds the group it was merged into.
    later = _report(region(ELSEWHERE), "Tim sukses nomor satu konvoi")
    assert [link.actor for link in services.link_named(later, later.created_at)] == [camp]
    # The camp can still be edited: the retired entry's names do not block its own.
    camp.note = "koordinator: Pak A"
    services.actor_save(actor=camp, by=personas["analyst"])


@pytest.mark.django_db
def test_history_shows_whom_the_group_met_where_and_the_cases_naming_it(region, personas, organisations):
    camp, rival = _camp("01"), _camp("02")
    services.actor_save(actor=camp, by=personas["analyst"])
    services.actor_save(actor=rival, by=personas["analyst"])
    clash = _report(region(PANGGUNGREJO_KEL), "Bentrok relawan 01 dan relawan 02 di lapangan")
    elsewhere = _report(region(GADINGREJO_KEL), "Relawan 01 memasang baliho tanpa izin")
    for incident in (clash, elsewhere):
        services.link_named(incident, incident.created_at)
    merged_away = _report(region(ELSEWHERE), "Relawan 01 konvoi")
    services.link_named(merged_away, merged_away.created_at)
    incident_merge(source=merged_away, target=elsewhere, actor=personas["analyst"])
    # A case whose incident does not name the camp, but whose parties do.
    quarrel = _report(region("35.75.02.1003"), "Warga RW 04 bertengkar soal baliho")
    quarrel = incident_verify(
        incident=quarrel,
        decision=IncidentStatus.VERIFIED,
        actor=personas["analyst"],
        reliability=Reliability.B,
        credibility=Credibility.PROBABLY_TRUE,
    )
    case = case_open(
        title="Ketegangan pendukung",
        lead_organisation=organisations["polsek_panggungrejo"],
        actor=personas["analyst"],
        incidents=[quarrel],
        parties=["Pendukung paslon 01 Trajeng", "Warga RW 04"],
    )
    case_open(
        title="Perkara lain",
        lead_organisation=organisations["polsek_panggungrejo"],
        actor=personas["analyst"],
        incidents=[quarrel],
        parties=["Pendukung paslon 02", "Warga RW 04"],
    )

    analyst_view = actor_history(camp, personas["analyst"])
    assert [i.pk for i in analyst_view.incidents] == sorted([clash.pk, elsewhere.pk], reverse=True)  # no duplicate
    assert analyst_view.counterparts == [(rival, 1)]
    assert dict(analyst_view.places) == {region(PANGGUNGREJO_KEL).name: 1, region(GADINGREJO_KEL).name: 1}
    assert analyst_view.cases == [case]
    # The responder of Kecamatan Panggungrejo sees the group's incident there, not the one in Gadingrejo.
    assert [i.pk for i in actor_history(camp, personas["responder"]).incidents] == [clash.pk]
    assert analyst_view.total == 2 and analyst_view.first_seen == min(
        clash.first_received_at, elsewhere.first_received_at
    )
    rows = {a.name: a for a in actor_rows(personas["responder"], clash.created_at)}
    assert rows["Pendukung paslon 01"].incident_count == 1 and rows["Pendukung paslon 01"].open_count == 1


@pytest.mark.django_db
def test_pages_staff_read_analysts_keep_trusted_reporters_never_see(region, personas):
    client = Client()
    client.force_login(personas["analyst"])
    incident = _report(region(PANGGUNGREJO_KEL), "Relawan 01 menghadang konvoi")
    response = client.post(
        reverse("actors:list"),
        {"name": "Pendukung paslon 01", "kind": ActorKind.CANDIDATE_CAMP, "aliases": "relawan 01\nrelawan 01\n"},
        follow=True,
    )
    camp = Actor.objects.get()
    assert camp.names() == ["Pendukung paslon 01", "relawan 01"]  # the repeated line kept once
    assert "dikaitkan dengan 1 kejadian" in response.content.decode(), response.content.decode()
    refused = client.post(reverse("actors:list"), {"name": "Massa", "kind": ActorKind.OTHER, "aliases": ""})
    assert refused.status_code == 200 and "terlalu umum" in refused.content.decode()
    assert Actor.objects.count() == 1

    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert 'id="kelompok"' in page and "Pendukung paslon 01" in page
    link = IncidentActor.objects.get()
    client.post(reverse("actors:incident_unlink", args=[incident.pk, link.pk]), {"reason": "salah baca"})
    assert IncidentActor.objects.current().count() == 0
    client.post(reverse("actors:incident_link", args=[incident.pk]), {"actor": camp.pk, "note": "dicek ulang"})
    assert IncidentActor.objects.current().get().source == LinkSource.ANALYST

    leadership = Client()
    leadership.force_login(personas["leadership"])
    detail = leadership.get(reverse("actors:detail", args=[camp.pk])).content.decode()
    assert f"#{incident.pk} {incident.title}" in detail and "Ubah data kelompok" not in detail
    assert leadership.post(reverse("actors:detail", args=[camp.pk]), {"name": "x"}).status_code == 403

    reporter = Client()
    reporter.force_login(personas["trusted_reporter"])
    assert reporter.get(reverse("actors:list")).status_code == 403
    assert reporter.get(reverse("actors:detail", args=[camp.pk])).status_code == 403
    # The trusted reporter's own incident: its page shows neither the groups section nor their timeline rows.
    own, _ = report_receive(
        ReportDraft(
            channel=Channel.TRUSTED,
            description="Relawan 01 berkumpul di pos kamling",
            region=region(BUGUL_LOR),
            submitted_by=personas["trusted_reporter"],
        )
    )
    services.actor_link(incident=own.incident, actor=camp, by=personas["analyst"], note="koordinator dikenal")
    mine = reporter.get(reverse("triage:incident_detail", args=[own.incident.pk])).content.decode()
    assert "Relawan 01 berkumpul" in mine
    assert camp.name not in mine and 'id="kelompok"' not in mine and "koordinator dikenal" not in mine
    staff_view = client.get(reverse("triage:incident_detail", args=[own.incident.pk])).content.decode()
    assert "koordinator dikenal" in staff_view  # the timeline row is there, for staff


@pytest.mark.django_db
def test_the_incident_list_filters_and_downloads_a_groups_incidents(region, personas):
    camp = _camp("01")
    services.actor_save(actor=camp, by=personas["analyst"])
    named = _report(region(PANGGUNGREJO_KEL), "Relawan 01 memasang spanduk provokatif")
    other = _report(region(GADINGREJO_KEL), "Warga bertengkar soal parkir")
    services.link_named(named, named.created_at)
    client = Client()
    client.force_login(personas["analyst"])

    listed = client.get(reverse("triage:incident_list"), {"group": camp.pk})
    shown = {i.pk for i in listed.context["page"].object_list}
    assert shown == {named.pk} and other.pk not in shown
    download = client.get(reverse("triage:incident_export", args=["csv"]), {"group": camp.pk})
    rows = b"".join(download.streaming_content).decode().splitlines()
    assert len(rows) == 3 and named.title in rows[2]  # HXL header lines, then the one incident

    reporter = Client()
    reporter.force_login(personas["trusted_reporter"])
    page = reporter.get(reverse("triage:incident_list"), {"group": camp.pk})
    assert "group" not in page.context["form"].fields and camp.name not in page.content.decode()


@pytest.mark.django_db
def test_a_case_or_mediation_opened_from_an_incident_offers_its_groups_as_parties(region, personas):
    camp, rival = _camp("01"), _camp("02")
    services.actor_save(actor=camp, by=personas["analyst"])
    services.actor_save(actor=rival, by=personas["analyst"])
    incident = _report(
        region(PANGGUNGREJO_KEL),
        "Relawan 02 dan pendukung paslon 01 saling dorong",
        groups="pendukung paslon 01; Karang Taruna RW 05\nkarang taruna rw 05",
    )
    services.link_named(incident, incident.created_at)
    expected = ["Pendukung paslon 01", "Pendukung paslon 02", "Karang Taruna RW 05"]
    assert party_suggestions(incident) == expected

    client = Client()
    client.force_login(personas["analyst"])
    case_form = client.get(reverse("cases:new"), {"incident": incident.pk}).context["form"]
    assert case_form.initial["parties"] == "\n".join(expected)
    page = client.get(reverse("mediation:new"), {"incident": incident.pk})
    assert [page.context["form"].initial.get(f"party_{i}") for i in range(3)] == expected
    assert '<option value="Pendukung paslon 02">' in page.content.decode()  # offered while typing


@pytest.mark.django_db
def test_followers_are_told_of_a_new_incident_naming_the_group_they_may_see(
    region, personas, django_capture_on_commit_callbacks
):
    for role in ("mediator", "responder", "analyst"):
        NotifyChannel.objects.create(name=f"inbox {role}", kind=ChannelKind.IN_APP, user=personas[role])
    camp = _camp("01")
    services.actor_save(actor=camp, by=personas["analyst"])
    client = Client()
    for role in ("mediator", "responder", "analyst"):
        client.force_login(personas[role])
        client.post(reverse("actors:follow", args=[camp.pk]), {"follow": "1"})
    assert camp.followers.count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        inside = _report(region(PANGGUNGREJO_KEL), "Relawan 01 menghadang konvoi lawan")
        outside = _report(region(GADINGREJO_KEL), "Relawan 01 membagikan amplop")
        _report(region(GADINGREJO_KEL), "Warga bertengkar soal parkir")  # names no group: nobody is told
    about_groups = Notification.objects.filter(idempotency_key__startswith="group")  # not the urgent-report notice
    told = {(n.channel.user.username, n.idempotency_key.split(":")[1]) for n in about_groups}
    # The Panggungrejo responder and mediator see only their kecamatan's incident; the analyst sees both.
    assert told == {
        ("mediator", f"incident{inside.pk}"),
        ("responder", f"incident{inside.pk}"),
        ("analyst", f"incident{inside.pk}"),
        ("analyst", f"incident{outside.pk}"),
    }
    notice = about_groups.filter(channel__user=personas["analyst"]).first()
    assert notice is not None and "Pendukung paslon 01" in notice.body and "menunggu verifikasi" in notice.body

    # Linking by hand tells the others, not the analyst who did it; a second report of the event, no one again.
    Notification.objects.all().delete()
    rival = _camp("02")
    services.actor_save(actor=rival, by=personas["analyst"])
    services.actor_follow(actor=rival, user=personas["mediator"], follow=True)
    services.actor_follow(actor=rival, user=personas["analyst"], follow=True)
    services.actor_link(incident=inside, actor=rival, by=personas["analyst"])
    assert [n.channel.user for n in about_groups.all()] == [personas["mediator"]]
    with django_capture_on_commit_callbacks(execute=True):
        again = _report(region(PANGGUNGREJO_KEL), "Relawan 01 menghadang konvoi lawan lagi")
    assert again.pk == inside.pk and about_groups.all().count() == 1

    # A follower whose role became trusted reporter (their own report names the camp) hears nothing of groups.
    personas["trusted_reporter"].role = "mediator"
    personas["trusted_reporter"].save()
    services.actor_follow(actor=camp, user=personas["trusted_reporter"], follow=True)
    personas["trusted_reporter"].role = "trusted_reporter"
    personas["trusted_reporter"].save()
    NotifyChannel.objects.create(name="inbox tr", kind=ChannelKind.IN_APP, user=personas["trusted_reporter"])
    with django_capture_on_commit_callbacks(execute=True):
        report_receive(
            ReportDraft(
                channel=Channel.TRUSTED,
                description="Relawan 01 berkumpul di pos kamling",
                region=region(BUGUL_LOR),
                submitted_by=personas["trusted_reporter"],
            )
        )
    assert not about_groups.filter(channel__user=personas["trusted_reporter"]).exists()
    assert about_groups.filter(channel__user=personas["analyst"]).count() == 1  # the analyst heard of it

    client.force_login(personas["mediator"])
    client.post(reverse("actors:follow", args=[camp.pk]), {"follow": "0"})
    assert list(camp.followers.all()) != [] and personas["mediator"] not in camp.followers.all()
    assert AuditLog.objects.filter(action="actors.unfollowed", actor=personas["mediator"]).exists()


@pytest.mark.django_db
def test_a_group_named_in_many_incidents_shows_the_latest_and_counts_them_all(region, personas, monkeypatch):
    monkeypatch.setattr(actor_selectors, "SHOWN_INCIDENTS", 2)
    camp = _camp("01")
    services.actor_save(actor=camp, by=personas["analyst"])
    made = [
        _report(region(code), "Relawan 01 memasang baliho") for code in (PANGGUNGREJO_KEL, GADINGREJO_KEL, ELSEWHERE)
    ]
    for incident in made:
        services.link_named(incident, incident.created_at)
    history = actor_history(camp, personas["analyst"])
    assert history.total == 3 and [i.pk for i in history.incidents] == [made[2].pk, made[1].pk]
    assert sum(n for _, n in history.places) == 3
    client = Client()
    client.force_login(personas["analyst"])
    page = client.get(reverse("actors:detail", args=[camp.pk])).content.decode()
    assert "3 kejadian sejak" in page and "2 yang terbaru" in page


@pytest.mark.django_db
def test_a_groups_months_count_in_the_deployments_time_zone_and_keep_the_quiet_ones(region, personas):
    camp = _camp("01")
    services.actor_save(actor=camp, by=personas["analyst"])
    places = (PANGGUNGREJO_KEL, GADINGREJO_KEL, ELSEWHERE)
    made = [_report(region(code), "Relawan 01 memasang baliho") for code in places]
    wib = ZoneInfo("Asia/Jakarta")
    moments = [
        datetime(2020, 1, 5, 9, tzinfo=wib),
        datetime(2020, 1, 31, 23, 30, tzinfo=wib),  # still January in Pasuruan, already in UTC's 31 January 16.30
        datetime(2020, 3, 1, 0, 15, tzinfo=wib),  # March in Pasuruan, still February in UTC
    ]
    for incident, moment in zip(made, moments, strict=True):
        Incident.objects.filter(pk=incident.pk).update(first_received_at=moment)
        services.link_named(incident, moment)
    months = actor_history(camp, personas["analyst"]).months
    assert months == [(date(2020, 1, 1), 2, 100), (date(2020, 2, 1), 0, 0), (date(2020, 3, 1), 1, 50)]

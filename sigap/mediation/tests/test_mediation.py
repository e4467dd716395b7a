"""Mediation from a case to a followed-up agreement, the relapse watch (on the mediation and on the kelurahan's
risk), workload, and who may do what."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sigap.cases import services as cases
from sigap.cases.tests.factories import mailbox, reported, verify
from sigap.conftest import BUGUL_LOR
from sigap.core.models import Document
from sigap.core.tests.pdf import pdf_text
from sigap.core.tests.test_documents import signed_agreement_pdf
from sigap.directory.choices import PersonRole
from sigap.directory.models import Person
from sigap.mediation import services
from sigap.mediation.choices import Compliance, ForumKind, MediationStatus
from sigap.mediation.models import Forum, Mediation
from sigap.mediation.paper import agreement_paper, agreement_pdf
from sigap.mediation.selectors import workload
from sigap.mediation.states import MediationTransitionError
from sigap.notify.models import Notification
from sigap.notify.services import overtaken
from sigap.risk.models import AreaFlag, AreaRisk
from sigap.risk.services import risk_refresh

WIB = ZoneInfo("Asia/Jakarta")
SIGNED = date(2020, 12, 12)
AFTER = datetime(2020, 12, 20, 21, tzinfo=WIB)
BEFORE = datetime(2020, 12, 10, 21, tzinfo=WIB)


@pytest.fixture
def forum(region, organisations):
    kyai = Person.objects.create(name="KH. Abdul Hamid", role=PersonRole.TOKOH_AGAMA)
    forum = Forum.objects.create(
        name="Musyawarah Kelurahan Bugul Lor", kind=ForumKind.MUSYAWARAH, organisation=organisations["fkub"]
    )
    forum.areas.set([region(BUGUL_LOR)])
    forum.facilitators.set([kyai])
    return forum


@pytest.fixture
def case(region, personas, organisations):
    incident = verify(
        reported(
            region(BUGUL_LOR),
            "Pemuda dua RW saling serang usai pertandingan voli",
            groups="Karang Taruna RW 05; Remaja RW 07",
        ),
        personas["analyst"],
    )
    return cases.case_open(
        title="Perselisihan pemuda RW 05 dan RW 07",
        lead_organisation=organisations["fkub"],
        parties=["Karang Taruna RW 05", "Remaja RW 07"],
        incidents=[incident],
        actor=personas["analyst"],
    )


def open_mediation(case, forum, mediator):
    return services.mediation_open(
        title=case.title,
        actor=mediator,
        forum=forum,
        cases=[case],
        incidents=case.incidents.all(),
        facilitators=forum.facilitators.all(),
        mediator=mediator,
        parties=[
            services.PartyInput("Karang Taruna RW 05", "Sdr. Fajar"),
            services.PartyInput("Remaja RW 07", "Sdr. Bagus"),
        ],
    )


def agree(mediation, mediator):
    session = services.session_schedule(
        mediation=mediation, scheduled_at=datetime(2020, 12, 11, 19, tzinfo=WIB), venue="Balai RW 05", actor=mediator
    )
    services.session_record(
        session=session,
        actor=mediator,
        attendees="Fajar\nBagus\nKH. Abdul Hamid",
        attendee_count=14,
        women_count=4,
        minutes="Kedua pihak menyampaikan duduk perkara",
    )
    return services.agreement_record(
        mediation=Mediation.objects.get(pk=mediation.pk),
        actor=mediator,
        signed_on=SIGNED,
        text="Kedua kelompok saling memaafkan dan menjaga ketertiban",
        signatories="Fajar, Bagus, Lurah Bugul Lor",
        commitments=[
            services.CommitmentInput(
                "Tidak membawa senjata tajam saat pertandingan", "Karang Taruna RW 05", SIGNED + timedelta(days=14)
            ),
            services.CommitmentInput(
                "Ronda bersama dua RW setiap Sabtu", "Ketua RW 05 dan RW 07", SIGNED + timedelta(days=30)
            ),
        ],
    )


@pytest.mark.django_db
def test_a_mediation_needs_two_parties_and_an_agreement_needs_its_commitments(case, forum, personas):
    mediator = personas["mediator"]
    with pytest.raises(services.MediationRuleError, match="dua pihak"):
        services.mediation_open(title="x", actor=mediator, parties=[services.PartyInput("Satu pihak")])
    mediation = open_mediation(case, forum, mediator)
    assert mediation.region == case.region and case.events.filter(verb="mediation_started").exists()
    with pytest.raises(services.MediationRuleError, match="pertemuan yang terlaksana"):
        services.agreement_record(
            mediation=mediation,
            actor=mediator,
            signed_on=SIGNED,
            text="x",
            signatories="",
            commitments=[services.CommitmentInput("y", "z", SIGNED)],
        )
    services.mediation_end(mediation=mediation, actor=mediator, failed=False, note="Para pihak berdamai sendiri")
    with pytest.raises(MediationTransitionError):
        services.mediation_resume(mediation=mediation, actor=mediator, note="x")


@pytest.mark.django_db
def test_from_sessions_to_a_fulfilled_agreement(case, forum, personas, organisations):
    mediator = personas["mediator"]
    mailbox(organisations["fkub"], "fkub@example.org")
    mailbox(organisations["kesbangpol"], "sekretariat@kesbangpol.example")
    mediation = open_mediation(case, forum, mediator)
    agreement = agree(mediation, mediator)
    mediation.refresh_from_db()
    assert mediation.status == MediationStatus.AGREED
    assert Notification.objects.filter(subject__contains="Jadwal pertemuan").exists()
    first, second = agreement.commitments.all()
    # a commitment past due and not checked: the mediator's organisation is reminded
    assert services.commitments_due(datetime(2020, 12, 28, 8, tzinfo=WIB)) == 1
    services.follow_up_record(
        agreement=agreement,
        actor=mediator,
        visited_on=date(2020, 12, 28),
        results={first.pk: Compliance.KEPT, second.pk: Compliance.BROKEN},
        notes="Ronda RW 07 belum jalan",
    )
    assert Notification.objects.filter(subject__contains="Komitmen dilanggar").count() == 2  # FKUB + secretariat
    mediation.refresh_from_db()
    assert mediation.status == MediationStatus.AGREED
    with pytest.raises(services.MediationRuleError):
        services.follow_up_record(
            agreement=agreement,
            actor=mediator,
            visited_on=date(2020, 12, 1),
            results={first.pk: Compliance.KEPT},
            notes="",
        )
    services.follow_up_record(
        agreement=agreement,
        actor=mediator,
        visited_on=date(2021, 1, 16),
        results={second.pk: Compliance.KEPT},
        notes="Ronda berjalan",
    )
    mediation.refresh_from_db()
    assert mediation.status == MediationStatus.FULFILLED and mediation.closed_at is not None
    # The kept agreement does not close the case by itself: its lead reads it on the timeline, and the forum and
    # the secretariat are told what is still open.
    assert case.events.filter(verb="fulfilled", note__contains=f"M-{mediation.pk}").exists()
    told = Notification.objects.filter(subject__contains="Kesepakatan dipenuhi")
    assert told.count() == 2  # FKUB + secretariat
    incident = case.incidents.get()
    assert f"P-{case.pk}" in told[0].body and f"kejadian #{incident.pk}" in told[0].body
    verbs = list(mediation.events.values_list("verb", flat=True))
    assert verbs == [
        "opened",
        "session_scheduled",
        "talks_started",
        "session_held",
        "agreed",
        "follow_up",
        "follow_up",
        "fulfilled",
    ]
    by_mediator, by_facilitator = workload(Mediation.objects.all())
    assert (by_mediator[0].fulfilled, by_mediator[0].sessions_held) == (1, 1)
    assert str(by_facilitator[0].who) == "KH. Abdul Hamid"


@pytest.mark.django_db
def test_a_new_incident_of_the_same_parties_after_the_agreement_flags_the_mediation_and_the_risk(
    case, forum, personas, region, django_capture_on_commit_callbacks
):
    mediator, analyst = personas["mediator"], personas["analyst"]
    mediation = open_mediation(case, forum, mediator)
    agree(mediation, mediator)
    elsewhere = region("35.75.01.1001")
    with django_capture_on_commit_callbacks(execute=True):
        relapse = verify(
            reported(elsewhere, "Remaja RW 07 menghadang anggota Karang Taruna RW 05 di jalan", at=AFTER),
            analyst,
            AFTER,
        )
    flag = mediation.relapses.get()
    assert flag.incident == relapse and "pihak yang sama" in flag.reason
    area_flag = AreaFlag.objects.get()
    assert area_flag.region.code == BUGUL_LOR and area_flag.kind == "relapse"
    risk_refresh(case.city, area_flag.starts_on)
    assessed = AreaRisk.objects.get(region__code=BUGUL_LOR, day=area_flag.starts_on)
    structural = next(d for d in assessed.drivers if d["code"] == "structural")
    assert "relapse:1" in structural["notes"]
    services.relapse_review(flag=flag, actor=mediator, note="Perorangan, bukan kelompok; kesepakatan tetap")
    assert mediation.events.filter(verb="relapse_reviewed").exists()


@pytest.mark.django_db
def test_incidents_before_the_agreement_or_of_other_people_raise_no_flag(
    case, forum, personas, region, django_capture_on_commit_callbacks
):
    mediation = open_mediation(case, forum, personas["mediator"])
    agree(mediation, personas["mediator"])
    with django_capture_on_commit_callbacks(execute=True):
        other = reported(region("35.75.01.1001"), "Pedagang pasar Gadingrejo protes retribusi", at=AFTER)
        verify(other, personas["analyst"], AFTER)
        before = reported(region(BUGUL_LOR), "Karang Taruna RW 05 ribut dengan Remaja RW 07", at=BEFORE)
        verify(before, personas["analyst"], BEFORE)
    assert not mediation.relapses.exists() and not AreaFlag.objects.exists()


@pytest.mark.django_db
def test_who_may_run_a_mediation(case, forum, personas, client):
    mediation = open_mediation(case, forum, personas["mediator"])
    client.force_login(personas["leadership"])
    detail = client.get(reverse("mediation:detail", args=[mediation.pk]))
    assert detail.status_code == 200
    assert mediation.incidents.exists()
    for incident in mediation.incidents.all():  # each incident by its number, title and status
        assert f"#{incident.pk} {incident.title}</a> (Terverifikasi)" in detail.content.decode()
    assert "dibuka (— → Persiapan)" in detail.content.decode()
    assert client.post(reverse("mediation:act", args=[mediation.pk, "gagal"]), {"note": "x"}).status_code == 403
    client.force_login(personas["trusted_reporter"])
    assert client.get(reverse("mediation:list")).status_code == 403
    client.force_login(personas["mediator"])
    page = client.get(reverse("mediation:list")).content.decode()
    assert "KH. Abdul Hamid" in page and case.title in page
    client.post(
        reverse("mediation:act", args=[mediation.pk, "jadwal"]),
        {"scheduled_at": "2020-12-11T19:00", "venue": "Balai RW 05"},
    )
    assert mediation.sessions.count() == 1


@pytest.mark.django_db
def test_a_facilitator_who_no_longer_serves_is_not_offered_but_stays_in_the_history(forum, personas, client):
    """An RT head replaced or a kyai who moved away: new forums and mediations do not offer them, and the forum
    they served says so beside their name."""
    kyai = forum.facilitators.get()
    ustadz = Person.objects.create(name="Ustadz Mahmud", role=PersonRole.TOKOH_AGAMA)
    kyai.active = False
    kyai.save()
    client.force_login(personas["mediator"])
    for page in (reverse("mediation:forums"), reverse("mediation:new")):
        select = client.get(page).content.decode().split('name="facilitators"')[1].split("</select>")[0]
        assert f'<option value="{ustadz.pk}">' in select and f'<option value="{kyai.pk}">' not in select
    forums = client.get(reverse("mediation:forums")).content.decode()
    assert "KH. Abdul Hamid" in forums and "tidak lagi bertugas" in forums


@pytest.mark.django_db
def test_a_mediator_replaces_a_facilitator_who_no_longer_serves(forum, personas, client, region):
    """The forum's form shows the one who left, marked, ticked; the mediator unticks them and ticks the successor."""
    from sigap.core.models import AuditLog

    kyai = forum.facilitators.get()
    kyai.active = False
    kyai.save()
    ustadz = Person.objects.create(name="Ustadz Mahmud", role=PersonRole.TOKOH_AGAMA)
    client.force_login(personas["mediator"])
    url = reverse("mediation:forum_edit", args=[forum.pk])
    page = client.get(url).content.decode()
    select = page.split('name="facilitators"')[1].split("</select>")[0]
    assert f'<option value="{kyai.pk}" selected>KH. Abdul Hamid — tidak lagi bertugas</option>' in select
    assert f'<option value="{ustadz.pk}">' in select
    assert f'href="{url}"' in client.get(reverse("mediation:forums")).content.decode()
    data = {
        "name": forum.name,
        "kind": forum.kind,
        "organisation": forum.organisation_id,
        "notes": "",
        "active": "on",
        "areas": [region(BUGUL_LOR).pk],
        "facilitators": [ustadz.pk],
    }
    assert client.post(url, data).status_code == 302
    assert list(forum.facilitators.all()) == [ustadz] and list(forum.areas.all()) == [region(BUGUL_LOR)]
    assert AuditLog.objects.filter(action="forum.updated", object_id=str(forum.pk)).exists()
    assert client.post(url, {**data, "name": ""}).status_code == 400  # a clear error, nothing changed
    new = {**data, "name": "Urun rembug RW 05 Bugul Lor", "facilitators": [ustadz.pk]}
    assert client.post(reverse("mediation:forums"), new).status_code == 302  # a new forum, the same way
    assert Forum.objects.get(name="Urun rembug RW 05 Bugul Lor").facilitators.get() == ustadz
    client.force_login(personas["responder"])
    assert client.get(url).status_code == 403


def test_the_signed_agreement_is_kept_with_the_mediation(case, forum, personas, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mediation = open_mediation(case, forum, personas["mediator"])
    add = reverse("mediation:act", args=[mediation.pk, "dokumen"])
    pdf = SimpleUploadedFile("kd.pdf", signed_agreement_pdf())
    upload = {"title": "Kesepakatan damai bertanda tangan", "file": pdf}
    client.force_login(personas["responder"])  # reads the mediations of the area, runs none
    assert client.post(add, upload).status_code == 403 and not Document.objects.exists()

    client.force_login(personas["mediator"])
    upload["file"].seek(0)
    page = client.post(add, upload, follow=True).content.decode()
    assert "Dokumen ditambahkan." in page and "Kesepakatan damai bertanda tangan" in page
    document = Document.objects.get()
    assert document.owner == mediation and document.added_by == personas["mediator"]
    assert mediation.events.filter(verb="document_added", note="Kesepakatan damai bertanda tangan").exists()

    client.force_login(personas["responder"])
    assert client.get(reverse("core:document", args=[document.pk])).status_code == 200
    assert "Tambahkan dokumen" not in client.get(reverse("mediation:detail", args=[mediation.pk])).content.decode()

    client.force_login(personas["analyst"])
    remove = reverse("mediation:act", args=[mediation.pk, "hapus-dokumen"])
    client.post(remove, {"document": document.pk, "reason": "Versi belum bertanda tangan"})
    assert Document.objects.get().removed_at is not None
    assert mediation.events.filter(verb="document_removed").get().note.endswith(": Versi belum bertanda tangan")


def test_the_home_pages_show_the_sessions_ahead_and_the_follow_ups_due(case, forum, personas, client):
    mediator = personas["mediator"]
    mediation = open_mediation(case, forum, mediator)
    now = timezone.localtime()
    tonight = now.replace(hour=23, minute=30, second=0, microsecond=0)
    schedule = [
        (tonight, "Balai RW 05"),
        (tonight - timedelta(days=3), "Musala RW 07"),  # held? nobody recorded it
        (tonight + timedelta(days=3), "Kantor Kelurahan Bugul Lor"),
        (tonight + timedelta(days=12), "Aula Kecamatan"),  # beyond the week
        (tonight - timedelta(days=20), "Rumah Ketua RW"),  # long past: the mediation's page keeps it
    ]
    for at, venue in schedule:
        services.session_schedule(mediation=mediation, scheduled_at=at, venue=venue, actor=mediator)
    called_off = services.session_schedule(
        mediation=mediation, scheduled_at=tonight + timedelta(days=1), venue="Gedung Serbaguna", actor=mediator
    )
    services.session_cancel(session=called_off, actor=mediator, reason="Ketua RW 07 berhalangan")

    client.force_login(mediator)
    page = client.get(reverse("home:home")).content.decode()
    assert "Hari ini 23:30</strong> · Balai RW 05" in page
    assert "Musala RW 07" in page and "sudah berlangsung? belum dicatat" in page
    assert "Kantor Kelurahan Bugul Lor" in page
    assert "Aula Kecamatan" not in page and "Rumah Ketua RW" not in page and "Gedung Serbaguna" not in page
    client.force_login(personas["responder"])  # the Polsek of the area secures the venue
    assert "Balai RW 05" in client.get(reverse("home:home")).content.decode()

    first = mediation.sessions.get(venue="Rumah Ketua RW")
    services.session_record(
        session=first, actor=mediator, attendees="", attendee_count=12, women_count=3, minutes="Kedua pihak bersepakat."
    )
    services.agreement_record(
        mediation=Mediation.objects.get(pk=mediation.pk),
        actor=mediator,
        signed_on=timezone.localdate() - timedelta(days=10),
        text="Tidak saling serang; pertandingan berikutnya dijaga bersama.",
        signatories="Sdr. Fajar, Sdr. Bagus",
        commitments=[
            services.CommitmentInput("Pertandingan dijaga bersama", "Karang Taruna RW 05", timezone.localdate()),
            services.CommitmentInput(
                "Ganti rugi jaring voli", "Remaja RW 07", timezone.localdate() - timedelta(days=2)
            ),
            services.CommitmentInput("Turnamen persahabatan", "Lurah", timezone.localdate() + timedelta(days=5)),
        ],
    )
    client.force_login(mediator)
    page = client.get(reverse("home:home")).content.decode()
    assert "Pertandingan dijaga bersama" in page and "Ganti rugi jaring voli" in page
    assert "Turnamen persahabatan" not in page  # not due yet
    client.force_login(personas["responder"])  # runs no mediation: no follow-up visits to make
    assert "Ganti rugi jaring voli" not in client.get(reverse("home:home")).content.decode()


def test_a_session_called_off_tells_the_followers_and_its_date_is_not_sent_late(case, forum, personas, client):
    mediator = personas["mediator"]
    mediation = open_mediation(case, forum, mediator)
    mailbox(mediation.forum.organisation, "fkub@example.org")
    session = services.session_schedule(
        mediation=mediation, scheduled_at=AFTER, venue="Balai RW 05", actor=mediator, at=BEFORE
    )
    date_message = Notification.objects.get(idempotency_key__startswith=f"med{mediation.pk}:session{session.pk}:c")
    client.force_login(personas["mediator"])
    act = reverse("mediation:act", args=[mediation.pk, "batal-pertemuan"])
    assert (
        "Sebutkan mengapa pertemuan dibatalkan"
        in client.post(act, {"session": session.pk, "reason": " "}, follow=True).content.decode()
    )
    page = client.post(act, {"session": session.pk, "reason": "Ketua RW 07 berhalangan"}, follow=True)
    assert "dibatalkan</strong>: Ketua RW 07 berhalangan" in page.content.decode()
    session.refresh_from_db()
    assert session.cancelled_at is not None and session.cancel_reason == "Ketua RW 07 berhalangan"
    assert mediation.events.filter(verb="session_cancelled", note__endswith="Balai RW 05: Ketua RW 07 berhalangan")
    told = Notification.objects.get(idempotency_key__startswith=f"med{mediation.pk}:session{session.pk}:cancelled")
    assert "Pertemuan mediasi batal" in told.subject and "Ketua RW 07 berhalangan" in told.body
    assert overtaken(date_message) == f"pertemuan #{session.pk} dibatalkan"  # held for quiet hours: not sent now
    assert overtaken(told) == ""
    with pytest.raises(services.MediationRuleError, match="dibatalkan; jadwalkan pertemuan baru"):
        services.session_record(
            session=session, actor=mediator, attendees="", attendee_count=3, women_count=0, minutes="x"
        )
    with pytest.raises(services.MediationRuleError, match="Pertemuan sudah dibatalkan$"):
        services.session_cancel(session=session, actor=mediator, reason="lagi")
    held = services.session_schedule(mediation=mediation, scheduled_at=AFTER, venue="Balai RW 05", actor=mediator)
    services.session_record(session=held, actor=mediator, attendees="", attendee_count=3, women_count=0, minutes="x")
    with pytest.raises(services.MediationRuleError, match="sudah berlangsung"):
        services.session_cancel(session=held, actor=mediator, reason="salah")


def test_the_followers_are_reminded_of_a_session_the_day_before_once(case, forum, personas):
    mediator = personas["mediator"]
    mediation = open_mediation(case, forum, mediator)
    mailbox(mediation.forum.organisation, "fkub@example.org")
    session = services.session_schedule(
        mediation=mediation, scheduled_at=AFTER, venue="Balai RW 05", actor=mediator, at=BEFORE
    )
    assert services.sessions_soon(AFTER - timedelta(hours=30)) == 0  # not yet
    day_before = AFTER - timedelta(hours=20)
    assert services.sessions_soon(day_before) == 1
    reminder = Notification.objects.get(idempotency_key__startswith=f"med{mediation.pk}:session{session.pk}:soon")
    assert "Pengingat pertemuan mediasi" in reminder.subject and "20-12-2020 21:00, Balai RW 05" in reminder.body
    assert services.sessions_soon(day_before + timedelta(minutes=1)) == 0  # once

    # a session set for tomorrow morning: its followers were just told, so the reminder waits
    soon = services.session_schedule(
        mediation=mediation,
        scheduled_at=day_before + timedelta(hours=16),
        venue="Musala RW 07",
        actor=mediator,
        at=day_before,
    )
    assert services.sessions_soon(day_before + timedelta(hours=1)) == 0
    assert services.sessions_soon(day_before + timedelta(hours=13)) == 1
    services.session_cancel(session=soon, actor=mediator, reason="Hujan deras", at=day_before + timedelta(hours=14))
    late = Notification.objects.get(idempotency_key__startswith=f"med{mediation.pk}:session{soon.pk}:soon")
    with time_machine.travel(day_before + timedelta(hours=14, minutes=1), tick=False):
        assert overtaken(late) == f"pertemuan #{soon.pk} dibatalkan"
        assert overtaken(reminder) == ""  # the other session is still ahead


def test_the_date_of_a_session_already_past_is_not_sent_late(case, forum, personas):
    mediator = personas["mediator"]
    mediation = open_mediation(case, forum, mediator)
    mailbox(mediation.forum.organisation, "fkub@example.org")
    past = services.session_schedule(
        mediation=mediation, scheduled_at=timezone.now() - timedelta(hours=1), venue="Balai RW 05", actor=mediator
    )
    ahead = services.session_schedule(
        mediation=mediation, scheduled_at=timezone.now() + timedelta(days=2), venue="Musala RW 07", actor=mediator
    )
    message = {
        s.pk: Notification.objects.get(idempotency_key__startswith=f"med{mediation.pk}:session{s.pk}:c")
        for s in (past, ahead)
    }
    assert overtaken(message[past.pk]) == f"pertemuan #{past.pk} sudah lewat"  # the worker was down meanwhile
    assert overtaken(message[ahead.pk]) == ""
    held_early = timezone.now() - timedelta(minutes=30)
    services.session_record(
        session=ahead, actor=mediator, attendees="", attendee_count=9, women_count=2, minutes="x", held_at=held_early
    )
    assert overtaken(message[ahead.pk]) == f"pertemuan #{ahead.pk} sudah lewat"  # held early


def test_a_session_is_recorded_once_held_and_one_held_early_takes_its_time(client, case, forum, personas):
    mediator = personas["mediator"]
    mediation = open_mediation(case, forum, mediator)
    tonight = timezone.localtime().replace(hour=23, minute=30, second=0, microsecond=0) + timedelta(days=1)
    session = services.session_schedule(mediation=mediation, scheduled_at=tonight, venue="Balai RW 05", actor=mediator)
    client.force_login(mediator)
    act = reverse("mediation:act", args=[mediation.pk, "pertemuan"])
    typed = {"session": session.pk, "attendee_count": 12, "women_count": 3, "minutes": "Duduk perkara"}
    page = client.post(act, typed, follow=True).content.decode()
    assert f"Pertemuan dijadwalkan {tonight:%-d} " in page and "masih akan datang" in page
    session.refresh_from_db()
    assert not session.held and not session.minutes
    assert not mediation.events.filter(verb="session_held").exists()

    with pytest.raises(services.MediationRuleError, match="masih akan datang"):
        services.session_record(
            session=session, actor=mediator, attendees="", attendee_count=3, women_count=0, minutes="x", held_at=tonight
        )

    # the parties could come this morning instead: the session is recorded at the time it was held
    held_at = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)
    page = client.post(act, {**typed, "held_at": f"{held_at:%Y-%m-%dT%H:%M}"}, follow=True).content.decode()
    assert "Pertemuan dicatat" in page
    session.refresh_from_db()
    assert session.held and session.scheduled_at == held_at and session.minutes == "Duduk perkara"
    note = mediation.events.get(verb="session_held").note
    assert note == f"diadakan {held_at:%d-%m-%Y %H:%M}, dijadwalkan {tonight:%d-%m-%Y %H:%M}; 12 hadir: Duduk perkara"


def _agreement_form(mediation, **rows):
    first, second = mediation.parties.order_by("pk")
    return {
        "signed_on": "2020-12-12",
        "text": "Kedua kelompok saling memaafkan dan menjaga ketertiban",
        "signatories": "",
        "c0_text": "Tidak membawa senjata tajam saat pertandingan",
        "c0_party": first.pk,
        "c0_owner": "Karang Taruna RW 05",
        "c0_due": "2020-12-26",
        "c1_text": "Ronda bersama dua RW setiap Sabtu",
        "c1_party": second.pk,
        "c1_owner": "Ketua RW 05 dan RW 07",
        "c1_due": "2021-01-11",
        **rows,
    }


@pytest.mark.django_db
def test_the_agreement_typed_in_sigap_is_printed_for_signing_and_nothing_is_saved(case, forum, personas, client):
    mediation = open_mediation(case, forum, personas["mediator"])
    session = services.session_schedule(
        mediation=mediation, scheduled_at=datetime(2020, 12, 11, 19, tzinfo=WIB), venue="Balai RW 05", actor=None
    )
    draft = reverse("mediation:agreement_draft", args=[mediation.pk])
    client.force_login(personas["mediator"])
    page = client.post(draft, _agreement_form(mediation), follow=True).content.decode()
    assert "selama perundingan berlangsung" in page  # no session held: no talks yet

    services.session_record(
        session=session, actor=None, attendees="", attendee_count=14, women_count=4, minutes="Duduk perkara"
    )
    events = mediation.events.count()
    response = client.post(draft, _agreement_form(mediation))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="draf-kesepakatan-M-{mediation.pk}.pdf"'
    words = pdf_text(response.content)
    assert "DRAF UNTUK DITANDATANGANI" in words and "KESEPAKATAN PERDAMAIAN" in words
    assert "Sabtu, 12 Desember 2020" in words and "Balai RW 05" in words  # the day it is signed, at the session
    assert "Karang Taruna RW 05, diwakili oleh Sdr. Fajar" in words and "KH. Abdul Hamid" in words
    assert "Ronda bersama dua RW setiap Sabtu" in words and "11 Januari 2021" in words
    assert "Mengetahui, Lurah Bugul Lor" in words
    assert Mediation.objects.get(pk=mediation.pk).agreement is None
    assert mediation.events.count() == events  # a draft is no step of the mediation

    page = client.post(draft, _agreement_form(mediation, c1_due=""), follow=True).content.decode()
    assert "Tidak dicetak" in page and "baris 2" in page  # what is wrong, and nothing printed

    client.force_login(personas["responder"])  # reads the mediation, runs none
    assert client.post(draft, _agreement_form(mediation)).status_code == 403


@pytest.mark.django_db
def test_the_recorded_agreement_prints_for_the_parties_copies(case, forum, personas, client):
    mediation = open_mediation(case, forum, personas["mediator"])
    paper = reverse("mediation:agreement_paper", args=[mediation.pk])
    client.force_login(personas["responder"])
    assert client.get(paper).status_code == 404  # nothing agreed yet
    agree(mediation, personas["mediator"])
    response = client.get(paper)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    words = pdf_text(response.content)
    assert "DRAF" not in words and "Ditandatangani oleh (tercatat di Sigap): Fajar, Bagus, Lurah Bugul Lor" in words
    assert "Tidak membawa senjata tajam saat pertandingan" in words
    detail = client.get(reverse("mediation:detail", args=[mediation.pk])).content.decode()
    assert paper in detail

    draft = reverse("mediation:agreement_draft", args=[mediation.pk])
    client.force_login(personas["mediator"])
    page = client.post(draft, _agreement_form(mediation), follow=True).content.decode()
    assert "selama perundingan berlangsung" in page  # agreed: talks are over unless resumed
    client.logout()
    assert client.get(paper).status_code == 302


@pytest.mark.django_db
def test_talks_resumed_after_a_relapse_end_in_a_renewed_agreement_that_replaces_the_broken_one(
    case, forum, personas, organisations, client
):
    mediator = personas["mediator"]
    mailbox(organisations["fkub"], "fkub@example.org")
    mediation = open_mediation(case, forum, mediator)
    broken = agree(mediation, mediator)
    services.mediation_resume(mediation=mediation, actor=mediator, note="Bentrok lagi; urun rembug ulang")
    session = services.session_schedule(
        mediation=mediation, scheduled_at=datetime(2020, 12, 21, 19, tzinfo=WIB), venue="Balai RW 07", actor=mediator
    )
    services.session_record(
        session=session, actor=mediator, attendees="", attendee_count=20, women_count=5, minutes="Kesepakatan ulang"
    )
    client.force_login(mediator)
    detail = reverse("mediation:detail", args=[mediation.pk])
    page = client.get(detail).content.decode()
    assert "Catat kesepakatan yang diperbarui" in page and broken.text in page  # in force until replaced

    record = reverse("mediation:act", args=[mediation.pk, "kesepakatan"])
    too_early = {**_agreement_form(mediation), "signed_on": "2020-12-01", "c0_due": "2020-12-20", "c1_due": ""}
    too_early.update({"c1_text": ""})
    page = client.post(record, too_early, follow=True).content.decode()
    assert "ditandatangani setelah kesepakatan yang digantikannya (12-12-2020)" in page
    renewed_form = {**_agreement_form(mediation), "signed_on": "2020-12-21", "c0_due": "2021-01-04"}
    renewed_form["text"] = "Konvoi tidak melewati RW 07; koordinator kedua pihak bertemu setiap Jumat"
    page = client.post(record, renewed_form, follow=True).content.decode()
    assert "Kesepakatan dicatat" in page

    mediation.refresh_from_db()
    renewed = mediation.agreement
    assert mediation.status == MediationStatus.AGREED and renewed.pk != broken.pk
    assert renewed.text.startswith("Konvoi tidak melewati RW 07")
    broken.refresh_from_db()
    assert broken.replaced_at is not None and broken.commitments.count() == 2  # kept as signed
    assert mediation.events.filter(verb="agreed", note__contains="menggantikan kesepakatan 12-12-2020").exists()
    page = client.get(detail).content.decode()
    assert "Kesepakatan yang digantikan" in page and broken.text in page
    # Only the renewed agreement's commitments are followed up; the paper printed is the renewed one.
    assert services.commitments_due(datetime(2021, 2, 1, 8, tzinfo=WIB)) == 2  # renewed: 4 Jan and 11 Jan only
    words = pdf_text(client.get(reverse("mediation:agreement_paper", args=[mediation.pk])).content)
    assert "Konvoi tidak melewati RW 07" in words and broken.text not in words


@pytest.mark.django_db
def test_a_mediation_without_a_kelurahan_prints_under_the_city_s_tim_terpadu(personas, region):
    region(BUGUL_LOR)  # the city's regions are loaded
    mediation = services.mediation_open(
        title="Perselisihan dua perguruan silat",
        actor=personas["mediator"],
        parties=[services.PartyInput("Perguruan A", ""), services.PartyInput("Perguruan B", "")],
    )
    paper = agreement_paper(mediation, signed_on=SIGNED, text="Latihan bergiliran", commitments=[], draft=True)
    assert paper.city == "Kota Pasuruan" and paper.village_head == ""
    words = pdf_text(agreement_pdf(paper))
    assert "Tim Terpadu Penanganan Konflik Sosial Kota Pasuruan" in words and "Pasuruan, 12 Desember 2020" in words

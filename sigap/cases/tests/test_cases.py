"""Response cases: opening, the lead's steps, closing rules, the working-day clock with reminders and escalation,
the breach board, permissions, and a new incident that reopens a resolved case."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from sigap.alerts.choices import AlertKind, AlertState
from sigap.alerts.services import alert_raise
from sigap.cases import services
from sigap.cases.choices import CasePhase, CaseStatus, TaskStatus
from sigap.cases.models import Case
from sigap.cases.selectors import breach_board
from sigap.cases.states import CaseTransitionError
from sigap.cases.tests.factories import mailbox, reported, verify
from sigap.conftest import BUGUL_LOR
from sigap.core.calendar import holidays_load
from sigap.core.models import AuditLog
from sigap.intake.models import ReporterMessage
from sigap.notify.models import Notification
from sigap.risk.tests.factories import CITY
from sigap.triage.choices import IncidentStatus

WIB = ZoneInfo("Asia/Jakarta")
# Friday 4 December 2020, 16:00 in Pasuruan; Wednesday 9 December is the Pilkada holiday.
FRIDAY = datetime(2020, 12, 4, 16, 0, tzinfo=WIB)


def end_of(y, m, d):
    return datetime(y, m, d, tzinfo=WIB) + timedelta(days=1)


@pytest.fixture
def calendar(db):
    holidays_load()


@pytest.fixture
def incident(region, personas):
    made = reported(
        region(BUGUL_LOR),
        "Dua kelompok pemuda saling lempar batu di gang RW 05",
        groups="Karang Taruna RW 05",
        at=FRIDAY - timedelta(hours=3),
    )
    return verify(made, personas["analyst"], at=FRIDAY - timedelta(hours=1))


@pytest.fixture
def case(incident, organisations, personas, calendar):
    mailbox(organisations["polsek_panggungrejo"], "piket@polsek.example")
    with time_machine.travel(FRIDAY, tick=False):
        return services.case_open(
            title="Bentrok pemuda RW 05",
            lead_organisation=organisations["polsek_panggungrejo"],
            supporting=[organisations["fkub"]],
            parties=["Karang Taruna RW 05", "Remaja Masjid Al-Ikhlas"],
            incidents=[incident],
            actor=personas["analyst"],
        )


@pytest.mark.django_db
def test_a_case_answers_a_verified_incident_only(region, personas, organisations):
    fresh = reported(region(BUGUL_LOR), "Isu pembakaran balai RW beredar di grup WhatsApp")
    with pytest.raises(services.CaseRuleError, match="Verifikasi kejadian ini"):
        services.case_open(
            title="x", lead_organisation=organisations["kesbangpol"], incidents=[fresh], actor=personas["analyst"]
        )
    with pytest.raises(services.CaseRuleError):
        services.case_open(title="x", lead_organisation=organisations["kesbangpol"], actor=personas["analyst"])


@pytest.mark.django_db
def test_opening_tells_the_lead_and_sets_working_day_deadlines(case, organisations):
    assert case.status == CaseStatus.OPEN and case.region.code == BUGUL_LOR
    assert case.ack_due_at == end_of(2020, 12, 7)  # one working day from Friday afternoon: Monday
    assert case.act_due_at == end_of(2020, 12, 14)  # five: Mon, Tue, Thu, Fri, Mon (the 9th is a holiday)
    assert case.resolve_due_at > case.act_due_at
    told = Notification.objects.get(purpose="case")
    assert told.channel.organisation == organisations["polsek_panggungrejo"]
    assert "P-" in told.subject and f"/penanganan/{case.pk}/" in told.body
    assert list(case.events.values_list("verb", flat=True)) == ["opened"]
    assert AuditLog.objects.filter(action="case.opened", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_the_lead_works_the_case_and_an_analyst_confirms_the_resolution(case, incident, personas, organisations):
    responder, analyst = personas["responder"], personas["analyst"]
    services.case_acknowledge(case=case, actor=responder)
    case = services.case_log_action(case=case, actor=responder, note="Patroli gabungan di gang RW 05")
    assert case.status == CaseStatus.IN_PROGRESS and case.first_action_at is not None
    task = services.task_add(
        case=case,
        title="Pertemukan kedua ketua pemuda",
        owner=organisations["fkub"],
        due_at=FRIDAY + timedelta(days=5),
        actor=responder,
    )
    with pytest.raises(services.CaseRuleError, match="tugas terbuka"):
        services.case_propose_resolution(case=case, actor=responder, summary="Sudah damai")
    services.task_finish(task=task, actor=responder, done=True, note="Bertemu di balai RW, sepakat damai")
    with pytest.raises(services.CaseRuleError, match="ringkasan"):
        services.case_propose_resolution(case=case, actor=responder, summary="  ")
    case = services.case_propose_resolution(case=case, actor=responder, summary="Kedua kelompok sepakat damai")
    with pytest.raises(services.CaseRuleError, match="Hanya analis"):
        services.case_confirm_resolution(case=case, actor=responder)
    case = services.case_confirm_resolution(case=case, actor=analyst, note="Dicek lewat Bhabinkamtibmas")
    assert case.status == CaseStatus.RESOLVED and case.resolved_by == analyst
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED
    # the reporter reads it through the receipt
    assert ReporterMessage.objects.filter(report__incident=incident, body__contains="sudah ditangani").exists()
    verbs = list(case.events.values_list("verb", flat=True))
    assert verbs == [
        "opened",
        "acknowledged",
        "handling_started",
        "action",
        "task_added",
        "task_done",
        "resolution_proposed",
        "resolved",
    ]
    with pytest.raises(CaseTransitionError):
        services.case_acknowledge(case=case, actor=responder)


@pytest.mark.django_db
def test_a_returned_proposal_goes_back_to_the_lead(case, personas):
    services.case_log_action(case=case, actor=personas["responder"], note="Mediasi awal")
    case = services.case_propose_resolution(case=case, actor=personas["responder"], summary="Selesai")
    case = services.case_send_back(case=case, actor=personas["analyst"], reason="Belum ada kesepakatan tertulis")
    assert case.status == CaseStatus.IN_PROGRESS
    assert Notification.objects.filter(subject__contains="dikembalikan").exists()


@pytest.mark.django_db
def test_a_reopened_case_opens_the_incidents_it_resolved_again(case, incident, personas):
    responder, analyst = personas["responder"], personas["analyst"]
    services.case_log_action(case=case, actor=responder, note="Patroli")
    services.case_propose_resolution(case=case, actor=responder, summary="Damai")
    services.case_confirm_resolution(case=case, actor=analyst)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED
    case = services.case_reopen(case=case, actor=analyst, reason="Lempar batu lagi malam ini")
    incident.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert incident.status == IncidentStatus.VERIFIED and incident.closed_at is None
    last = incident.events.order_by("-at", "-id").first()
    assert last.to_status == IncidentStatus.VERIFIED and f"P-{case.pk}" in last.note and "Lempar batu" in last.note
    # and its reporter reads that the team is handling it again
    told = ReporterMessage.objects.filter(report__incident=incident).order_by("-at", "-id").first()
    assert "sedang menanganinya kembali" in told.body


@pytest.mark.django_db
def test_deadlines_remind_the_lead_then_escalate_to_the_secretariat(case, organisations):
    mailbox(organisations["kesbangpol"], "sekretariat@kesbangpol.example")
    assert services.deadlines_due(datetime(2020, 12, 7, 23, 0, tzinfo=WIB)) == 0  # Monday: still in time
    assert services.deadlines_due(datetime(2020, 12, 8, 9, 0, tzinfo=WIB)) == 1  # Tuesday: the lead is reminded
    assert services.deadlines_due(datetime(2020, 12, 8, 15, 0, tzinfo=WIB)) == 0  # once
    late = Notification.objects.get(purpose="reminder")
    assert late.channel.organisation == organisations["polsek_panggungrejo"] and "belum diterima" in late.subject
    # the end of the next working day (Tuesday) passes: the secretariat hears of it
    assert services.deadlines_due(datetime(2020, 12, 9, 0, 30, tzinfo=WIB)) == 1
    escalation = Notification.objects.get(purpose="escalation")
    assert escalation.channel.organisation == organisations["kesbangpol"]
    assert "Polsek Panggungrejo" in escalation.subject


@pytest.mark.django_db
def test_the_minutes_pass_over_late_cases_costs_the_same_few_queries_for_one_case_or_many(
    case, incident, organisations, personas
):
    """Every minute the worker looks at every late case: once their reminders are queued, that look is a handful
    of queries whatever the number of cases (not a transaction per case, stage and channel)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mailbox(organisations["kesbangpol"], "sekretariat@kesbangpol.example")
    late = datetime(2021, 1, 20, 9, 0, tzinfo=WIB)

    def repeat_pass_queries() -> int:
        assert services.deadlines_due(late) > 0  # the first pass queues
        with CaptureQueriesContext(connection) as queries:
            assert services.deadlines_due(late) == 0  # the repeat queues nothing
        return len(queries.captured_queries)

    with_one = repeat_pass_queries()
    for n in range(8):
        with time_machine.travel(FRIDAY, tick=False):
            services.case_open(
                title=f"Bentrok {n}",
                lead_organisation=organisations["polsek_panggungrejo"],
                parties=[f"Kelompok {n}"],
                incidents=[incident],
                actor=personas["analyst"],
            )
    assert repeat_pass_queries() == with_one


@pytest.mark.django_db
def test_the_breach_board_and_the_clock_show_what_is_late(case, personas):
    with time_machine.travel(datetime(2020, 12, 8, 9, 0, tzinfo=WIB), tick=False):
        board = breach_board(personas["analyst"])
        assert [(str(r.organisation), r.open_cases, r.breaches) for r in board] == [("Polsek Panggungrejo", 1, 1)]
        assert board[0].late_cases[0][1] == ["acknowledged"]
    services.case_log_action(
        case=case, actor=personas["responder"], at=datetime(2020, 12, 8, 10, tzinfo=WIB), note="Datang ke lokasi"
    )
    clock = {s.stage: s for s in services.case_clock(Case.objects.get(pk=case.pk))}
    assert clock["acknowledged"].late_by(datetime(2021, 1, 1, tzinfo=WIB)) == timedelta(hours=10)  # late, then done
    assert clock["first_action"].late_by(datetime(2021, 1, 1, tzinfo=WIB)) is None
    assert clock["verified"].done_at is not None and clock["received"].done_at < clock["verified"].done_at


@pytest.mark.django_db
def test_a_responder_sees_the_cases_of_its_organisation_only(case, client, django_user_model, organisations, personas):
    other = django_user_model.objects.create(
        username="gadingrejo", role="responder", organisation=organisations["polsek_gadingrejo"]
    )
    assert list(Case.objects.visible_to(personas["responder"])) == [case]
    assert list(Case.objects.visible_to(personas["mediator"])) == [case]  # FKUB supports it
    assert list(Case.objects.visible_to(other)) == []
    assert list(Case.objects.visible_to(personas["trusted_reporter"])) == []
    client.force_login(other)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    client.force_login(personas["leadership"])
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.post(reverse("cases:act", args=[case.pk, "terima"])).status_code == 403
    client.force_login(personas["mediator"])  # supporting: records actions, does not acknowledge for the lead
    assert client.post(reverse("cases:act", args=[case.pk, "terima"])).status_code == 403
    client.post(reverse("cases:act", args=[case.pk, "tindakan"]), {"note": "Tokoh agama menemui kedua pihak"})
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


@pytest.mark.django_db
def test_the_case_pages_take_the_whole_flow(case, client, personas):
    client.force_login(personas["responder"])
    detail = reverse("cases:detail", args=[case.pk])
    assert "Bentrok pemuda RW 05" in client.get(detail).content.decode()
    client.post(reverse("cases:act", args=[case.pk, "terima"]))
    client.post(reverse("cases:act", args=[case.pk, "tindakan"]), {"note": "Patroli"})
    page = client.post(reverse("cases:act", args=[case.pk, "usul-selesai"]), {"note": ""}, follow=True)
    assert "Tulis bagaimana masalah diselesaikan" in page.content.decode()
    client.post(reverse("cases:act", args=[case.pk, "usul-selesai"]), {"note": "Damai di balai RW"})
    assert client.post(reverse("cases:act", args=[case.pk, "konfirmasi"])).status_code == 403
    client.force_login(personas["analyst"])
    client.post(reverse("cases:act", args=[case.pk, "konfirmasi"]), {"note": ""})
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RESOLVED
    assert client.get(reverse("cases:list") + "?status=resolved").content.decode().count(f"P-{case.pk}") >= 1


@pytest.mark.django_db
def test_a_new_incident_about_the_same_parties_reopens_the_resolved_case(
    case, region, personas, django_capture_on_commit_callbacks
):
    responder, analyst = personas["responder"], personas["analyst"]
    services.case_log_action(case=case, actor=responder, note="Patroli")
    services.case_propose_resolution(case=case, actor=responder, summary="Damai")
    services.case_confirm_resolution(case=case, actor=analyst)
    elsewhere = region("35.75.01.1001")
    with django_capture_on_commit_callbacks(execute=True):
        unrelated = verify(reported(region(BUGUL_LOR), "Pembagian sembako oleh tim sukses paslon di RW 02"), analyst)
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED and not case.incidents.filter(pk=unrelated.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = verify(reported(elsewhere, "Anggota Karang Taruna RW 05 kembali menyerang pemuda di pasar"), analyst)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.times_reopened == 1
    assert case.incidents.filter(pk=again.pk).exists()
    reopened = case.events.get(verb="reopened")
    assert reopened.actor is None and "Karang Taruna RW 05" in reopened.note


@pytest.mark.django_db
def test_tasks_past_due_remind_their_owner(case, organisations, personas):
    mailbox(organisations["fkub"], "fkub@example.org")
    task = services.task_add(
        case=case,
        title="Dialog tokoh lintas agama",
        owner=organisations["fkub"],
        due_at=datetime(2020, 12, 8, 12, tzinfo=WIB),
        actor=personas["analyst"],
    )
    assert services.deadlines_due(datetime(2020, 12, 8, 13, 0, tzinfo=WIB)) >= 1
    assert Notification.objects.filter(purpose="reminder", subject__contains="Dialog tokoh").count() == 1
    services.task_finish(task=task, actor=personas["mediator"], done=False, note="Digabung dengan rapat FKUB")
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    with pytest.raises(services.CaseRuleError):
        services.task_finish(task=task, actor=personas["mediator"], done=True, note="lagi")


@pytest.mark.django_db
def test_a_late_task_message_links_to_the_task_and_carries_no_acknowledgement_link(
    case, organisations, personas, smtp_server, http_receiver, settings
):
    """Only alerts are acknowledged: a task's messages sent their reader to /terima/..., a page that said the link
    was bad. The mail and the SMS now lead to the task list, at the task."""
    from sigap.notify.choices import ChannelKind
    from sigap.notify.models import Channel
    from sigap.notify.services import deliver_due

    settings.SIGAP_PUBLIC_URL = "https://sigap.pasuruankota.go.id"
    fkub = organisations["fkub"]
    mailbox(fkub, "fkub@example.org")
    Channel.objects.create(
        name="SMS FKUB",
        kind=ChannelKind.GATEWAY,
        config={"url": f"{http_receiver.url}/sms", "phone": "+6281234567890", "token": "t0k"},
        organisation=fkub,
    )
    task = services.task_add(
        case=case,
        title="Dialog tokoh lintas agama",
        owner=fkub,
        due_at=datetime(2020, 12, 8, 12, tzinfo=WIB),
        actor=personas["analyst"],
    )
    services.deadlines_due(datetime(2020, 12, 8, 13, 0, tzinfo=WIB))
    Notification.objects.exclude(channel__organisation=fkub).delete()  # the case lead's own messages
    assert deliver_due(limit=50) == 4  # the new task and its late reminder, each by mail and by SMS
    task_link = f"https://sigap.pasuruankota.go.id/tugas/?tugas={task.pk}#tugas-{task.pk}"
    bodies = [m.get_payload(decode=True).decode() for m in smtp_server]
    assert len(bodies) == 2 and all(task_link in body and "/terima/" not in body for body in bodies)
    texts = [json.loads(r["raw"])["text"] for r in http_receiver.requests]
    assert len(texts) == 2 and all(t.endswith(task_link) and len(t) <= 160 for t in texts)
    page = Client()
    page.force_login(personas["mediator"])
    assert (
        f'id="tugas-{task.pk}"' in page.get(task_link.removeprefix("https://sigap.pasuruankota.go.id")).content.decode()
    )


@pytest.mark.django_db
def test_only_a_tasks_owner_or_an_analyst_is_offered_its_finish_form(case, organisations, personas):
    """The lead's staff saw Done and Cancel on a supporting organisation's task, and pressing them answered 403;
    the form is offered to whoever may use it, the others read who reports it."""
    task = services.task_add(
        case=case,
        title="Dialog tokoh lintas agama",
        owner=organisations["fkub"],
        due_at=FRIDAY + timedelta(days=2),
        actor=personas["analyst"],
    )
    form = f'action="{reverse("cases:task_finish", args=[task.pk])}"'
    client = Client()
    for who, offered in (("responder", False), ("mediator", True), ("analyst", True), ("leadership", False)):
        client.force_login(personas[who])
        for page in (reverse("cases:tasks"), reverse("cases:detail", args=[case.pk])):
            assert (form in client.get(page).content.decode()) is offered, (who, page)
    client.force_login(personas["responder"])
    assert client.post(reverse("cases:task_finish", args=[task.pk]), {"note": "x", "done": "1"}).status_code == 403
    client.force_login(personas["mediator"])
    client.post(reverse("cases:task_finish", args=[task.pk]), {"note": "Dialog terlaksana", "done": "1"})
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_by == personas["mediator"]


@pytest.mark.django_db
def test_a_rule_that_stops_a_step_is_said_in_the_readers_language(case, organisations, personas):
    """The rules' reasons were English in an Indonesian page ("Tidak disimpan: 1 task(s) still open...")."""
    services.task_add(
        case=case, title="Patroli", owner=organisations["polsek_panggungrejo"], due_at=FRIDAY, actor=personas["analyst"]
    )
    client = Client()
    client.force_login(personas["responder"])
    step = reverse("cases:act", args=[case.pk, "usul-selesai"])
    page = client.post(step, {"note": "Sudah damai"}, follow=True).content.decode()
    assert "Masih ada 1 tugas terbuka: selesaikan atau batalkan lebih dulu" in page and "still open" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.post(step, {"note": "Settled"}, follow=True).content.decode()
    assert "1 task still open: finish or cancel it first" in page


@pytest.mark.django_db
def test_the_task_list_is_paged_and_a_tasks_link_opens_the_page_that_shows_it(case, organisations, personas):
    """The list stopped at 300 open tasks, so the later ones could not be finished there; a message's link names its
    task and the list opens on the page that holds it, and finishing a task goes back to that page."""
    fkub = organisations["fkub"]
    start = datetime(2020, 12, 8, 12, tzinfo=WIB)
    tasks = [
        services.task_add(
            case=case, title=f"Tugas {n:03d}", owner=fkub, due_at=start + timedelta(hours=n), actor=personas["analyst"]
        )
        for n in range(120)
    ]
    client = Client()
    client.force_login(personas["analyst"])
    first = client.get(reverse("cases:tasks")).content.decode()
    assert "Tugas 000" in first and "Tugas 050" not in first and "Halaman 1 dari 3" in first
    late = tasks[110]
    page = client.get(reverse("cases:tasks"), {"tugas": late.pk}).content.decode()
    assert f'id="tugas-{late.pk}"' in page and "Halaman 3 dari 3" in page
    finished = client.post(
        reverse("cases:task_finish", args=[late.pk]), {"note": "Sudah", "done": "1", "next": "/tugas/?page=3"}
    )
    assert finished.url == "/tugas/?page=3"
    assert client.get(reverse("cases:tasks"), {"tugas": "x' or 1=1"}).status_code == 200  # a mangled link: page 1


@pytest.mark.django_db
def test_the_workers_minute_runs_the_case_deadlines_and_reaches_staff_of_an_organisation_without_channels(
    incident, organisations, personas, calendar
):
    """`sigap notify work` calls periodic_due every minute; the cases room registered its check there. Polsek
    Gadingrejo has no channel of its own: its responder's in-app channel is used, and not the one of its
    Bhabinkamtibmas, a trusted reporter who cannot open the case."""
    from sigap.notify.choices import ChannelKind
    from sigap.notify.models import Channel
    from sigap.notify.services import periodic_due

    gadingrejo = organisations["polsek_gadingrejo"]
    officer = personas["responder"].__class__.objects.create(
        username="kanit", role="responder", organisation=gadingrejo
    )
    inbox = Channel.objects.create(name="Aplikasi kanit", kind=ChannelKind.IN_APP, user=officer)
    bhabin = officer.__class__.objects.create(username="bhabin", role="trusted_reporter", organisation=gadingrejo)
    Channel.objects.create(name="Aplikasi bhabin", kind=ChannelKind.IN_APP, user=bhabin)
    with time_machine.travel(FRIDAY, tick=False):
        case = services.case_open(
            title="x", lead_organisation=gadingrejo, incidents=[incident], actor=personas["analyst"]
        )
    assert Notification.objects.get(purpose="case").channel == inbox
    assert periodic_due(datetime(2020, 12, 8, 9, 0, tzinfo=WIB)) >= 1
    assert Notification.objects.filter(purpose="reminder", channel=inbox, subject__contains=f"P-{case.pk}").exists()


@pytest.mark.django_db
def test_the_case_list_pages_through_many_cases(case, personas, client):
    from sigap.cases.views import CASES_PER_PAGE

    for number in range(CASES_PER_PAGE + 4):
        case.pk, case._state.adding = None, True
        case.title = f"Kasus salinan {number:03d}"
        case.resolve_due_at += timedelta(hours=1)
        case.save()
    client.force_login(personas["analyst"])
    first = client.get("/penanganan/").content.decode()
    assert first.count("<td>P-") == CASES_PER_PAGE and 'href="?status=open&amp;page=2"' in first
    second = client.get("/penanganan/?status=open&page=2").content.decode()
    assert second.count("<td>P-") == 5 and f"Kasus salinan {CASES_PER_PAGE + 3:03d}" in second
    assert client.get("/penanganan/?status=lain&page=x").status_code == 200  # mangled: the first page of open cases


@pytest.mark.django_db
def test_a_change_through_a_stale_copy_keeps_what_others_did(case, personas):
    """A page holds a copy of the case while the lead acts on it; the analyst's later change keeps the lead's step."""
    stale = Case.objects.get(pk=case.pk)
    services.case_log_action(case=case, actor=personas["responder"], note="Patroli")
    services.case_update(case=stale, actor=personas["analyst"], reason="Bentrok fisik", phase=CasePhase.PENGHENTIAN)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.phase) == (CaseStatus.IN_PROGRESS, CasePhase.PENGHENTIAN)


@pytest.mark.django_db
def test_an_incident_settled_without_a_case_is_resolved_by_an_analyst_and_its_reporter_told(
    region, organisations, personas, calendar
):
    """A verified incident could only stay open or get a case of its own: a small problem settled by a lurah's
    musyawarah stayed among the open incidents for good, on every responder's queue and in the area's risk."""
    settled = verify(
        reported(region(BUGUL_LOR), "Warga ribut soal antrean bansos di balai RW 02", at=FRIDAY),
        personas["analyst"],
        at=FRIDAY + timedelta(hours=1),
    )
    client = Client()
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:incident_detail", args=[settled.pk])).content.decode()
    assert reverse("cases:incident_settle", args=[settled.pk]) in page
    settle = reverse("cases:incident_settle", args=[settled.pk])
    assert "Tidak tersimpan" in client.post(settle, {"note": "  "}, follow=True).content.decode()
    client.post(settle, {"note": "Musyawarah di balai RW 02 dipimpin lurah; antrean diatur ulang."})
    settled.refresh_from_db()
    assert settled.status == IncidentStatus.RESOLVED and settled.closed_at is not None
    event = settled.events.get(to_status=IncidentStatus.RESOLVED)
    assert "Musyawarah di balai RW 02" in event.note and event.actor == personas["analyst"]
    told = ReporterMessage.objects.filter(report__incident=settled, direction="out").last()
    assert told is not None and "sudah ditangani sampai selesai" in told.body
    # A responder may not, and an incident that a case handles is resolved with its case.
    handled = verify(
        reported(region(BUGUL_LOR), "Lempar batu antarpemuda di gang RW 05", at=FRIDAY), personas["analyst"]
    )
    assert handled.pk != settled.pk
    services.case_open(
        title="Bentrok pemuda",
        lead_organisation=organisations["polsek_panggungrejo"],
        incidents=[handled],
        actor=personas["analyst"],
    )
    with pytest.raises(services.CaseRuleError, match="P-"):
        services.incident_settle(incident=handled, actor=personas["analyst"], note="Sudah damai")
    client.force_login(personas["responder"])
    assert client.post(reverse("cases:incident_settle", args=[handled.pk]), {"note": "x"}).status_code == 403
    # Resolved too early: reopened, it is an open (verified) incident again.
    from sigap.triage.services import incident_reopen

    reopened = incident_reopen(incident=settled, actor=personas["analyst"], reason="Antrean ricuh lagi")
    assert reopened.status == IncidentStatus.VERIFIED and reopened.closed_at is None


def _fkub_task(case, organisations, personas, due=datetime(2020, 12, 8, 12, tzinfo=WIB)):
    with time_machine.travel(FRIDAY, tick=False):
        return services.task_add(
            case=case,
            title="Dialog tokoh lintas agama",
            owner=organisations["fkub"],
            due_at=due,
            actor=personas["analyst"],
        )


@pytest.mark.django_db
def test_a_tasks_owner_asks_for_more_time_and_the_lead_sees_it_with_the_first_deadline(case, organisations, personas):
    """A late task could only be done or cancelled: an organisation that needed until after the recapitulation
    either let it stay late or cancelled it. Its owner moves the deadline with a reason; the lead is told, the
    timeline and the task keep the first deadline, and the late reminders follow the new one."""
    mailbox(organisations["fkub"], "fkub@example.org")
    task = _fkub_task(case, organisations, personas)
    tuesday = datetime(2020, 12, 8, 13, 0, tzinfo=WIB)
    services.deadlines_due(tuesday)
    late = Notification.objects.filter(purpose="reminder", subject__contains="Dialog tokoh")
    assert late.count() == 1
    Notification.objects.all().delete()
    services.task_change(
        task=task,
        actor=personas["mediator"],
        reason="Kedua paslon baru bisa hadir setelah rekapitulasi",
        due_at=datetime(2020, 12, 11, 12, tzinfo=WIB),
        at=tuesday,
    )
    task.refresh_from_db()
    assert task.due_at == datetime(2020, 12, 11, 12, tzinfo=WIB) and task.first_due_at == datetime(
        2020, 12, 8, 12, tzinfo=WIB
    )
    event = case.events.get(verb="task_rescheduled")
    assert event.actor == personas["mediator"]
    assert event.note == (
        "Dialog tokoh lintas agama: batas 08-12-2020 12:00 \u2192 11-12-2020 12:00. "
        "Kedua paslon baru bisa hadir setelah rekapitulasi"
    )
    assert AuditLog.objects.filter(action="task.changed", object_id=str(task.pk)).count() == 1
    told = Notification.objects.filter(purpose="task")
    # The lead (Polsek Panggungrejo, the case fixture's mailbox) is told; FKUB, who moved it, is not.
    assert [n.channel.organisation for n in told] == [organisations["polsek_panggungrejo"]]
    assert "11-12-2020 12:00" in told[0].body and "rekapitulasi" in told[0].body
    # No reminder before the new deadline; a fresh one after it. Moved again, the first deadline stays.
    services.deadlines_due(datetime(2020, 12, 10, 9, tzinfo=WIB))
    assert late.count() == 0
    services.deadlines_due(datetime(2020, 12, 11, 13, tzinfo=WIB))
    assert late.count() == 1 and "11-12-2020 12:00" in late.get().body
    services.task_change(
        task=task,
        actor=personas["mediator"],
        reason="Ketua FKUB sakit",
        due_at=datetime(2020, 12, 15, 12, tzinfo=WIB),
        at=datetime(2020, 12, 11, 14, tzinfo=WIB),
    )
    task.refresh_from_db()
    assert (
        task.first_due_at == datetime(2020, 12, 8, 12, tzinfo=WIB)
        and case.events.filter(verb="task_rescheduled").count() == 2
    )


@pytest.mark.django_db
def test_a_late_reminder_overtaken_before_its_turn_is_not_sent(case, organisations, personas, smtp_server):
    """A late reminder waits for the end of quiet hours or for a worker that was down; if meanwhile the task got a
    new deadline, or was done, or the case passed the stage, it is dropped with the reason, not sent."""
    from sigap.notify.services import deliver_due

    mailbox(organisations["fkub"], "fkub@example.org")
    moved = _fkub_task(case, organisations, personas)
    finished = _fkub_task(case, organisations, personas)
    tuesday = datetime(2020, 12, 8, 13, 0, tzinfo=WIB)
    services.deadlines_due(tuesday)
    reminders = Notification.objects.filter(purpose="reminder")
    assert {n.subject for n in reminders} >= {"[Terlambat] Tugas: Dialog tokoh lintas agama"}
    later = datetime(2020, 12, 11, 12, tzinfo=WIB)
    services.task_change(
        task=moved, actor=personas["mediator"], reason="Setelah rekapitulasi", due_at=later, at=tuesday
    )
    services.task_finish(task=finished, actor=personas["mediator"], done=True, note="Dialog terlaksana", at=tuesday)
    # the lead had not acknowledged by its deadline; FKUB's work on the case starts its handling meanwhile
    with time_machine.travel(tuesday + timedelta(minutes=1), tick=False):
        deliver_due(limit=50)
    reasons = {n.dropped_because for n in reminders.filter(status="dropped")}
    assert reasons >= {f"batas tugas #{moved.pk} sudah diubah", f"tugas #{finished.pk} sudah ditutup"}
    assert not any("Terlambat" in m["Subject"] and "Dialog" in m["Subject"] for m in smtp_server)
    news = Notification.objects.filter(purpose="task", idempotency_key__contains=":added:")
    assert {(n.idempotency_key.split(":")[0], n.status) for n in news} == {
        (f"task{moved.pk}", "sent"),  # still open: its owner hears of it
        (f"task{finished.pk}", "dropped"),  # done before the message's turn
    }
    ack_late = reminders.filter(idempotency_key__startswith=f"case{case.pk}:ack:")
    assert ack_late.exists() and all(n.dropped_because == f"P-{case.pk} sudah melewati tahap itu" for n in ack_late)


@pytest.mark.django_db
def test_a_task_change_needs_a_reason_a_change_and_a_deadline_to_come(case, organisations, personas):
    task = _fkub_task(case, organisations, personas)
    now = datetime(2020, 12, 7, 9, tzinfo=WIB)
    later = datetime(2020, 12, 10, 12, tzinfo=WIB)
    refusals = [
        ({"reason": "  ", "due_at": later}, "Tulis mengapa"),
        ({"reason": "Lagi", "due_at": task.due_at}, "Tidak ada yang berubah"),
        ({"reason": "Lagi", "owner": organisations["fkub"]}, "Tidak ada yang berubah"),
        ({"reason": "Lagi", "due_at": now - timedelta(hours=1)}, "sudah lewat"),
    ]
    for changes, words in refusals:
        with pytest.raises(services.CaseRuleError, match=words):
            services.task_change(task=task, actor=personas["analyst"], at=now, **changes)
    services.task_finish(task=task, actor=personas["mediator"], done=True, note="Dialog terlaksana")
    with pytest.raises(services.CaseRuleError, match="Tugas sudah selesai"):
        services.task_change(task=task, actor=personas["analyst"], reason="Lagi", due_at=later, at=now)
    assert not case.events.filter(verb__in=["task_rescheduled", "task_handed_over"]).exists()
    assert not AuditLog.objects.filter(action="task.changed").exists()


@pytest.mark.django_db
def test_the_lead_hands_a_task_to_another_organisation_and_both_are_told(case, organisations, personas):
    fkub, gadingrejo = organisations["fkub"], organisations["polsek_gadingrejo"]
    mailbox(fkub, "fkub@example.org")
    mailbox(gadingrejo, "piket@polsek-gadingrejo.example")
    task = _fkub_task(case, organisations, personas)
    task.owner_user = personas["mediator"]
    task.save()
    Notification.objects.all().delete()
    services.task_change(
        task=task,
        actor=personas["responder"],
        reason="Lokasi dialog pindah ke Gadingrejo",
        owner=gadingrejo,
        at=datetime(2020, 12, 7, 9, tzinfo=WIB),
    )
    task.refresh_from_db()
    assert task.owner_organisation == gadingrejo and task.owner_user is None and task.first_due_at is None
    assert "FKUB \u2192 Polsek Gadingrejo" in case.events.get(verb="task_handed_over").note
    told = {n.channel.organisation for n in Notification.objects.filter(purpose="task")}
    assert told == {fkub, gadingrejo}  # not the lead, whose responder handed it over


@pytest.mark.django_db
def test_the_task_change_page_offers_each_reader_what_they_may_change(case, organisations, personas):
    task = _fkub_task(case, organisations, personas, due=datetime(2030, 1, 8, 12, tzinfo=WIB))
    url = reverse("cases:task_change", args=[task.pk])
    client = Client()
    for who, hand_over in (("mediator", False), ("responder", True), ("analyst", True)):
        client.force_login(personas[who])
        page = client.get(url).content.decode()
        assert 'name="reason"' in page and ('name="owner"' in page) is hand_over, who
        listed = client.get(reverse("cases:tasks")).content.decode()
        assert url in listed and ("atau serahkan" if hand_over else "Minta tambahan waktu") in listed, who
    # Leadership reads tasks but changes none: sent to the task in the list; a POST is refused.
    client.force_login(personas["leadership"])
    assert client.get(url).url == f"{reverse('cases:tasks')}?tugas={task.pk}#tugas-{task.pk}"
    assert client.post(url, {"reason": "x", "due": "2030-01-09T12:00"}).status_code == 403
    # The owner cannot hand the task over, whatever the POST says; the deadline moves and the page says so.
    client.force_login(personas["mediator"])
    answer = client.post(
        url,
        {"reason": "Menunggu jadwal", "due": "2030-01-15T12:00", "owner": organisations["polsek_gadingrejo"].pk},
        follow=True,
    )
    task.refresh_from_db()
    assert task.owner_organisation == organisations["fkub"] and task.due_at == datetime(2030, 1, 15, 12, tzinfo=WIB)
    page = answer.content.decode()
    assert "Tugas diubah" in page and "semula 8 Jan 2030 12:00" in page
    # A "next" that leaves the site is not followed.
    for day, outside in ((16, "//evil.example/"), (17, "/\\evil.example/"), (18, "https://evil.example/")):
        answer = client.post(url + f"?next={outside}", {"reason": "Lagi", "due": f"2030-01-{day}T12:00"})
        assert answer.url == f"{reverse('cases:tasks')}?tugas={task.pk}#tugas-{task.pk}", outside
    # An empty reason keeps the form with the words typed and says why.
    again = client.post(url, {"reason": "", "due": "2030-01-20T12:00"}).content.decode()
    assert "2030-01-20T12:00" in again and "Bidang ini tidak boleh kosong" in again


@pytest.mark.django_db
def test_an_alert_raised_where_a_case_is_at_work_is_answered_by_that_case(case, region, personas, client):
    """Trajeng rose to Awas while Polres's case there was at work: the alert page offered only "Open a case", and
    the alert stayed "responded to, without a case" on every home page."""
    alert = alert_raise(
        kind=AlertKind.LEVEL_RISE,
        city=region(CITY),
        regions=[region(BUGUL_LOR)],
        level=3,
        title="Kerawanan naik: Bugul Lor",
        reason="Bugul Lor: Waspada → Siaga",
        at=FRIDAY + timedelta(hours=2),
    )
    page = reverse("alerts:detail", args=[alert.pk])
    client.force_login(personas["responder"])
    link = reverse("cases:act", args=[case.pk, "kaitkan-peringatan"])
    assert "Penanganan ini menjawab peringatan" not in client.get(page).content.decode()
    assert client.post(link, {"alert": alert.pk}).status_code == 403  # the secretariat links, not a responder
    client.force_login(personas["analyst"])
    offered = client.get(page).content.decode()
    assert "Penanganan ini menjawab peringatan" in offered and f"P-{case.pk} Bentrok pemuda RW 05" in offered
    assert client.post(link, {"alert": alert.pk}).url == reverse("cases:detail", args=[case.pk])
    alert.refresh_from_db()
    assert alert.state == AlertState.RESPONDING and list(alert.cases.all()) == [case]
    assert alert.events.filter(to_state=AlertState.RESPONDING, note=f"Penanganan P-{case.pk}").exists()
    assert case.events.filter(verb="alert_linked", note__startswith=f"#{alert.pk} ").exists()
    assert AuditLog.objects.filter(action="case.alert_linked", object_id=str(case.pk)).exists()
    after = client.get(page).content.decode()
    assert "Penanganan ini menjawab peringatan" not in after and f"P-{case.pk} Bentrok pemuda RW 05" in after
    # A resolved case answers no new alert.
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.RESOLVED)
    case.refresh_from_db()
    with pytest.raises(services.CaseRuleError):
        services.case_link_alert(case=case, alert=alert, actor=personas["analyst"])

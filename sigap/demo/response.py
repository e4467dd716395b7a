"""The response side of the demo month: cases until resolved, mediation with a followed-up agreement and a relapse,
coordination meetings, the contact log and the integrated action plan. Every step goes through the services, with
the times at which it would have happened."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fpdf import FPDF

from sigap.accounts.models import User
from sigap.cases import services as cases
from sigap.cases.choices import CasePhase
from sigap.cases.models import Case
from sigap.coordination import services as coordination
from sigap.coordination.choices import ContactChannel, MeetingKind, PlanPart
from sigap.coordination.models import ContactLog, Meeting
from sigap.core.calendar import holidays_load
from sigap.core.grading import Credibility, Reliability
from sigap.demo import scenario
from sigap.directory.choices import PersonRole
from sigap.directory.models import Organisation, Person
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.mediation import services as mediation
from sigap.mediation.choices import Compliance, ForumKind
from sigap.mediation.models import Forum, Mediation
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.triage.choices import IncidentStatus, Urgency
from sigap.triage.models import Incident
from sigap.triage.services import incident_hooks_paused, incident_verify

WIB = ZoneInfo("Asia/Jakarta")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB)


def thread_incident(thread: scenario.Thread) -> Incident | None:
    """The incident the thread's reports were merged into (the first verified one from the thread's start)."""
    return (
        Incident.objects.filter(
            region__name=thread.kelurahan,
            category=thread.category,
            verified_at__isnull=False,
            occurred_at__gte=_at(thread.start, 0),
        )
        .order_by("occurred_at")
        .first()
    )


def _paper(heading: str, lines: list[str]) -> bytes:
    """A small PDF standing in for a scanned paper (the demo has no scanner)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(text=heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 7, text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _facilitator(region: Region) -> list[Person]:
    return list(
        Person.objects.filter(
            region=region, role__in=[PersonRole.TOKOH_AGAMA, PersonRole.TOKOH_MASYARAKAT, PersonRole.KETUA_RT_RW]
        )[:1]
    )


def _forums(orgs: dict[str, Organisation], kelurahan: dict[str, Region]) -> dict[str, Forum]:
    made = {}
    city = next(iter(kelurahan.values())).parent.parent  # type: ignore[union-attr]
    assert city is not None  # noqa: S101 - a kelurahan lies in a kecamatan in a kabupaten/kota
    for key, name, kind, org, areas in [
        ("fkub", "FKUB Kota Pasuruan", ForumKind.FKUB, orgs["fkub"], [city]),
        ("fkdm", "FKDM Kota Pasuruan", ForumKind.FKDM, orgs["fkdm"], [city]),
        ("blandongan", "Musyawarah Kelurahan Blandongan", ForumKind.MUSYAWARAH, None, [kelurahan["Blandongan"]]),
        ("trajeng", "Urun rembug warga Trajeng", ForumKind.URUN_REMBUG, None, [kelurahan["Trajeng"]]),
    ]:
        forum = Forum.objects.create(name=name, kind=kind, organisation=org)
        forum.areas.set(areas)
        facilitators = [p for a in areas if a.level == Level.DESA_KELURAHAN for p in _facilitator(a)]
        forum.facilitators.set(facilitators)
        made[key] = forum
    return made


def _blandongan(
    orgs: dict[str, Organisation], forums: dict[str, Forum], people: dict[str, User], kecamatan_office: Organisation
) -> None:
    """A land dispute from report to a resolved case, through a musyawarah whose agreement is followed up."""
    thread = scenario.THREADS[1]
    incident = thread_incident(thread)
    if incident is None or incident.verified_at is None:
        return
    analyst, polres, mediator = people["analis"], people["polres"], people["mediator"]
    start = incident.verified_at + timedelta(hours=2)
    case = cases.case_open(
        title=thread.title,
        lead_organisation=orgs["polres"],
        supporting=[kecamatan_office, orgs["fkub"]],
        phase=CasePhase.PENCEGAHAN,
        parties=["Warga RW 03 Blandongan", "PT Griya Pasuruan Asri"],
        summary="Warga RW 03 menghadang alat berat pengembang perumahan; batas lahan dipersoalkan.",
        incidents=[incident],
        actor=analyst,
        at=start,
    )
    cases.case_acknowledge(case=case, actor=polres, at=start + timedelta(hours=1))
    cases.case_log_action(
        case=case,
        actor=polres,
        at=start + timedelta(hours=4),
        note="Bhabinkamtibmas dan Babinsa menenangkan warga; pengurukan dihentikan sementara.",
    )
    invite = cases.task_add(
        case=case,
        title="Undang kedua pihak ke musyawarah kelurahan",
        actor=polres,
        owner=kecamatan_office,
        due_at=start + timedelta(days=2),
        at=start + timedelta(hours=5),
    )
    check = cases.task_add(
        case=case,
        title="Cek dokumen batas lahan bersama Kantor Pertanahan",
        actor=polres,
        owner=orgs["pemkot"],
        due_at=start + timedelta(days=6),
        at=start + timedelta(hours=5),
    )
    cases.task_finish(
        task=invite,
        actor=analyst,
        done=True,
        note="Undangan disampaikan Lurah Blandongan",
        at=start + timedelta(days=1),
    )
    med = mediation.mediation_open(
        title="Musyawarah sengketa lahan RW 03 Blandongan",
        actor=mediator,
        forum=forums["blandongan"],
        cases=[case],
        incidents=[incident],
        facilitators=forums["blandongan"].facilitators.all(),
        mediator=mediator,
        parties=[
            mediation.PartyInput("Warga RW 03 Blandongan", "Ketua RW 03"),
            mediation.PartyInput("PT Griya Pasuruan Asri", "Manajer proyek"),
        ],
        at=start + timedelta(days=1, hours=2),
    )
    first = mediation.session_schedule(
        mediation=med,
        scheduled_at=_at(date(2020, 11, 27), 19, 30),
        venue="Balai Kelurahan Blandongan",
        actor=mediator,
        at=start + timedelta(days=1, hours=3),
    )
    mediation.session_record(
        session=first,
        actor=mediator,
        attendee_count=26,
        women_count=9,
        attendees="Ketua RW 03, 20 warga, manajer proyek, Lurah, Bhabinkamtibmas, Babinsa",
        minutes="Warga menyampaikan keberatan atas pengurukan di lahan yang diklaim tanah kas RW; "
        "pengembang menunjukkan sertifikat. Disepakati pengukuran ulang.",
        at=_at(date(2020, 11, 27), 22),
    )
    second = mediation.session_schedule(
        mediation=med,
        scheduled_at=_at(date(2020, 12, 1), 19, 30),
        venue="Balai Kelurahan Blandongan",
        actor=mediator,
        at=_at(date(2020, 11, 28), 9),
    )
    mediation.session_record(
        session=second,
        actor=mediator,
        attendee_count=18,
        women_count=6,
        attendees="Perwakilan warga, pengembang, Lurah, Camat Bugul Kidul",
        minutes="Kedua pihak menyetujui rumusan kesepakatan damai.",
        at=_at(date(2020, 12, 1), 22),
    )
    signed = date(2020, 12, 2)
    agreement = mediation.agreement_record(
        mediation=Mediation.objects.get(pk=med.pk),
        actor=mediator,
        signed_on=signed,
        text="Pengembang menghentikan pengurukan sampai batas lahan diukur ulang; warga tidak menghadang alat berat "
        "selama pengukuran; hasil pengukuran diterima kedua pihak.",
        signatories="Ketua RW 03, Manajer proyek PT Griya Pasuruan Asri, Lurah Blandongan, Camat Bugul Kidul",
        commitments=[
            mediation.CommitmentInput(
                "Pengurukan dihentikan sampai pengukuran ulang", "PT Griya Pasuruan Asri", date(2020, 12, 9)
            ),
            mediation.CommitmentInput(
                "Tidak menghadang alat berat selama pengukuran", "Warga RW 03 Blandongan", date(2020, 12, 9)
            ),
            mediation.CommitmentInput(
                "Pengukuran ulang bersama Kantor Pertanahan", "Lurah Blandongan", date(2020, 12, 16)
            ),
        ],
        at=_at(signed, 10),
    )
    mediation.mediation_document_add(
        mediation=Mediation.objects.get(pk=med.pk),
        title="Naskah kesepakatan damai, ditandatangani 2 Desember 2020",
        data=_paper(
            "KESEPAKATAN DAMAI",
            [
                "Musyawarah sengketa lahan RW 03, Kelurahan Blandongan, Kota Pasuruan",
                f"Ditandatangani {signed:%d-%m-%Y}",
                agreement.text,
                f"Para pihak dan saksi: {agreement.signatories}",
            ],
        ),
        actor=mediator,
        at=_at(signed, 11),
    )
    cases.case_document_add(
        case=Case.objects.get(pk=case.pk),
        title="Laporan pengamanan musyawarah (Polres)",
        data=_paper(
            "LAPORAN KEGIATAN",
            [
                "Pengamanan musyawarah di Balai Kelurahan Blandongan, 27 November dan 1 Desember 2020",
                "Situasi aman dan kondusif; tidak ada pengerahan massa.",
            ],
        ),
        actor=polres,
        at=_at(signed, 13),
    )
    cases.task_finish(
        task=check,
        actor=analyst,
        done=True,
        note="Sertifikat dan peta bidang dicocokkan",
        at=_at(date(2020, 12, 3), 14),
    )
    cases.case_propose_resolution(
        case=Case.objects.get(pk=case.pk),
        actor=polres,
        at=_at(date(2020, 12, 5), 10),
        summary="Kesepakatan damai ditandatangani 2 Desember; situasi kondusif, komitmen dipantau lewat mediasi.",
    )
    cases.case_confirm_resolution(
        case=Case.objects.get(pk=case.pk),
        actor=analyst,
        at=_at(date(2020, 12, 6), 15),
        note="Dicek ke Lurah dan Bhabinkamtibmas Blandongan",
    )
    c1, c2, c3 = agreement.commitments.all()
    mediation.follow_up_record(
        agreement=agreement,
        actor=mediator,
        visited_on=date(2020, 12, 10),
        results={c1.pk: Compliance.KEPT, c2.pk: Compliance.KEPT},
        notes="Lokasi tenang; alat berat diparkir",
        at=_at(date(2020, 12, 10), 11),
    )
    mediation.follow_up_record(
        agreement=agreement,
        actor=mediator,
        visited_on=date(2020, 12, 17),
        results={c3.pk: Compliance.KEPT},
        notes="Pengukuran ulang selesai 15 Desember",
        at=_at(date(2020, 12, 17), 11),
    )


def _trajeng(
    orgs: dict[str, Organisation], forums: dict[str, Forum], people: dict[str, User], kelurahan: dict[str, Region]
) -> None:
    """An urun rembug between supporters agreed in November; the December clashes break it (relapse)."""
    analyst, polres, mediator = people["analis"], people["polres"], people["mediator"]
    received = _at(date(2020, 11, 25), 20, 10)
    with incident_hooks_paused():
        report, _ = report_receive(
            ReportDraft(
                channel=Channel.TRUSTED,
                description="Adu mulut pendukung paslon 01 dan paslon 02 soal pemasangan baliho di RW 04 Trajeng.",
                region=kelurahan["Trajeng"],
                occurred_at=received - timedelta(minutes=40),
                received_at=received,
                groups_involved="Pendukung paslon 01; Pendukung paslon 02",
                submitted_by=people["pelapor"],
            )
        )
        earlier = report.incident
        assert earlier is not None  # noqa: S101 - report_receive always places a report in an incident
        incident_verify(
            incident=earlier,
            decision=IncidentStatus.VERIFIED,
            actor=analyst,
            reliability=Reliability.B,
            credibility=Credibility.PROBABLY_TRUE,
            at=received + timedelta(hours=14),
        )
    med = mediation.mediation_open(
        title="Urun rembug pendukung paslon di Trajeng",
        actor=mediator,
        forum=forums["trajeng"],
        incidents=[earlier],
        facilitators=forums["trajeng"].facilitators.all(),
        mediator=mediator,
        parties=[
            mediation.PartyInput("Pendukung paslon 01", "Koordinator relawan 01"),
            mediation.PartyInput("Pendukung paslon 02", "Koordinator relawan 02"),
        ],
        at=_at(date(2020, 11, 26), 13),
    )
    session = mediation.session_schedule(
        mediation=med,
        scheduled_at=_at(date(2020, 11, 27), 20),
        venue="Musala RW 04 Trajeng",
        actor=mediator,
        at=_at(date(2020, 11, 26), 14),
    )
    mediation.session_record(
        session=session,
        actor=mediator,
        attendee_count=15,
        women_count=3,
        attendees="Koordinator relawan kedua paslon, Ketua RW 04, tokoh agama, Panwascam",
        minutes="Kedua pihak sepakat soal titik baliho dan rute konvoi.",
        at=_at(date(2020, 11, 27), 22),
    )
    agreement = mediation.agreement_record(
        mediation=Mediation.objects.get(pk=med.pk),
        actor=mediator,
        signed_on=date(2020, 11, 28),
        text="Baliho hanya di titik yang ditetapkan KPU; tidak ada konvoi melewati RW 04; perselisihan dibawa ke "
        "Ketua RW dan Panwascam, bukan diselesaikan sendiri.",
        signatories="Koordinator relawan paslon 01 dan 02, Ketua RW 04, Panwascam Panggungrejo",
        commitments=[
            mediation.CommitmentInput(
                "Baliho hanya di titik yang ditetapkan KPU", "Koordinator relawan 01 dan 02", date(2020, 12, 5)
            ),
            mediation.CommitmentInput(
                "Tidak ada konvoi melewati RW 04", "Koordinator relawan 01 dan 02", date(2020, 12, 9)
            ),
        ],
        at=_at(date(2020, 11, 28), 10),
    )
    c1, _c2 = agreement.commitments.all()
    mediation.follow_up_record(
        agreement=agreement,
        actor=mediator,
        visited_on=date(2020, 12, 5),
        results={c1.pk: Compliance.KEPT},
        notes="Baliho tertib",
        at=_at(date(2020, 12, 5), 11),
    )
    thread = scenario.THREADS[0]
    clash = thread_incident(thread)
    if clash is None or clash.verified_at is None:
        return
    # The relapse watch, as the incident hook runs it when the clash is verified.
    mediation.incident_changed(clash, clash.verified_at)
    case = cases.case_open(
        title=thread.title,
        lead_organisation=orgs["polres"],
        supporting=[orgs["kodim"], orgs["fkub"]],
        phase=CasePhase.PENGHENTIAN,
        parties=["Pendukung paslon 01", "Pendukung paslon 02"],
        incidents=[clash],
        actor=analyst,
        at=clash.verified_at + timedelta(hours=1),
    )
    cases.case_log_action(
        case=case,
        actor=polres,
        at=clash.verified_at + timedelta(hours=2),
        note="Satu peleton Dalmas disiagakan di perempatan Trajeng; kedua massa dipisahkan.",
    )
    cases.task_add(
        case=case,
        title="Pertemukan koordinator relawan kedua paslon",
        owner=orgs["fkub"],
        due_at=_at(date(2020, 12, 14), 17),
        actor=polres,
        at=clash.verified_at + timedelta(hours=3),
    )
    cases.task_add(
        case=case,
        title="Patroli malam gabungan TNI-Polri sampai rekapitulasi selesai",
        owner=orgs["kodim"],
        due_at=_at(date(2020, 12, 22), 6),
        actor=polres,
        at=clash.verified_at + timedelta(hours=3),
    )
    cases.case_update(
        case=case,
        actor=analyst,
        phase=CasePhase.PENGHENTIAN,
        reason="Bentrok fisik",
        resolve_by=_at(date(2020, 12, 31), 23),
        at=clash.verified_at + timedelta(hours=4),
    )
    mediation.relapse_review(
        flag=med.relapses.get(),
        actor=mediator,
        note="Kesepakatan dilanggar oleh massa dari luar RW 04; perlu urun rembug ulang.",
        at=clash.verified_at + timedelta(days=1),
    )
    mediation.mediation_resume(
        mediation=Mediation.objects.get(pk=med.pk),
        actor=mediator,
        note="Perundingan ulang setelah bentrok 7 Desember",
        at=clash.verified_at + timedelta(days=1, hours=1),
    )
    mediation.session_schedule(
        mediation=Mediation.objects.get(pk=med.pk),
        scheduled_at=_at(date(2020, 12, 21), 19),
        venue="Kantor Kelurahan Trajeng",
        actor=mediator,
        at=clash.verified_at + timedelta(days=1, hours=2),
    )
    cases.status_consider(
        incident=clash,
        actor=analyst,
        note="Polres masih mampu mengendalikan; fungsi pemerintahan di Trajeng berjalan normal.",
        at=clash.verified_at + timedelta(hours=5),
    )


def _mayangan(orgs: dict[str, Organisation], people: dict[str, User]) -> None:
    thread = scenario.THREADS[2]
    incident = thread_incident(thread)
    if incident is None or incident.verified_at is None:
        return
    analyst, polres = people["analis"], people["polres"]
    start = incident.verified_at + timedelta(hours=1)
    case = cases.case_open(
        title=thread.title,
        lead_organisation=orgs["polres"],
        supporting=[orgs["kpu"], orgs["bawaslu"]],
        phase=CasePhase.PENCEGAHAN,
        parties=["Saksi paslon 01", "Saksi paslon 02"],
        incidents=[incident],
        actor=analyst,
        at=start,
    )
    cases.case_log_action(
        case=case,
        actor=polres,
        at=start + timedelta(hours=2),
        note="Pengamanan kantor kelurahan; massa diarahkan menempuh keberatan ke PPK.",
    )
    explain = cases.task_add(
        case=case,
        title="KPU menjelaskan proses rekapitulasi kepada para saksi",
        owner=orgs["kpu"],
        due_at=start + timedelta(days=2),
        actor=polres,
        at=start,
    )
    cases.task_finish(
        task=explain,
        actor=analyst,
        done=True,
        at=start + timedelta(days=1, hours=3),
        note="Rapat terbuka di PPK Panggungrejo; keberatan dicatat di formulir kejadian khusus",
    )
    resolved = datetime.combine(thread.start + timedelta(days=thread.resolved_after_days or 6), time(15), WIB)
    cases.case_propose_resolution(
        case=Case.objects.get(pk=case.pk),
        actor=polres,
        at=resolved - timedelta(hours=5),
        summary="Keberatan disalurkan lewat mekanisme PPK/Bawaslu; tidak ada massa lagi.",
    )
    cases.case_confirm_resolution(case=Case.objects.get(pk=case.pk), actor=analyst, at=resolved)


def _small_cases(rng: random.Random, orgs: dict[str, Organisation], people: dict[str, User], now: datetime) -> None:
    """Urgent verified incidents get a case led by the Polsek of their kecamatan; some are answered late."""
    taken = Case.objects.values("incidents")
    urgent = (
        Incident.objects.filter(status=IncidentStatus.VERIFIED, urgency__gte=Urgency.HIGH, verified_at__isnull=False)
        .exclude(pk__in=taken)
        .select_related("region__parent")
        .order_by("verified_at")
    )
    for incident in list(urgent)[-6:]:
        assert incident.verified_at is not None and incident.region is not None  # noqa: S101 - filtered above
        lead = orgs[f"polsek-{incident.region.parent.code}"]  # type: ignore[union-attr]
        opened = incident.verified_at + timedelta(hours=rng.uniform(0.5, 3))
        if opened > now:
            continue
        case = cases.case_open(
            title=incident.title, lead_organisation=lead, incidents=[incident], actor=people["analis"], at=opened
        )
        acted = opened + timedelta(hours=rng.choice([3, 20, 60, 200]))
        if acted <= now:
            cases.case_log_action(
                case=case,
                actor=people["analis"],
                at=acted,
                note="Bhabinkamtibmas mendatangi lokasi dan menenangkan warga.",
            )


def _coordination(orgs: dict[str, Organisation], people: dict[str, User]) -> None:
    analyst = people["analis"]
    rakor = coordination.meeting_record(
        meeting=Meeting(
            kind=MeetingKind.RAKOR,
            title="Rakor Tim Terpadu: kesiapan pengamanan pemungutan suara",
            held_at=_at(date(2020, 12, 7), 9),
            venue="Ruang Untung Suropati, Balai Kota",
            chaired_by="Pjs. Wali Kota Pasuruan",
            attendee_count=31,
            attendees="Forkopimda, Sekda, Kepala Bakesbangpol, camat se-Kota Pasuruan, KPU, Bawaslu",
            minutes="Pemetaan TPS rawan dan rencana patroli disepakati; protokol kesehatan di TPS.",
        ),
        actor=analyst,
        organisations=[orgs[k] for k in ("pemkot", "polres", "kodim", "kejari", "kesbangpol", "kpu", "bawaslu")],
        decisions=[
            "Patroli gabungan TNI-Polri di TPS rawan Trajeng dan Mayangan",
            "Sosialisasi anti-hoaks melalui grup WhatsApp RT/RW",
            "FKUB menggelar doa bersama lintas agama sebelum pemungutan suara",
        ],
    )
    coordination.meeting_document_add(
        meeting=rakor,
        title="Daftar hadir dan notulen rakor, ditandatangani Sekretaris Tim Terpadu",
        data=_paper(
            "NOTULEN RAPAT KOORDINASI TIM TERPADU",
            [f"{rakor.title}, {rakor.held_at:%d-%m-%Y}, {rakor.venue}", rakor.attendees, rakor.minutes],
        ),
        actor=analyst,
        at=_at(date(2020, 12, 7), 15),
    )
    patrol, hoax, _prayer = rakor.decisions.all()
    task = coordination.decision_to_task(
        decision=patrol, owner=orgs["polres"], due_at=_at(date(2020, 12, 8), 18), actor=analyst
    )
    cases.task_finish(
        task=task,
        actor=people["polres"],
        done=True,
        note="Patroli 8-10 Desember terlaksana",
        at=_at(date(2020, 12, 10), 22),
    )
    coordination.decision_to_task(
        decision=hoax, owner=orgs["kominfo"], due_at=_at(date(2020, 12, 21), 16), actor=analyst
    )
    coordination.meeting_record(
        meeting=Meeting(
            kind=MeetingKind.APEL,
            title="Apel siaga pengamanan Pilkada 2020",
            held_at=_at(date(2020, 12, 8), 7),
            venue="Alun-alun Kota Pasuruan",
            chaired_by="Kapolres Pasuruan Kota",
            attendee_count=420,
        ),
        actor=analyst,
        organisations=[orgs[k] for k in ("polres", "kodim", "satpolpp", "pemkot")],
    )
    for at, org, counterpart, channel, summary in [
        (
            _at(date(2020, 12, 6), 21, 15),
            "polres",
            "Ketua RW 04 Trajeng",
            ContactChannel.PHONE,
            "Minta warga tidak terpancing isu serangan fajar",
        ),
        (
            _at(date(2020, 12, 8), 10),
            "kesbangpol",
            "Koordinator relawan paslon 01 dan 02",
            ContactChannel.MEETING,
            "Mengingatkan kesepakatan urun rembug Trajeng",
        ),
        (
            _at(date(2020, 12, 10), 16, 30),
            "kesbangpol",
            "Ketua KPU Kota Pasuruan",
            ContactChannel.MESSAGE,
            "Jadwal rekapitulasi tingkat kecamatan dan pengamanannya",
        ),
        (
            _at(date(2020, 12, 12), 9),
            "fkub",
            "Takmir masjid dan pengurus gereja di Panggungrejo",
            ContactChannel.VISIT,
            "Imbauan menjaga kerukunan pasca-pemungutan suara",
        ),
    ]:
        coordination.contact_record(
            contact=ContactLog(
                at=at, organisation=orgs[org], counterpart=counterpart, channel=channel, summary=summary
            ),
            actor=analyst,
        )
    plan = [
        (
            PlanPart.PENCEGAHAN,
            "Pemetaan kelurahan rawan konflik Pilkada",
            "kesbangpol",
            "34 kelurahan terpetakan",
            [
                (date(2020, 3, 30), 30, "Instrumen dan data IKP Bawaslu"),
                (date(2020, 8, 20), 70, "Tiga kecamatan"),
                (date(2020, 11, 30), 100, "Peta dikirim ke Kemendagri"),
            ],
        ),
        (
            PlanPart.PENCEGAHAN,
            "Dialog kebangsaan dan kerukunan bersama FKUB",
            "fkub",
            "8 dialog (2 per kecamatan)",
            [
                (date(2020, 2, 15), 25, "Dialog di Gadingrejo dan Purworejo"),
                (date(2020, 10, 10), 50, "Daring karena PSBB"),
                (date(2020, 12, 12), 75, "Dialog lintas agama pasca-pemungutan suara"),
            ],
        ),
        (
            PlanPart.PENGHENTIAN,
            "Posko terpadu dan patroli gabungan masa Pilkada",
            "polres",
            "Posko aktif 26 Sep-17 Des",
            [(date(2020, 9, 26), 20, "Posko dibuka"), (date(2020, 12, 10), 90, "Patroli TPS rawan")],
        ),
        (
            PlanPart.PEMULIHAN,
            "Pendampingan warga terdampak konflik dan bansos Covid-19",
            "dinsos",
            "Semua keluarga terdampak terdata",
            [(date(2020, 7, 1), 40, "Pendataan"), (date(2020, 12, 15), 60, "Bantuan tahap 2")],
        ),
    ]
    for part, action, owner, target, updates in plan:
        item = coordination.plan_item_add(
            year=2020, part=part, action=action, owner=orgs[owner], target=target, actor=analyst
        )
        for on, progress, note in updates:
            coordination.plan_progress_record(item=item, on=on, progress=progress, note=note, actor=analyst)


def seed_response(rng: random.Random, city: Region, orgs: dict[str, Organisation], now: datetime) -> None:
    holidays_load()
    people = {u.username: u for u in User.objects.filter(username__in=["analis", "polres", "mediator", "pelapor"])}
    kelurahan = {
        r.name: r for r in Region.objects.under(city.code).filter(level=Level.DESA_KELURAHAN).select_related("parent")
    }
    forums = _forums(orgs, kelurahan)
    _blandongan(orgs, forums, people, orgs[f"kec-{kelurahan['Blandongan'].parent.code}"])  # type: ignore[union-attr]
    _trajeng(orgs, forums, people, kelurahan)
    _mayangan(orgs, people)
    _small_cases(rng, orgs, people, now)
    _coordination(orgs, people)

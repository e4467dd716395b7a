"""A seeded, realistic month around the 9 December 2020 Pilkada in Kota Pasuruan.

Only inputs are generated (organisations, people, accounts, reports, and an analyst's decisions on them);
everything else that Sigap derives is left to the features themselves: a report with a pin is placed by
the gazetteer, incidents move through the same service functions a person uses.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from sigap.accounts.models import User
from sigap.actors.choices import ActorKind
from sigap.actors.models import Actor, IncidentActor
from sigap.actors.services import actor_follow, actor_link, actor_save
from sigap.alerts.choices import AlertState
from sigap.alerts.models import Alert
from sigap.alerts.services import alert_transition
from sigap.cases.models import ResponsePlan, ResponseStep
from sigap.cases.services import case_link_alert, cases_for_alert
from sigap.core.grading import Credibility, Reliability
from sigap.core.roles import Role
from sigap.core.services import audit_record
from sigap.demo import scenario
from sigap.demo.response import seed_response, thread_incident
from sigap.demo.views import DEMO_WEBHOOK_NAME
from sigap.directory.choices import OrganisationKind, PersonRole, SubTeam, TeamPosition
from sigap.directory.models import Organisation, Person, TeamDecree, TeamMembership
from sigap.intake.choices import Channel, PeaceSign, WarningSign
from sigap.intake.field_checks import field_check_answer
from sigap.intake.models import Report
from sigap.intake.resolution import resolution_answer_give
from sigap.intake.services import (
    ReportDraft,
    monitor_check_send,
    monitor_hooks_paused,
    nil_report_send,
    report_receive,
)
from sigap.notify.choices import ChannelKind
from sigap.notify.duty import handover_record, shifts_add, spans_of
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import RoutingRule
from sigap.public.services import clarification_publish
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaIndicator, ElectionPhase, HistoricalCount, LevelFloor
from sigap.risk.services import risk_recompute
from sigap.triage.choices import Category, IncidentStatus
from sigap.triage.field_checks import field_check_ask, field_checkers
from sigap.triage.models import Incident
from sigap.triage.resolution import resolution_uphold
from sigap.triage.services import (
    incident_claim,
    incident_follow_up,
    incident_hooks_paused,
    incident_transition,
    incident_update_facts,
    incident_verify,
)

WIB = ZoneInfo("Asia/Jakarta")
CITY = "35.75"
# The moment the demo pretends it is: the end of the month it covers.
DEMO_NOW = datetime.combine(scenario.END, time(17, 0), tzinfo=WIB)
# Where `make run`'s story clock starts: the next morning, when the team finds the night's reports in the queue.
STORY_CLOCK_START = datetime.combine(scenario.END + timedelta(days=1), time(7, 30), tzinfo=WIB)


@dataclass
class Persona:
    username: str
    role: Role
    name: str
    password: str
    title: str


@dataclass
class SeedResult:
    personas: list[Persona] = field(default_factory=list)
    reports: int = 0
    incidents: int = 0
    created: bool = True


DEMO_REPORTER_PHONE = "+6281230002020"


def demo_present() -> bool:
    return User.objects.filter(username="analis").exists()


def _orgs(city: Region, kecamatan: list[Region]) -> dict[str, Organisation]:
    def org(key: str, name: str, short: str, kind: OrganisationKind, areas: list[Region]) -> None:
        o, _ = Organisation.objects.get_or_create(name=name, defaults={"short_name": short, "kind": kind})
        o.areas.set(areas)
        made[key] = o

    made: dict[str, Organisation] = {}
    org("pemkot", "Pemerintah Kota Pasuruan", "Pemkot", OrganisationKind.PEMDA, [city])
    org(
        "kesbangpol",
        "Badan Kesatuan Bangsa dan Politik Kota Pasuruan",
        "Bakesbangpol",
        OrganisationKind.KESBANGPOL,
        [city],
    )
    org("polres", "Polres Pasuruan Kota", "Polres", OrganisationKind.POLRI, [city])
    org("kodim", "Kodim 0819/Pasuruan", "Kodim 0819", OrganisationKind.TNI, [city])
    org("kejari", "Kejaksaan Negeri Kota Pasuruan", "Kejari", OrganisationKind.KEJAKSAAN, [city])
    org("dprd", "DPRD Kota Pasuruan", "DPRD", OrganisationKind.DPRD, [city])
    org("satpolpp", "Satuan Polisi Pamong Praja Kota Pasuruan", "Satpol PP", OrganisationKind.OPD, [city])
    org("dinsos", "Dinas Sosial Kota Pasuruan", "Dinsos", OrganisationKind.OPD, [city])
    org(
        "kominfo",
        "Dinas Komunikasi dan Informatika Kota Pasuruan",
        "Diskominfo",
        OrganisationKind.OPD,
        [city],
    )
    org("kpu", "KPU Kota Pasuruan", "KPU", OrganisationKind.PENYELENGGARA_PEMILU, [city])
    org("bawaslu", "Bawaslu Kota Pasuruan", "Bawaslu", OrganisationKind.PENYELENGGARA_PEMILU, [city])
    org("fkub", "Forum Kerukunan Umat Beragama Kota Pasuruan", "FKUB", OrganisationKind.FKUB, [city])
    org("fkdm", "Forum Kewaspadaan Dini Masyarakat Kota Pasuruan", "FKDM", OrganisationKind.FKDM, [city])
    for kec in kecamatan:
        org(f"kec-{kec.code}", f"Kecamatan {kec.name}", f"Kec. {kec.name}", OrganisationKind.KECAMATAN, [kec])
        org(f"polsek-{kec.code}", f"Polsek {kec.name}", f"Polsek {kec.name}", OrganisationKind.POLRI, [kec])
    return made


def _response_plans(orgs: dict[str, Organisation]) -> None:
    """The steps the Tim Terpadu agreed at its first rakor for the kinds of trouble the Pilkada brings: offered when a
    case is opened, they become its tasks (the Polsek and the kecamatan office of the place where it happens)."""
    basis = "Rakor Tim Terpadu, 2 November 2020 (contoh demo)"
    plans: list[tuple[str, int, list[str], list[tuple[str, Organisation | str, int, bool]]]] = [
        (
            "Bentrok antarpendukung",
            2,
            ["bentrok_pendukung", "main_hakim_sendiri"],
            [
                ("Patroli dialogis dan pengamanan lokasi", OrganisationKind.POLRI, 2, True),
                ("Kumpulkan tokoh, ketua RW dan kedua tim pemenangan", OrganisationKind.KECAMATAN, 24, False),
                ("Imbauan bersama tokoh agama", orgs["fkub"], 24, False),
                ("Klarifikasi kepada tim kampanye kedua paslon", orgs["bawaslu"], 48, False),
                ("Rakor Tim Terpadu membahas penanganan", orgs["kesbangpol"], 48, False),
            ],
        ),
        (
            "Hoaks dan ujaran kebencian",
            1,
            ["hoaks_ujaran_kebencian", "kampanye_hitam_sara", "rumor"],
            [
                ("Klarifikasi publik di kanal resmi Pemkot", orgs["kominfo"], 6, True),
                ("Telusuri akun penyebar", orgs["polres"], 24, False),
                ("Imbauan tokoh agama agar tidak ikut menyebarkan", orgs["fkub"], 24, False),
            ],
        ),
        (
            "Sengketa lahan dan batas",
            1,
            ["sumber_daya", "batas_wilayah"],
            [
                ("Musyawarah para pihak di kecamatan", OrganisationKind.KECAMATAN, 72, True),
                ("Siapkan data kepemilikan dan batas", orgs["pemkot"], 120, False),
                ("Pengamanan musyawarah bila perlu", OrganisationKind.POLRI, 72, False),
            ],
        ),
        (
            "Keadaan Awas",
            3,
            [],
            [
                ("Rakor darurat Tim Terpadu", orgs["kesbangpol"], 4, True),
                ("Siagakan personel", orgs["polres"], 2, False),
                ("Bantuan pengamanan", orgs["kodim"], 6, False),
                ("Informasi resmi kepada warga", orgs["kominfo"], 12, False),
            ],
        ),
    ]
    for name, level, categories, steps in plans:
        plan = ResponsePlan.objects.create(name=name, min_level=level, categories=categories, basis=basis)
        for position, (action, owner, hours, leads) in enumerate(steps, start=1):
            ResponseStep.objects.create(
                plan=plan,
                position=position,
                action=action,
                organisation=owner if isinstance(owner, Organisation) else None,
                organisation_kind="" if isinstance(owner, Organisation) else owner,
                due_hours=hours,
                leads=leads,
            )


def _name(rng: random.Random) -> str:
    return f"{rng.choice(scenario.GIVEN_NAMES)} {rng.choice(scenario.FAMILY_NAMES)}"


def _people(rng: random.Random, kelurahan: list[Region], orgs: dict[str, Organisation]) -> None:
    for kel in kelurahan:
        polsek = orgs[f"polsek-{kel.parent.code}"]  # type: ignore[union-attr]
        Person.objects.create(
            name=f"Aipda {_name(rng)}",
            role=PersonRole.BHABINKAMTIBMAS,
            title=f"Bhabinkamtibmas {kel.name}",
            organisation=polsek,
            region=kel,
            phone=f"0812{rng.randrange(10**7, 10**8)}",
        )
        Person.objects.create(
            name=f"Serda {_name(rng)}",
            role=PersonRole.BABINSA,
            title=f"Babinsa {kel.name}",
            organisation=orgs["kodim"],
            region=kel,
            phone=f"0813{rng.randrange(10**7, 10**8)}",
        )
        role = rng.choice([PersonRole.TOKOH_AGAMA, PersonRole.TOKOH_MASYARAKAT, PersonRole.KETUA_RT_RW])
        Person.objects.create(
            name=_name(rng),
            role=role,
            title=f"{role.label} {kel.name}",
            region=kel,
            phone=f"0857{rng.randrange(10**7, 10**8)}",
        )


def _team(city: Region, orgs: dict[str, Organisation]) -> None:
    decree = TeamDecree.objects.create(
        region=city,
        number="188/DEMO/423.011/2020",
        year=2020,
        issued_on=date(2020, 11, 20),
        title="Tim Terpadu Penanganan Konflik Sosial Kota Pasuruan Tahun 2020 (contoh demo)",
    )
    seats = [
        ("pemkot", "Wali Kota Pasuruan", SubTeam.PENGARAH, TeamPosition.KETUA),
        ("polres", "Kapolres Pasuruan Kota", SubTeam.PENGARAH, TeamPosition.WAKIL_KETUA),
        ("kodim", "Dandim 0819/Pasuruan", SubTeam.PENGARAH, TeamPosition.WAKIL_KETUA),
        ("kejari", "Kepala Kejaksaan Negeri", SubTeam.PENGARAH, TeamPosition.ANGGOTA),
        ("dprd", "Ketua DPRD", SubTeam.PENGARAH, TeamPosition.ANGGOTA),
        ("kesbangpol", "Kepala Bakesbangpol", SubTeam.SEKRETARIAT, TeamPosition.SEKRETARIS),
        ("kesbangpol", "Kabid Kewaspadaan Nasional", SubTeam.PENCEGAHAN, TeamPosition.KOORDINATOR),
        ("fkdm", "Ketua FKDM", SubTeam.PENCEGAHAN, TeamPosition.ANGGOTA),
        ("polres", "Kasat Samapta Polres", SubTeam.PENGHENTIAN, TeamPosition.KOORDINATOR),
        ("satpolpp", "Kepala Satpol PP", SubTeam.PENGHENTIAN, TeamPosition.ANGGOTA),
        ("dinsos", "Kepala Dinas Sosial", SubTeam.PEMULIHAN, TeamPosition.KOORDINATOR),
        ("fkub", "Ketua FKUB", SubTeam.PEMULIHAN, TeamPosition.ANGGOTA),
    ]
    for key, seat, sub_team, position in seats:
        TeamMembership.objects.create(
            decree=decree, organisation=orgs[key], seat_title=seat, sub_team=sub_team, position=position
        )
    for org in orgs.values():
        if org.kind == OrganisationKind.KECAMATAN:
            TeamMembership.objects.create(
                decree=decree,
                organisation=org,
                seat_title=f"Camat {org.name[10:]}",
                sub_team=SubTeam.PENCEGAHAN,
            )


def _user(
    username: str,
    role: Role,
    name: str,
    title: str,
    *,
    organisation: Organisation | None = None,
    area: Region | None = None,
) -> Persona:
    password = secrets.token_urlsafe(9)
    first, _, last = name.partition(" ")
    user = User(
        username=username,
        role=role,
        first_name=first,
        last_name=last,
        email=f"{username}@example.go.id",  # "forgot your password?" links land in the demo's mailbox
        title=title,
        organisation=organisation,
        area=area,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    return Persona(username, role, name, password, title)


def _personas(rng: random.Random, orgs: dict[str, Organisation], kelurahan: dict[str, Region]) -> list[Persona]:
    return [
        _user("admin", Role.ADMIN, "Admin Sigap", "Administrator sistem", organisation=orgs["kesbangpol"]),
        _user("analis", Role.ANALYST, _name(rng), "Analis Bakesbangpol", organisation=orgs["kesbangpol"]),
        _user(
            "polres",
            Role.RESPONDER,
            _name(rng),
            "Kasat Intelkam Polres Pasuruan Kota",
            organisation=orgs["polres"],
        ),
        _user("mediator", Role.MEDIATOR, _name(rng), "Ketua FKUB", organisation=orgs["fkub"]),
        _user(
            "pimpinan",
            Role.LEADERSHIP,
            "Pjs. Wali Kota",
            "Pjs. Wali Kota Pasuruan",
            organisation=orgs["pemkot"],
        ),
        _user(
            "pelapor",
            Role.TRUSTED_REPORTER,
            _name(rng),
            "Bhabinkamtibmas Bugul Lor",
            organisation=orgs[f"polsek-{kelurahan['Bugul Lor'].parent.code}"],  # type: ignore[union-attr]
            area=kelurahan["Bugul Lor"],
        ),
    ]


def _trusted_reporters(rng: random.Random, kelurahan: list[Region]) -> list[User]:
    """One extra trusted reporter (a tokoh) in every fourth kelurahan, so trusted reports come from many people."""
    users = []
    for i, kel in enumerate(kelurahan[::4]):
        _user(f"tokoh{i + 1:02d}", Role.TRUSTED_REPORTER, _name(rng), f"Tokoh masyarakat {kel.name}", area=kel)
        users.append(User.objects.get(username=f"tokoh{i + 1:02d}"))
    return users


def _nil_reports(rng: random.Random, reporters: list[User]) -> None:
    """Trusted reporters say "nothing to report" on quiet days, some most days, some rarely, one never: the reporter
    network then tells quiet kelurahan from unwatched ones."""
    for reporter in reporters:
        if reporter.area_id is None:
            continue
        diligence = rng.choice([0.0, 0.2, 0.5, 0.8])
        busy = set(
            Report.objects.filter(region_id=reporter.area_id).values_list("received_at__date", flat=True).distinct()
        )
        day = scenario.START
        while day <= scenario.END:
            if day not in busy and rng.random() < diligence:
                nil_report_send(user=reporter, at=datetime.combine(day, time(rng.randint(17, 21), 0), tzinfo=WIB))
            day += timedelta(days=1)


# What a monitor would have seen in the days before incidents of each category.
SIGNS_BEFORE: dict[str, tuple[str, ...]] = {
    Category.BENTROK_PENDUKUNG: (WarningSign.MOBILISATION, WarningSign.TENSION, WarningSign.OUTSIDERS),
    Category.POLITIK_UANG: (WarningSign.MONEY_POLITICS,),
    Category.KAMPANYE_HITAM_SARA: (WarningSign.PROVOCATION, WarningSign.TENSION),
    Category.HOAKS_UJARAN_KEBENCIAN: (WarningSign.PROVOCATION,),
    Category.SENGKETA_HASIL: (WarningSign.MOBILISATION, WarningSign.INTIMIDATION),
    Category.IDENTITAS: (WarningSign.PROVOCATION, WarningSign.TENSION),
    Category.SUMBER_DAYA: (WarningSign.LAND_RESOURCES,),
    Category.BATAS_WILAYAH: (WarningSign.LAND_RESOURCES, WarningSign.TENSION),
    Category.TATA_KELOLA: (WarningSign.HARDSHIP,),
    Category.MAIN_HAKIM_SENDIRI: (WarningSign.WEAPONS, WarningSign.TENSION),
}


def _checklists(rng: random.Random, reporters: list[User]) -> None:
    """Trusted reporters send the area checklist about once a week: the signs of what their kelurahan's reports of
    the following days were about (a monitor sees the crowd before the clash), now and then a sign that came to
    nothing, and what holds the area together."""
    for reporter in reporters:
        if reporter.area_id is None or (reporter.username != "pelapor" and rng.random() < 0.25):  # some never do
            continue
        day = scenario.START + timedelta(days=rng.randint(0, 6))
        while day <= scenario.END:
            ahead = Incident.objects.filter(
                region_id=reporter.area_id,
                occurred_at__date__gt=day,
                occurred_at__date__lte=day + timedelta(days=7),
            ).values_list("category", flat=True)
            signs = {sign for category in ahead if rng.random() < 0.6 for sign in SIGNS_BEFORE.get(category, ())[:2]}
            if rng.random() < 0.1:
                signs.add(rng.choice(list(WarningSign.values)))
            peace = rng.sample(list(PeaceSign.values), k=rng.randint(0 if signs else 1, 2))
            at = datetime.combine(day, time(rng.randint(7, 20), 0), tzinfo=WIB)
            if at <= DEMO_NOW:
                monitor_check_send(user=reporter, signs=sorted(signs), peace=peace, at=at)
            day += timedelta(days=rng.randint(6, 8))


def _checklists_by_sms(rng: random.Random, reporters: list[User]) -> None:
    """The tokoh or RT/RW head of the persona's kelurahan, in the directory without an account, texts PANTAU every
    week or so from the phone the administrator registered: their checklist stands beside the Bhabinkamtibmas'."""
    pelapor = next(r for r in reporters if r.username == "pelapor")
    person = Person.objects.filter(
        region=pelapor.area,
        role__in=[PersonRole.TOKOH_AGAMA, PersonRole.TOKOH_MASYARAKAT, PersonRole.KETUA_RT_RW],
    ).first()
    if person is None:
        return
    day = scenario.START + timedelta(days=rng.randint(0, 6))
    while day <= scenario.END:
        ahead = Incident.objects.filter(
            region=person.region, occurred_at__date__gt=day, occurred_at__date__lte=day + timedelta(days=7)
        ).values_list("category", flat=True)
        signs = {sign for category in ahead if rng.random() < 0.5 for sign in SIGNS_BEFORE.get(category, ())[:1]}
        peace = rng.sample(list(PeaceSign.values), k=rng.randint(1, 2))
        at = datetime.combine(day, time(rng.randint(17, 21), rng.choice([5, 20, 40])), tzinfo=WIB)
        if at <= DEMO_NOW:
            monitor_check_send(person=person, signs=sorted(signs), peace=peace, at=at, via="sms")
        day += timedelta(days=rng.randint(6, 9))


def _point_in(region: Region, rng: random.Random) -> tuple[float, float]:
    geom = shape(region.boundary)
    min_lng, min_lat, max_lng, max_lat = geom.bounds
    while True:
        lng, lat = rng.uniform(min_lng, max_lng), rng.uniform(min_lat, max_lat)
        if geom.contains(Point(lng, lat)):
            return round(lat, 6), round(lng, 6)


def _text(rng: random.Random, category: Category, kel: Region) -> str:
    paslon = rng.choice(["01", "02"])
    return rng.choice(scenario.TEMPLATES[category]).format(
        kel=kel.name,
        rw=f"{rng.randint(1, 12):02d}",
        n=rng.choice([5, 10, 15, 20, 30, 50, 80]),
        paslon=paslon,
        lawan="02" if paslon == "01" else "01",
        tempat=rng.choice(scenario.PLACES),
    )


def _moment(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(rng.randint(6, 23), rng.randint(0, 59)), tzinfo=WIB)


@dataclass
class _Submitted:
    report: Report
    category: Category
    truth_hoax: bool
    thread: scenario.Thread | None = None


def _submit(
    rng: random.Random,
    day: date,
    category: Category,
    kel: Region,
    reporters: list[User],
    thread: scenario.Thread | None = None,
) -> _Submitted:
    occurred = _moment(rng, day)
    received = occurred + timedelta(minutes=rng.randint(5, 300))
    text = _text(rng, category, kel)
    channel = rng.choices([Channel.WEB, Channel.TRUSTED, Channel.SMS, Channel.API], [5, 3, 2, 1])[0]
    region: Region | None = kel
    lat = lng = None
    submitted_by = None
    name = contact = ""
    if channel == Channel.SMS or (channel == Channel.WEB and rng.random() < 0.3):
        name, contact = _name(rng), f"08{rng.randrange(10**9, 10**10)}"  # sealed at rest by report_receive
    if channel == Channel.TRUSTED:
        nearby = [u for u in reporters if u.area and u.area.parent_id == kel.parent_id] or reporters
        submitted_by = rng.choice(nearby)
    elif rng.random() < 0.6:  # a pin on the map: the gazetteer places it
        region = None
        lat, lng = _point_in(kel, rng)
    report = report_receive(
        ReportDraft(
            channel=channel,
            description=text,
            occurred_at=occurred,
            received_at=received,
            region=region,
            latitude=lat,
            longitude=lng,
            submitted_by=submitted_by,
            location_text=f"Kel. {kel.name}" if region and not submitted_by else "",
            reporter_name=name,
            reporter_contact=contact,
            anonymous=not contact,
        )
    )[0]
    truth_hoax = category in (Category.RUMOR, Category.HOAKS_UJARAN_KEBENCIAN) and rng.random() < 0.35
    return _Submitted(report, category, truth_hoax, thread)


def _reports(
    rng: random.Random, kelurahan: list[Region], weights: list[float], reporters: list[User]
) -> list[_Submitted]:
    submitted: list[_Submitted] = []
    by_name = {k.name: k for k in kelurahan}
    day = scenario.START
    while day <= scenario.END:
        phase = scenario.election_phase(day)
        mix = scenario.PHASE_WEIGHTS[phase]
        count = _poisson(rng, scenario.PHASE_RATE[phase])
        for _ in range(count):
            category = rng.choices(list(mix), list(mix.values()))[0]
            kel = rng.choices(kelurahan, weights)[0]
            submitted.append(_submit(rng, day, category, kel, reporters))
        for thread in scenario.THREADS:
            offset = (day - thread.start).days
            if 0 <= offset < thread.days:  # escalation: more reports each day the thread runs
                for _ in range(1 + offset // 2):
                    submitted.append(_submit(rng, day, thread.category, by_name[thread.kelurahan], reporters, thread))
        day += timedelta(days=1)
    return submitted


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method; the means here are small.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _decide_like_an_analyst(rng: random.Random, analyst: User, items: list[_Submitted]) -> None:
    """Triage (placing, merging) was done by Sigap as each report arrived; the analyst now decides on the
    incidents whose first report came before the last day, and marks problems resolved as they end."""
    by_report = {item.report.pk: item for item in items}
    cutoff = DEMO_NOW - timedelta(hours=20)
    incidents = Incident.objects.filter(status=IncidentStatus.NEW).prefetch_related("reports").order_by("created_at")
    for incident in incidents:
        reports = sorted(incident.reports.all(), key=lambda r: r.received_at)
        if not reports or reports[0].received_at > cutoff:
            continue
        known = [by_report[r.pk] for r in reports if r.pk in by_report]
        decided = reports[0].received_at + timedelta(hours=rng.uniform(1, 30))
        if decided > DEMO_NOW:
            continue
        if known and all(item.truth_hoax for item in known):
            incident_verify(
                incident=incident,
                decision=IncidentStatus.HOAX,
                actor=analyst,
                at=decided,
                reliability=Reliability.F,
                credibility=Credibility.IMPROBABLE,
                note="Dicek ke Bhabinkamtibmas dan Diskominfo: tidak benar.",
            )
            continue
        incident_verify(
            incident=incident,
            decision=IncidentStatus.VERIFIED,
            actor=analyst,
            at=decided,
            reliability=Reliability(reports[0].source_reliability) if len(reports) == 1 else Reliability.B,
            credibility=Credibility.CONFIRMED if len(reports) > 1 else Credibility.PROBABLY_TRUE,
            corroboration="Dikonfirmasi petugas di lapangan.",
        )
        thread = next((item.thread for item in known if item.thread), None)
        _maybe_resolve(rng, analyst, incident, decided, thread)


def _maybe_resolve(
    rng: random.Random, analyst: User, incident: Incident, verified: datetime, thread: scenario.Thread | None
) -> None:
    if thread is not None:
        return  # the threads are resolved through their cases (sigap.demo.response)
    resolved = verified + timedelta(days=rng.expovariate(1 / 4))
    if resolved <= DEMO_NOW:
        incident_transition(
            incident=incident,
            to=IncidentStatus.RESOLVED,
            actor=analyst,
            at=resolved,
            note="Selesai melalui musyawarah dan pendampingan petugas.",
        )


def _clarifications(analyst: User) -> None:
    """The analyst tells the public about the latest rumours found untrue, one of each kind, three hours after the
    decision (no random draw: the rest of the story stays as it was)."""
    told: set[str] = set()
    hoaxes = Incident.objects.filter(status=IncidentStatus.HOAX).select_related("region").order_by("-closed_at")
    for incident in hoaxes:
        first = incident.reports.order_by("received_at").first()
        at = (incident.closed_at or DEMO_NOW) + timedelta(hours=3)
        if first is None or incident.region is None or at > DEMO_NOW:
            continue
        for phrase, claim, finding in scenario.CLARIFICATIONS:
            if phrase in first.description and phrase not in told:
                told.add(phrase)
                kel = incident.region.name
                clarification_publish(
                    incident=incident,
                    actor=analyst,
                    claim=claim.format(kel=kel),
                    finding=finding.format(kel=kel),
                    at=at,
                )


def _checking(analyst: User) -> None:
    """The analyst has taken the most urgent incident in the queue half an hour ago (the queue shows who checks it)."""
    top = Incident.objects.filter(status=IncidentStatus.NEW).order_by("-urgency", "verification_due_at", "pk").first()
    if top is not None:
        incident_claim(incident=top, actor=analyst, at=DEMO_NOW - timedelta(minutes=30))


def _field_checks(analyst: User) -> None:
    """Before deciding on a report waiting in the queue, the analyst asked its kelurahan's trusted reporter and the
    ketua RW of the directory to look on the ground: the reporter answered on Sigap, the ketua RW by SMS."""
    waiting = Incident.objects.filter(status=IncidentStatus.NEW).order_by("-urgency", "pk")
    for incident in waiting:
        checkers = field_checkers(incident)
        if checkers.reporters and checkers.persons:
            break
    else:
        return
    asked = field_check_ask(
        incident=incident,
        question="Mohon dicek: apakah masih ada orang berkumpul di lokasi, dan berapa kira-kira?",
        reporters=checkers.reporters[:1],
        persons=checkers.persons[:1],
        hours=6,
        actor=analyst,
        at=DEMO_NOW - timedelta(hours=3),
    )
    answers = [
        ("true", "Sekitar 20 orang di depan balai RW. Sudah bubar pukul 15.00 setelah ditemui Pak RW.", "web"),
        ("unsure", "Saya belum di lokasi, nanti sore saya lihat.", "sms"),
    ]
    for offset, (check, (answer, note, via)) in enumerate(zip(asked, answers, strict=True)):
        at = DEMO_NOW - timedelta(hours=2 - offset)
        field_check_answer(check=check, answer=answer, note=note, via=via, actor=check.reporter, at=at)


RESOLUTION_ANSWERS = [  # (settled, the reporter's words, the analyst's answer keeping it resolved), latest first
    (False, "Kedua kelompok masih saling sindir di grup WhatsApp RT dan warga masih resah.", ""),
    (True, "Sudah aman, terima kasih.", ""),
    (
        False,
        "Malam-malam masih ada orang berkumpul di pos ronda dan warga resah.",
        "Terima kasih. Kumpul di pos ronda itu ronda warga yang dijadwalkan RW; Bhabinkamtibmas tetap memantau. "
        "Bila ada ajakan atau ancaman, laporkan segera.",
    ),
    (True, "", ""),
    (True, "Sudah kondusif.", ""),
]


def _resolution_answers(analyst: User) -> None:
    """Reporters of the latest resolved incidents said on their receipt pages whether the problem was really
    settled, a day after: most yes; one "not yet" that the analyst answered, keeping it resolved, and one waiting
    on the analyst's home."""
    resolved = Incident.objects.filter(
        status=IncidentStatus.RESOLVED, closed_at__gte=DEMO_NOW - timedelta(days=12), closed_at__lte=DEMO_NOW
    ).order_by("-closed_at", "-pk")
    answers = iter(RESOLUTION_ANSWERS)
    for incident in resolved:
        report = incident.reports.exclude(reporter_contact_sealed="").order_by("received_at", "pk").first()
        if report is None or incident.closed_at is None:
            continue
        at = min(incident.closed_at + timedelta(hours=20), DEMO_NOW - timedelta(hours=1))
        if at <= incident.closed_at:
            continue
        settled, words, kept_because = next(answers, (None, "", ""))
        if settled is None:
            return
        answer = resolution_answer_give(report=report, settled=settled, note=words, at=at)
        if kept_because:
            resolution_uphold(answer=answer, actor=analyst, message=kept_because, at=at + timedelta(minutes=45))


def _analyst_judgement(analyst: User) -> None:
    """On the first day of the masa tenang the analyst set Mayangan at Siaga until the day after the vote, on
    information the incidents did not show yet (the peta kerawanan and the alerts of those days follow it)."""
    mayangan = Region.objects.under(CITY).get(name="Mayangan", level=Level.DESA_KELURAHAN)
    set_on = date(2020, 12, 6)
    floor = LevelFloor.objects.create(
        region=mayangan,
        level=RiskLevel.SIAGA,
        starts_on=set_on,
        ends_on=scenario.VOTING_DAY + timedelta(days=1),
        reason="Informasi Kominda: saksi dan pendukung paslon berencana mengawal penghitungan di TPS Mayangan; "
        "jaga Siaga sampai sehari setelah pemungutan suara (contoh untuk demo).",
        set_by=analyst,
    )
    LevelFloor.objects.filter(pk=floor.pk).update(set_at=datetime.combine(set_on, time(16), tzinfo=WIB))
    audit_record(
        actor=analyst,
        action="risk.level_set",
        target=floor,
        details={
            "region": mayangan.code,
            "level": floor.level,
            "until": floor.ends_on.isoformat(),
            "reason": floor.reason,
        },
    )


def _groups(analyst: User) -> None:
    """On the month's last afternoon the analyst registered the groups of the month: both candidates' camps,
    which Sigap finds in many reports by their other names (the mediator follows both), and the two sides of the
    Blandongan land dispute, whose reports say only "warga" and "pengembang", linked by hand to its incident."""
    at = DEMO_NOW - timedelta(hours=2)
    for number in ("01", "02"):
        camp = Actor(
            name=f"Pendukung paslon {number}",
            kind=ActorKind.CANDIDATE_CAMP,
            aliases=f"paslon {number}\nrelawan {number}\nsaksi paslon {number}",
            note=f"Koordinator relawan paslon {number} hadir di urun rembug Trajeng (contoh untuk demo).",
        )
        actor_save(actor=camp, by=analyst, at=at)
        # FKUB's mediator, who ran the urun rembug between the camps in Trajeng, follows both.
        actor_follow(actor=camp, user=User.objects.get(username="mediator"), follow=True)
    blandongan = Region.objects.under(CITY).get(name="Blandongan", level=Level.DESA_KELURAHAN)
    sides = [
        Actor(name="Warga RW 03 Blandongan", kind=ActorKind.RESIDENTS, region=blandongan),
        Actor(name="PT Griya Pasuruan Asri", kind=ActorKind.BUSINESS, aliases="Griya Pasuruan Asri"),
    ]
    dispute = thread_incident(scenario.THREADS[1])
    for side in sides:
        actor_save(actor=side, by=analyst, at=at)
        named = IncidentActor.objects.current().filter(incident=dispute, actor=side).exists()
        if dispute is not None and not named:  # another seed's reports may name the RW themselves
            actor_link(incident=dispute, actor=side, by=analyst, note="pihak dalam sengketa lahan", at=at)


def _looking_again(analyst: User) -> None:
    """Two days before the story's morning the analyst chose that morning to look again at a verified incident that
    no case handles (a black campaign, which Bawaslu has, if there is one): the demo opens with its reminder."""
    unhandled = Incident.objects.filter(status=IncidentStatus.VERIFIED, cases=None)
    quiet = (
        unhandled.filter(category=Category.KAMPANYE_HITAM_SARA).order_by("pk").first()
        or unhandled.order_by("urgency", "pk").first()
    )
    if quiet is not None:
        incident_follow_up(
            incident=quiet,
            actor=analyst,
            on=timezone.localdate(DEMO_NOW) + timedelta(days=1),
            note="Tanyakan ke Bawaslu dan lurah apakah laporan ini sudah ditindaklanjuti.",
            at=DEMO_NOW - timedelta(days=1),
        )


def _calendar(city: Region) -> None:
    """Pilkada 2020 (and the two elections before it, for the baseline); high-risk phases are the engine's window."""
    phases = [
        ("Pilgub Jawa Timur 2018", "pemungutan", date(2018, 6, 13), date(2018, 7, 4), True),
        ("Pemilu 2019", "pemungutan", date(2019, 4, 3), date(2019, 4, 24), True),
        ("Pilkada Kota Pasuruan 2020", "kampanye", date(2020, 9, 26), date(2020, 12, 5), False),
        ("Pilkada Kota Pasuruan 2020", "masa_tenang", date(2020, 12, 6), date(2020, 12, 8), True),
        ("Pilkada Kota Pasuruan 2020", "pemungutan", scenario.VOTING_DAY, scenario.VOTING_DAY, True),
        ("Pilkada Kota Pasuruan 2020", "rekapitulasi", date(2020, 12, 10), date(2020, 12, 17), True),
        ("Pilkada Kota Pasuruan 2020", "sengketa", date(2020, 12, 18), date(2020, 12, 31), False),
    ]
    for election, kind, starts, ends, high in phases:
        ElectionPhase.objects.create(
            region=city, election=election, kind=kind, starts_on=starts, ends_on=ends, high_risk=high
        )


def _indicators(rng: random.Random, kelurahan: list[Region], analyst: User) -> None:
    """Illustrative standing vulnerability (not Bawaslu's or Polri's real figures): TPS and IKP-style levels."""
    for kel in kelurahan:
        tps = 8 + rng.randrange(10)
        rawan = rng.choice([0, 0, 1, 2, 3])
        sangat = 1 if rng.random() < 0.15 else 0
        AreaIndicator.objects.create(
            region=kel,
            conflict_history=rng.choice([0, 0, 1, 1, 2, 3]) if kel.name != "Trajeng" else 2,
            election_vulnerability=rng.choice([1, 1, 2, 2, 3]),
            tps_aman=tps - rawan - sangat,
            tps_rawan=rawan,
            tps_sangat_rawan=sangat,
            sensitive_sites=rng.choice([0, 0, 1, 2]),
            notes="Contoh untuk demo, bukan data resmi.",
            updated_by=analyst,
        )


def _history(seed: int, kelurahan: list[Region], weights: list[float]) -> None:
    """Three years of synthetic daily counts before the demo month (the 'SNPK and police logs' a city would
    import), about three incidents a day citywide, doubled around the 2018 and 2019 elections."""
    np_rng = np.random.default_rng(seed)
    first = scenario.START - timedelta(days=3 * 364)
    days = [first + timedelta(days=n) for n in range(3 * 364)]
    share = np.array(weights) / sum(weights)
    weekday = np.array([1.2, 1.1, 1.0, 1.0, 1.0, 0.8, 0.9])
    windows = [(date(2018, 6, 13), date(2018, 7, 4)), (date(2019, 4, 3), date(2019, 4, 24))]
    rows = []
    for day in days:
        boost = 2.0 if any(lo <= day <= hi for lo, hi in windows) else 1.0
        counts = np_rng.poisson(3.0 * share * weekday[day.weekday()] / weekday.mean() * boost)
        for kel, n in zip(kelurahan, counts, strict=True):
            if n:
                severity = np_rng.choice([1.0, 3.0, 10.0], size=int(n), p=[0.8, 0.15, 0.05])
                rows.append(
                    HistoricalCount(
                        region=kel, day=day, count=int(n), weighted=float(severity.sum()), source="demo-sintetis"
                    )
                )
    HistoricalCount.objects.bulk_create(rows, batch_size=2000)


def _escalate_threads(analyst: User) -> None:
    """The analyst records what officers on site report about the Trajeng clashes: a growing crowd, injuries."""
    thread = scenario.THREADS[0]
    incident = (
        Incident.objects.filter(region__name=thread.kelurahan, category=thread.category, status=IncidentStatus.VERIFIED)
        .order_by("-occurred_at")
        .first()
    )
    if incident is not None:
        incident_update_facts(
            incident=incident,
            actor=analyst,
            reason="Laporan Kapolsek Bugulkidul: massa bertambah, dua warga luka, satu warung rusak.",
            at=(incident.verified_at or DEMO_NOW) + timedelta(hours=1),
            people_estimate=150,
            injured=2,
            buildings_damaged=1,
            crowd_growing=True,
        )


def _alerts_lifecycle(rng: random.Random) -> None:
    """People answer the alerts the month raised: acknowledge, assess, respond, and close what Sigap proposed to
    close. The latest alerts are still on their way (just triggered, acknowledged, assessed)."""
    analyst = User.objects.get(username="analis")
    responder = User.objects.get(username="polres")
    alerts = list(Alert.objects.filter(merged_into=None).order_by("triggered_at"))
    steps_left = {alert.pk: 3 for alert in alerts}
    for depth, alert in enumerate(reversed(alerts[-3:])):
        steps_left[alert.pk] = depth  # the newest: 0 steps taken, then 1, then 2
    for alert in alerts:
        allowed = steps_left[alert.pk]
        at = alert.triggered_at + timedelta(hours=rng.uniform(0.3, 4))
        if allowed < 1 or at > DEMO_NOW:
            continue
        responder_sees = Alert.objects.visible_to(responder).filter(pk=alert.pk).exists()
        alert_transition(
            alert=alert,
            to=AlertState.ACKNOWLEDGED,
            actor=responder if responder_sees else analyst,
            note="Diterima, petugas dikabari.",
            at=at,
        )
        at += timedelta(hours=rng.uniform(2, 12))
        if allowed < 2 or at > DEMO_NOW:
            continue
        alert_transition(
            alert=alert, to=AlertState.ASSESSED, actor=analyst, at=at, note="Dicek ke Bhabinkamtibmas dan Babinsa."
        )
        if allowed < 3:
            continue
        if alert.level >= RiskLevel.SIAGA:
            at += timedelta(hours=rng.uniform(1, 6))
            # Where a case is already at work (Polres's in Trajeng), the analyst lets it answer the alert.
            at_work = [case for case in cases_for_alert(alert) if case.opened_at <= at]
            if at_work:
                case_link_alert(case=at_work[0], alert=alert, actor=analyst, at=at)
            else:
                alert_transition(
                    alert=alert,
                    to=AlertState.RESPONDING,
                    actor=analyst,
                    at=at,
                    note="Tim gabungan turun ke lokasi; tokoh masyarakat dilibatkan.",
                )
        alert.refresh_from_db()
        if alert.close_proposed_at is not None and alert.close_proposed_at + timedelta(hours=2) <= DEMO_NOW:
            alert_transition(
                alert=alert,
                to=AlertState.CLOSED,
                actor=analyst,
                at=max(at, alert.close_proposed_at) + timedelta(hours=2),
                note="Situasi kondusif; dipantau lewat laporan rutin.",
            )


# The hand-overs the demo's desk wrote, one per shift in turn up to the morning the story is served (a piket book).
HANDOVERS = [
    "Rekapitulasi di KPU berjalan tanpa gangguan. Laporan yang masuk siang ini sudah diverifikasi. Malam ini pantau "
    "kumpul-kumpul pendukung di sekitar kantor KPU; Polres sudah diberi tahu.",
    "Malam tenang, tidak ada kumpul massa di kantor KPU. Satu kabar soal surat suara tercoblos beredar di grup "
    "WhatsApp; perlu dicek pagi ini sebelum menyebar.",
    "Kabar surat suara tercoblos sudah dicek ke KPU: tidak benar. Klarifikasi perlu ditulis dan diteruskan ke para "
    "tokoh. Antrean verifikasi bersih sore ini.",
    "Sepi sampai pagi. Ronda di Bugul Lor aktif menurut pantauan pemantau. Yang perlu dilihat pagi ini: antrean "
    "verifikasi dan pelapor yang menunggu jawaban.",
    "Tugas di kasus Trajeng masih lewat tenggat; penanggung jawabnya sudah diingatkan lewat telepon. Tidak ada "
    "peringatan baru sore ini.",
    "Malam tenang, tidak ada laporan mendesak. Pagi ini: cek antrean verifikasi dan tugas Trajeng yang lewat tenggat.",
]


def _duty_roster(rng: random.Random, orgs: dict[str, Organisation]) -> None:
    """The secretariat's roster of the story's last days, made on 17 December: the demo's analyst by day
    (08.00-20.00) and a colleague of Bakesbangpol by night. Each shift begun before the morning the demo is served
    (STORY_CLOCK_START) carries its hand-over, so that the analyst who starts at 08.00 reads the night's."""
    analyst = User.objects.get(username="analis")
    colleague = User.objects.create(
        username="piket.kesbangpol",
        role=Role.ANALYST,
        first_name=_name(rng),
        title="Staf Bakesbangpol",
        organisation=orgs["kesbangpol"],
    )
    colleague.set_unusable_password()
    colleague.save(update_fields=["password"])
    NotifyChannel.objects.create(name=f"Aplikasi: {colleague.title}", kind=ChannelKind.IN_APP, user=colleague)
    made_at = datetime.combine(date(2020, 12, 17), time(10, 0), tzinfo=WIB)
    first, days = date(2020, 12, 18), 4
    shifts = shifts_add(user=analyst, spans=spans_of(first, time(8), time(20), days), actor=analyst, now=made_at)
    shifts += shifts_add(user=colleague, spans=spans_of(first, time(20), time(8), days), actor=analyst, now=made_at)
    begun = sorted((s for s in shifts if s.starts_at < STORY_CLOCK_START), key=lambda s: s.starts_at)
    for shift, note in zip(begun, HANDOVERS, strict=True):
        written = min(shift.ends_at, STORY_CLOCK_START) - timedelta(minutes=10)
        handover_record(shift=shift, actor=shift.user, note=note, now=written)


def _notifications(city: Region, orgs: dict[str, Organisation], reporters: list[User]) -> None:
    """Who hears of alerts in the demo: the analyst, Polres and FKUB's mediator in the app, Bakesbangpol's duty desk
    by email and its situation room by webhook at once; the leadership by email and in the app when nobody
    acknowledges within the escalation time; FKUB's secretariat of its mediations and tasks by email. Mail lands in
    the demo mailbox, the webhook in Sigap's own demo receiver. The trusted reporters are warned in the app of alerts
    in their own kelurahan (no rule needed: their area says where), the tokoh and RT/RW heads of the directory by
    SMS through the demo's gateway."""
    from django.conf import settings

    analyst, polres, mediator, leader = (
        User.objects.get(username=u) for u in ("analis", "polres", "mediator", "pimpinan")
    )
    for user in (analyst, polres, mediator, leader, *reporters):
        NotifyChannel.objects.create(name=f"Aplikasi: {user.title}", kind=ChannelKind.IN_APP, user=user)
    # FKUB hears of its mediations (sessions, follow-ups due) and of its late tasks by e-mail.
    NotifyChannel.objects.create(
        name="Surel sekretariat FKUB",
        kind=ChannelKind.EMAIL,
        config={"address": "sekretariat.fkub@example.go.id"},
        organisation=orgs["fkub"],
    )
    NotifyChannel.objects.create(
        name="Surel piket Bakesbangpol",
        kind=ChannelKind.EMAIL,
        config={"address": "piket.kesbangpol@example.go.id"},
        organisation=orgs["kesbangpol"],
    )
    base = settings.SIGAP_PUBLIC_URL.rstrip("/") or "http://127.0.0.1:8000"
    NotifyChannel.objects.create(
        name=DEMO_WEBHOOK_NAME,
        kind=ChannelKind.WEBHOOK,
        config={"url": f"{base}/demo/webhook/", "secret": secrets.token_urlsafe(24)},
        organisation=orgs["kesbangpol"],
    )
    NotifyChannel.objects.create(
        name="Surel Pjs. Wali Kota", kind=ChannelKind.EMAIL, config={"address": "walikota@example.go.id"}, user=leader
    )
    # The tokoh and RT/RW heads of the directory have no account: their alerts go by SMS (the demo's gateway).
    community = Person.objects.filter(
        role__in=[PersonRole.TOKOH_AGAMA, PersonRole.TOKOH_MASYARAKAT, PersonRole.KETUA_RT_RW], active=True
    ).exclude(phone="")
    for person in community.order_by("pk"):
        NotifyChannel.objects.create(
            name=f"SMS: {person.title}",
            kind=ChannelKind.GATEWAY,
            config={
                "url": f"{base}/demo/sms/",
                "phone": "+62" + person.phone.lstrip("0"),
                "token": settings.SIGAP_REPORTER_GATEWAY_TOKEN,
            },
            person=person,
        )
    # The Bhabinkamtibmas persona's phone, registered by the administrator: warnings and reminders reach it by SMS
    # too, and the demo phone (/demo/ponsel/) sends NIHIL, PANTAU and LAPOR from it.
    pelapor = next(r for r in reporters if r.username == "pelapor")
    NotifyChannel.objects.create(
        name=f"SMS: {pelapor.title}",
        kind=ChannelKind.GATEWAY,
        config={
            "url": f"{base}/demo/sms/",
            "phone": DEMO_REPORTER_PHONE,
            "token": settings.SIGAP_REPORTER_GATEWAY_TOKEN,
        },
        user=pelapor,
    )
    first = RoutingRule.objects.create(name="Kota: Siaga ke atas, segera", region=city, min_level=RiskLevel.SIAGA)
    first.users.add(analyst, polres)
    first.organisations.add(orgs["kesbangpol"])
    second = RoutingRule.objects.create(
        name="Kota: bila tidak diterima, ke pimpinan", region=city, min_level=RiskLevel.SIAGA, tier=1
    )
    second.users.add(leader)


def seed_demo(*, seed: int = 2020) -> SeedResult:
    """Create the demo once; a second call finds it and changes nothing."""
    if demo_present():
        return SeedResult(created=False)
    rng = random.Random(seed)
    city = Region.objects.get(code=CITY)
    kecamatan = list(Region.objects.filter(parent=city, level=Level.KECAMATAN))
    kelurahan = list(Region.objects.under(CITY).filter(level=Level.DESA_KELURAHAN).select_related("parent"))
    with transaction.atomic():
        orgs = _orgs(city, kecamatan)
        _people(rng, kelurahan, orgs)
        _team(city, orgs)
        _response_plans(orgs)
        personas = _personas(rng, orgs, {k.name: k for k in kelurahan})
        reporters = [User.objects.get(username="pelapor"), *_trusted_reporters(rng, kelurahan)]
        weights = [float(k.area_km2 or 1.0) + 1.0 for k in kelurahan]
        analyst = User.objects.get(username="analis")
        _calendar(city)
        _notifications(city, orgs, reporters)
        _duty_roster(random.Random(seed + 4), orgs)
        _indicators(rng, kelurahan, analyst)
        _history(seed, kelurahan, weights)
        with incident_hooks_paused():  # one assessment per day at the end, not one per decision
            items = _reports(rng, kelurahan, weights, reporters)
            _decide_like_an_analyst(rng, analyst, items)
            _escalate_threads(analyst)
        _nil_reports(random.Random(seed + 1), reporters)  # its own stream: the rest of the story stays as it was
        with monitor_hooks_paused():  # assessed once below
            _checklists(random.Random(seed + 2), reporters)
            _checklists_by_sms(random.Random(seed + 3), reporters)
        _clarifications(analyst)
        _checking(analyst)
        _field_checks(analyst)
        # Cases, mediation and coordination go through the services at their own times; a relapse they flag
        # counts in the assessment below.
        seed_response(rng, city, orgs, DEMO_NOW)
        _analyst_judgement(analyst)
        _resolution_answers(analyst)
        _groups(analyst)
        # Two weeks before the month too, so that its first day has levels to rise from.
        risk_recompute(city, scenario.START - timedelta(days=14), scenario.END)
        _alerts_lifecycle(rng)
        _looking_again(analyst)
    return SeedResult(personas=personas, reports=Report.objects.count(), incidents=Incident.objects.count())

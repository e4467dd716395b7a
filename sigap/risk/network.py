"""The reporter network per kelurahan: who can report from there, and whether anyone did lately.

A kelurahan where nobody reports reads "Aman" on the map as surely as a calm one: the network's gaps are the map's
blind spots. A trusted reporter's nil report ("nothing to report today") is what tells a quiet kelurahan from one
where nobody is listening. UU 7/2012's first prevention effort asks for tokoh, RT/RW, Babinsa and Bhabinkamtibmas
in every kelurahan; this read shows where the team has none of them, and where reports stopped coming.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext

from sigap.accounts.models import User
from sigap.core.roles import Role
from sigap.directory.choices import PersonRole
from sigap.directory.models import Person
from sigap.intake.models import MonitorCheck, NilReport, Report
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel
from sigap.regions.choices import Level
from sigap.regions.models import Region

RECENT_DAYS = 30

# The directory's roles as the network's columns: the leaders who hear of trouble first, and the two village officers.
PERSON_GROUPS: dict[str, tuple[PersonRole, ...]] = {
    "leaders": (PersonRole.TOKOH_AGAMA, PersonRole.TOKOH_MASYARAKAT, PersonRole.TOKOH_ADAT),
    "rt_rw": (PersonRole.KETUA_RT_RW,),
    "babinsa": (PersonRole.BABINSA,),
    "bhabinkamtibmas": (PersonRole.BHABINKAMTIBMAS,),
}


@dataclass
class NetworkRow:
    region: Region
    trusted_reporters: int  # active accounts of trusted reporters with this kelurahan as their area
    people: dict[str, int]  # directory entries per PERSON_GROUPS key
    warned: int  # trusted reporters and serving people of the directory (any role) with an active channel
    by_text: int  # those of them with a registered phone (an SMS/WhatsApp channel): they answer NIHIL and PANTAU
    recent_reports: int  # reports placed here and received in the last RECENT_DAYS days, every channel
    last_report_at: datetime | None
    last_nil_at: datetime | None  # the latest "nothing to report" from a trusted reporter of this kelurahan
    last_check_at: datetime | None  # the latest checklist (warning and peace signs) from one of them
    heard_recently: bool = False  # a report, a nil report or a checklist in the last RECENT_DAYS days
    gaps: list[str] = field(default_factory=list)

    @property
    def blind(self) -> bool:
        """Nothing heard from here lately, not even "nothing to report": its level says nothing about the place."""
        return not self.heard_recently


def reporter_network(city_code: str, now: datetime) -> list[NetworkRow]:
    """Every kelurahan under `city_code`: those from which nothing was heard first, then those with the most gaps."""
    rows = _rows(Region.objects.under(city_code).filter(level=Level.DESA_KELURAHAN), now)
    rows.sort(key=lambda r: (-r.blind, -len(r.gaps), r.region.name))
    return rows


def network_of(region: Region, now: datetime) -> NetworkRow:
    return _rows(Region.objects.filter(pk=region.pk), now)[0]


def _rows(regions: QuerySet[Region], now: datetime) -> list[NetworkRow]:
    kelurahan = list(regions.select_related("parent").order_by("name"))
    ids = [k.pk for k in kelurahan]
    accounts = dict(
        User.objects.filter(role=Role.TRUSTED_REPORTER, is_active=True, area_id__in=ids)
        .values("area_id")
        .annotate(n=Count("pk"))
        .values_list("area_id", "n")
    )
    people: dict[int, dict[str, int]] = {pk: dict.fromkeys(PERSON_GROUPS, 0) for pk in ids}
    group_of = {role: key for key, roles in PERSON_GROUPS.items() for role in roles}
    for region_id, role, n in (
        Person.objects.serving()
        .filter(region_id__in=ids, role__in=list(group_of))
        .values("region_id", "role")
        .annotate(n=Count("pk"))
        .values_list("region_id", "role", "n")
    ):
        people[region_id][group_of[PersonRole(role)]] += n
    since = now - timedelta(days=RECENT_DAYS)
    reports = {
        row["region_id"]: row
        for row in Report.objects.filter(region_id__in=ids)
        .values("region_id")
        .annotate(recent=Count("pk", filter=Q(received_at__gte=since, received_at__lte=now)), last=Max("received_at"))
    }
    nil = dict(
        NilReport.objects.filter(region_id__in=ids, at__lte=now)
        .values("region_id")
        .annotate(last=Max("at"))
        .values_list("region_id", "last")
    )
    checks = dict(
        MonitorCheck.objects.filter(region_id__in=ids, at__lte=now)
        .values("region_id")
        .annotate(last=Max("at"))
        .values_list("region_id", "last")
    )
    warned = _warned_per_kelurahan(ids)
    by_text = _warned_per_kelurahan(ids, kind=ChannelKind.GATEWAY)
    rows = []
    for region in kelurahan:
        got = reports.get(region.pk, {})
        last_nil = nil.get(region.pk)
        last_check = checks.get(region.pk)
        row = NetworkRow(
            region=region,
            trusted_reporters=accounts.get(region.pk, 0),
            people=people[region.pk],
            warned=warned.get(region.pk, 0),
            by_text=by_text.get(region.pk, 0),
            recent_reports=got.get("recent", 0),
            last_report_at=got.get("last"),
            last_nil_at=last_nil,
            last_check_at=last_check,
            heard_recently=bool(got.get("recent")) or any(m is not None and m >= since for m in (last_nil, last_check)),
        )
        row.gaps = _gaps(row)
        rows.append(row)
    return rows


def _warned_per_kelurahan(ids: list[int], kind: str | None = None) -> dict[int, int]:
    """Per kelurahan, the trusted reporters and the directory's serving people whom an alert there reaches: those
    with an active channel (notify.services.area_reporter_channels_in sends the early warnings to them); with
    `kind`, those with an active channel of that kind (a registered phone: they also answer by SMS)."""
    warned: Counter[int] = Counter()
    channels = Channel.objects.filter(kind=kind) if kind else Channel.objects.all()
    users = (
        channels.filter(active=True, user__is_active=True, user__role=Role.TRUSTED_REPORTER, user__area_id__in=ids)
        .values_list("user__area_id", "user_id")
        .order_by()  # the model's ordering by name would otherwise count one owner per channel name
        .distinct()
    )
    people = (
        channels.filter(active=True, person__active=True, person__region_id__in=ids)
        .values_list("person__region_id", "person_id")
        .order_by()  # the model's ordering by name would otherwise count one owner per channel name
        .distinct()
    )
    for region_id, _owner in [*users, *people]:
        warned[region_id] += 1
    return warned


def _gaps(row: NetworkRow) -> list[str]:
    gaps = []
    if not row.trusted_reporters:
        gaps.append(gettext("no trusted reporter"))
    if not row.people["babinsa"]:
        gaps.append(gettext("no Babinsa listed"))
    if not row.people["bhabinkamtibmas"]:
        gaps.append(gettext("no Bhabinkamtibmas listed"))
    if not row.people["leaders"] and not row.people["rt_rw"]:
        gaps.append(gettext("no tokoh or RT/RW listed"))
    if not row.warned:
        gaps.append(gettext("nobody here receives the early warnings (no channel)"))
    if not row.heard_recently:
        gaps.append(gettext("nothing heard in %(days)d days, not even a nil report") % {"days": RECENT_DAYS})
    return gaps

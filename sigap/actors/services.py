"""Every change to the registry and to an incident's groups goes through here, with its audit row (and the
incident's timeline row when an analyst links or unlinks a group)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sigap.actors import rules
from sigap.actors.choices import LinkSource
from sigap.actors.models import Actor, IncidentActor
from sigap.core.roles import STAFF_ROLES, role_of
from sigap.core.services import audit_record
from sigap.intake.models import Report
from sigap.notify.services import public_link, queue_to
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident, IncidentEvent


class ActorRuleError(ValueError):
    """A change the registry refuses, with the reason in the interface's language."""


def incident_text(incident: Incident) -> str:
    """Everything written about the incident: its title and summary, and every report's words and groups."""
    return _texts(Incident.objects.filter(pk=incident.pk)).get(incident.pk, "")


def _texts(incidents: Any) -> dict[int, str]:
    """incident_text() of many incidents in two queries (a city's years of incidents, when a group is registered):
    the incident's title and summary, then each report's words and "groups involved"."""
    parts: dict[int, list[str]] = {
        pk: [title, summary] for pk, title, summary in incidents.values_list("pk", "title", "summary")
    }
    reports = Report.objects.filter(incident__in=incidents.values("pk"))
    for incident_id, description, groups in reports.values_list("incident_id", "description", "groups_involved"):
        parts.setdefault(incident_id, []).extend([description, groups])
    return {pk: "\n".join(p for p in words if p) for pk, words in parts.items()}


def check_names(actor: Actor) -> None:
    """Refuse a name or alias that would find the group in every other report, and a name another group has (a
    retired group keeps its own name, not its other names)."""
    for name in actor.names():
        problem = rules.alias_problem(name)
        if problem is not None:
            raise ActorRuleError(
                gettext('"%(name)s" is too general to find this group in reports: add what sets it apart')
                % {"name": name}
            )
    same_name = Actor.objects.exclude(pk=actor.pk).filter(name__iexact=actor.name).first()
    taken = {n.casefold(): a for a in Actor.objects.active().exclude(pk=actor.pk) for n in a.names()}
    for name in actor.names():
        other = same_name if name == actor.name and same_name is not None else taken.get(name.casefold())
        if other is not None:
            raise ActorRuleError(gettext('"%(name)s" already names %(other)s') % {"name": name, "other": other.name})


def _linkable_incidents() -> Any:
    # A duplicate's reports moved to the incident it was merged into, which carries the link.
    return Incident.objects.exclude(status=IncidentStatus.DUPLICATE)


def actor_save(*, actor: Actor, by: Any, at: datetime | None = None) -> int:
    """Create or change a group; then link it to every incident whose reports name it (how many were linked)."""
    at = at or timezone.now()
    check_names(actor)
    created = actor.pk is None
    with transaction.atomic():
        if created:
            actor.created_by = by
        actor.save()
        audit_record(
            actor=by,
            action="actors.created" if created else "actors.changed",
            target=actor,
            details={"name": actor.name, "kind": actor.kind, "aliases": actor.names()[1:], "active": actor.active},
        )
        if not actor.active:
            return 0
        known = set(IncidentActor.objects.filter(actor=actor).values_list("incident_id", flat=True))
        links = []
        for incident_id, text in _texts(_linkable_incidents().exclude(pk__in=known)).items():
            found = rules.name_found(actor.names(), text)
            if found is not None:
                links.append(
                    IncidentActor(
                        incident_id=incident_id,
                        actor=actor,
                        source=LinkSource.NAMED,
                        matched_name=found,
                        linked_at=at,
                    )
                )
        IncidentActor.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


def link_named(incident: Incident, at: datetime) -> list[IncidentActor]:
    """Link the incident to every active group its words name, that was never linked (nor unlinked) before."""
    if incident.status == IncidentStatus.DUPLICATE:
        return []
    groups = list(Actor.objects.active())
    if not groups:  # a deployment that keeps no registry: one small query on intake's path, nothing else
        return []
    known = set(IncidentActor.objects.filter(incident=incident).values_list("actor_id", flat=True))
    candidates = [actor for actor in groups if actor.pk not in known]
    if not candidates:
        return []
    text = incident_text(incident)
    links = []
    for actor in candidates:
        found = rules.name_found(actor.names(), text)
        if found is not None:
            links.append(
                IncidentActor(incident=incident, actor=actor, source=LinkSource.NAMED, matched_name=found, linked_at=at)
            )
    # Two reports of one incident committed at once both find the group: the second finds the link made.
    IncidentActor.objects.bulk_create(links, ignore_conflicts=True)
    for link in links:
        tell_followers(link.actor, incident, at)
    return links


def incident_changed(incident: Incident, at: datetime) -> None:
    """Hook from triage (after the commit): a new or merged report, or a correction, may name another group. No
    transaction of its own: on SQLite that would take the write lock after every report, even with nothing to
    write (the one INSERT is atomic by itself)."""
    link_named(incident, at)


def _timeline(incident: Incident, *, by: Any, verb: str, note: str, at: datetime, actor: Actor) -> None:
    IncidentEvent.objects.create(incident=incident, at=at, actor=by, verb=verb, note=note)
    audit_record(actor=by, action=f"incident.{verb}", target=incident, details={"actor": actor.pk, "note": note})


def actor_link(*, incident: Incident, actor: Actor, by: Any, note: str = "", at: datetime | None = None) -> None:
    """An analyst names a group the reports do not (or a link removed earlier was wrong to remove)."""
    at = at or timezone.now()
    with transaction.atomic():
        link = IncidentActor.objects.filter(incident=incident, actor=actor).first()
        if link is not None and link.removed_at is None:
            raise ActorRuleError(gettext("%(name)s is already linked to this incident") % {"name": actor.name})
        if link is None:
            link = IncidentActor(incident=incident, actor=actor)
        link.source, link.matched_name, link.linked_at, link.linked_by = LinkSource.ANALYST, "", at, by
        link.removed_at, link.removed_by, link.removed_reason = None, None, ""
        link.save()
        words = f"{actor.name}: {note.strip()}" if note.strip() else actor.name
        _timeline(incident, by=by, verb="actor_linked", note=words, at=at, actor=actor)
        tell_followers(actor, incident, at, except_user=by)


def actor_unlink(*, link: IncidentActor, by: Any, reason: str, at: datetime | None = None) -> None:
    """The group was not involved (a name that means something else here); kept as removed, with the reason."""
    at = at or timezone.now()
    if not reason.strip():
        raise ActorRuleError(gettext("Say why the group was not involved"))
    with transaction.atomic():
        link = IncidentActor.objects.select_for_update().get(pk=link.pk)
        if link.removed_at is not None:
            raise ActorRuleError(gettext("This link was already removed"))
        link.removed_at, link.removed_by, link.removed_reason = at, by, reason.strip()[:300]
        link.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        words = f"{link.actor.name}: {reason.strip()}"
        _timeline(link.incident, by=by, verb="actor_unlinked", note=words, at=at, actor=link.actor)


def actor_merge(*, source: Actor, into: Actor, by: Any, reason: str, at: datetime | None = None) -> int:
    """Two entries are one group ("Relawan 01" and "Pendukung paslon 01"): the incidents of `source` move to
    `into`, its names become other names of `into`, and `source` stays, inactive, pointing to it. Returns how many
    incidents moved."""
    at = at or timezone.now()
    if source.pk == into.pk:
        raise ActorRuleError(gettext("A group cannot be merged into itself"))
    if not reason.strip():
        raise ActorRuleError(gettext("Say why they are the same group"))
    with transaction.atomic():
        source = Actor.objects.select_for_update().get(pk=source.pk)
        into = Actor.objects.select_for_update().get(pk=into.pk)
        if not source.active:
            raise ActorRuleError(gettext("%(name)s was already merged or retired") % {"name": source.name})
        names = into.names()[1:] + [
            n for n in source.names() if n.casefold() not in {m.casefold() for m in into.names()}
        ]
        # The source's names pass to `into`: free them first, so that the uniqueness check does not refuse them.
        source.aliases = ""
        source.active = False
        source.note = (f"Digabung ke {into.name}: {reason.strip()}\n" + source.note).strip()
        source.save(update_fields=["aliases", "active", "note", "updated_at"])
        into.aliases = "\n".join(dict.fromkeys(names))
        check_names(into)
        into.save(update_fields=["aliases", "updated_at"])
        taken = set(IncidentActor.objects.filter(actor=into).values_list("incident_id", flat=True))
        moving = IncidentActor.objects.current().filter(actor=source).exclude(incident_id__in=taken)
        moved = moving.update(actor=into)
        into.followers.add(*source.followers.all())  # who followed either hears of the one group
        audit_record(
            actor=by,
            action="actors.merged",
            target=into,
            details={"from": source.pk, "from_name": source.name, "incidents": moved, "reason": reason.strip()},
        )
    return moved


def actor_follow(*, actor: Actor, user: Any, follow: bool) -> None:
    """Be told (or no longer) when a new incident names the group."""
    if follow:
        actor.followers.add(user)
    else:
        actor.followers.remove(user)
    audit_record(actor=user, action="actors.followed" if follow else "actors.unfollowed", target=actor)


def tell_followers(actor: Actor, incident: Incident, at: datetime, *, except_user: Any = None) -> int:
    """Queue a notice to those following the group who may see the incident (a Polsek's responder hears of its
    own kecamatan only), once per group and incident; it waits out quiet hours. Returns the messages queued."""
    followers = [
        user
        for user in actor.followers.filter(is_active=True)
        # Staff only: someone who followed as a mediator and is a trusted reporter now hears no group's name.
        if user != except_user
        and role_of(user) in STAFF_ROLES
        and Incident.objects.visible_to(user).filter(pk=incident.pk).exists()
    ]
    if not followers:
        return 0
    place = incident.region.name if incident.region else "tempat belum diketahui"
    waiting = " (menunggu verifikasi)" if incident.status == IncidentStatus.NEW else ""
    body = (
        f"Kelompok yang Anda ikuti, {actor.name}, terkait dengan kejadian #{incident.pk} {incident.title} di "
        f"{place}{waiting}.\n\nA group you follow, {actor.name}, is linked to incident #{incident.pk} in {place}."
        f"\n{public_link('triage:incident_detail', incident.pk)}"
    )
    rows = queue_to(
        users=followers,
        purpose="incident",
        subject=f"{actor.name}: kejadian #{incident.pk} di {place}",
        body=body,
        key=f"group{actor.pk}:incident{incident.pk}",
        at=at,
        quiet_hours=True,
    )
    return len(rows)

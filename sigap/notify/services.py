"""Notifications: routing an alert to channels, the outbox, delivery with retries, escalation, acknowledgement.

The outbox rows are written in the transaction that changes the alert (the alerts room calls `alert_changed`
inside it), so an alert never exists without its messages, nor messages without their alert. The worker claims due
rows atomically (SQLite: the IMMEDIATE write transaction; PostgreSQL: SKIP LOCKED), sends outside the transaction,
and records every attempt. A worker that dies mid-send leaves rows `sending`; after the lease they are claimed
again and carry the same idempotency key, so receivers that honour it see one message.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from sigap.alerts.choices import AlertState
from sigap.alerts.models import Alert
from sigap.alerts.services import alert_transition
from sigap.core.crypto import international_phone
from sigap.core.roles import Role
from sigap.core.services import audit_record
from sigap.notify.choices import ChannelKind, NotificationStatus
from sigap.notify.duty import DESK_ROLES, desk_people
from sigap.notify.models import ACKNOWLEDGED_PURPOSES, Channel, DeliveryAttempt, Notification, RoutingRule
from sigap.notify.transports import REGISTRY, Outgoing, TransportError
from sigap.risk.choices import RiskLevel

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
ACK_SALT = "sigap.notify.ack"


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, 8 min... capped at an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


# ---- Routing -----------------------------------------------------------------------------------------------------


def _alert_categories(alert: Alert) -> set[str]:
    return set(alert.incidents.values_list("category", flat=True))


def rules_for(alert: Alert, level: int | None = None) -> list[RoutingRule]:
    """Active rules whose area covers one of the alert's kelurahan, whose level is reached, and whose categories
    (if any) meet the alert's incidents."""
    level = alert.level if level is None else level
    return matching_rules(list(alert.regions.values_list("code", flat=True)), level, _alert_categories(alert))


def matching_rules(codes: list[str], level: int, categories: set[str]) -> list[RoutingRule]:
    out = []
    for rule in RoutingRule.objects.filter(active=True, min_level__lte=level).select_related("region"):
        covers = any(code == rule.region.code or code.startswith(rule.region.code + ".") for code in codes)
        if covers and (not rule.categories or categories & set(rule.categories)):
            out.append(rule)
    return out


def channels_by_tier(alert: Alert, level: int | None = None) -> dict[int, list[Channel]]:
    """Who is reached, tier by tier."""
    return channels_for_rules(rules_for(alert, level))


def channels_for_rules(rules: list[RoutingRule]) -> dict[int, list[Channel]]:
    """Channels of the organisations and people of these rules, tier by tier (also the routing preview)."""
    tiers: dict[int, dict[int, Channel]] = defaultdict(dict)
    for rule in rules:
        orgs = list(rule.organisations.all())
        users = list(rule.users.all())
        for channel in Channel.objects.filter(active=True).filter(Q(organisation__in=orgs) | Q(user__in=users)):
            tiers[rule.tier].setdefault(channel.pk, channel)
    return {tier: list(chs.values()) for tier, chs in sorted(tiers.items())}


# ---- Messages ----------------------------------------------------------------------------------------------------


def public_link(name: str, *args: Any) -> str:
    """An address of a Sigap page for a message that leaves the app (SIGAP_PUBLIC_URL is where users reach it)."""
    return settings.SIGAP_PUBLIC_URL.rstrip("/") + reverse(name, args=args)


def ack_url(notification: Notification) -> str:
    token = signing.dumps(notification.pk, salt=ACK_SALT)
    return public_link("notify:ack", token)


def asks_acknowledgement(notification: Notification) -> bool:
    return bool(notification.alert_id) and notification.purpose in ACKNOWLEDGED_PURPOSES


def message_link(notification: Notification) -> str:
    """The one link a short message carries: an alert's acknowledgement page; otherwise the page that the body
    already names (a case, a task, a mediation, the report form of a warning), if any. Only the team's alert
    messages are acknowledged: a task or a digest given an acknowledgement link sent its reader to a page that said
    the link was bad."""
    if asks_acknowledgement(notification):
        return ack_url(notification)
    links = re.findall(r"https?://\S+", notification.body)
    return links[-1] if links else ""


def _compose(alert: Alert, purpose: str) -> tuple[str, str]:
    regions = ", ".join(alert.regions.values_list("name", flat=True))
    level = RiskLevel(alert.level).label
    prefix = {"escalation": "[ESKALASI] ", "reminder": "[PENGINGAT] ", "test": "[UJI] "}.get(purpose, "")
    subject = f"{prefix}[{level}] {alert.title}"[:200]
    with translation.override("id"):
        reasons = "\n".join(f"- {r}" for r in alert.reasons[-3:])
        # When it began: a reminder or an escalation is read days later, and an inbox shows when a message came.
        since = timezone.localtime(alert.triggered_at).strftime("%d/%m/%Y %H.%M")
        bahasa = f"Peringatan #{alert.pk} tingkat {level} di {regions}, terpicu {since}.\n{reasons}"
    english = f"Alert #{alert.pk}, level {level}, in {regions}, triggered {since}."
    return subject, f"{bahasa}\n\n{english}"


def _acknowledgement_lines(alert: Alert) -> str:
    """What a message asks of its reader, decided when it is sent, not when it was queued: a message that waited
    (quiet hours, a retry) or went to the other organisations after a first one acknowledged would otherwise ask
    for an acknowledgement that was already given."""
    if alert.state == AlertState.TRIGGERED:
        return (
            "Mohon segera diterima (acknowledge) lewat tautan di bawah, lalu tindak lanjuti.\n"
            "Please acknowledge with the link below, then act."
        )
    given = alert.events.filter(from_state=AlertState.TRIGGERED).select_related("actor").first()
    by = _who(given.actor) if given and given.actor else "tim / the team"
    at = timezone.localtime(given.at).strftime("%d/%m %H.%M") if given else ""
    return (
        f"Sudah diterima oleh {by}{f' ({at})' if at else ''}; tidak perlu diterima lagi. Tindak lanjuti sesuai "
        f"peran instansi Anda.\nAlready acknowledged by {by}; no need to acknowledge again. Act as your "
        "organisation's part requires."
    )


def _who(user: Any) -> str:
    organisation = getattr(user, "organisation", None)
    name = user.get_full_name() or user.get_username()
    return f"{name}, {organisation}" if organisation else name


def _quiet(now: datetime, level: int) -> datetime:
    """When a message may go: now, or the end of quiet hours (Awas ignores them)."""
    start, end = settings.SIGAP_QUIET_HOURS
    if level >= RiskLevel.AWAS or start == end:
        return now
    local = timezone.localtime(now)
    hour = local.hour
    inside = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not inside:
        return now
    resume = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if resume <= local:
        resume += timedelta(days=1)
    return resume


def queue_for_alert(alert: Alert, *, purpose: str, tier: int, key: str, at: datetime) -> list[Notification]:
    """Outbox rows for every channel of `tier`; must run inside the transaction of the alert change."""
    subject, body = _compose(alert, purpose)
    rows = []
    for channel in channels_by_tier(alert).get(tier, []):
        idem = f"{key}:c{channel.pk}"
        if Notification.objects.filter(idempotency_key=idem).exists():
            continue
        rows.append(
            Notification.objects.create(
                alert=alert,
                channel=channel,
                purpose=purpose,
                tier=tier,
                subject=subject,
                body=body,
                idempotency_key=idem,
                next_attempt_at=_quiet(at, alert.level),
                created_at=at,
            )
        )
    return rows


def alert_changed(alert: Alert, verb: str, at: datetime) -> None:
    """Hook from alerts (inside its transaction): a new alert, or one that became graver, reaches tier 0; the
    trusted reporters of its areas are warned of each new level."""
    if verb == "triggered" or (verb in ("level_raised", "escalated") and alert.level >= RiskLevel.AWAS):
        queue_for_alert(alert, purpose="alert", tier=0, key=f"a{alert.pk}:{verb}:L{alert.level}", at=at)
    if verb in ("triggered", "level_raised", "escalated"):
        warn_area_reporters(alert, at=at)


def area_reporter_channels(alert: Alert) -> list[Channel]:
    """The active channels of the trusted reporters (tokoh, RT/RW, Babinsa, Bhabinkamtibmas) whose area is one of
    the alert's kelurahan or contains one: they need no routing rule, their area says where they live."""
    return area_reporter_channels_in(list(alert.regions.values_list("code", flat=True)))


def area_reporter_channels_in(codes: list[str]) -> list[Channel]:
    """The active channels of the trusted reporters, and of the directory's people who still serve (tokoh, RT/RW,
    Babinsa without an account), whose area is one of these regions or contains one."""
    reporters = Channel.objects.filter(
        active=True, user__is_active=True, user__role=Role.TRUSTED_REPORTER, user__area__isnull=False
    )
    people = Channel.objects.filter(active=True, person__active=True, person__region__isnull=False)
    warned, reached = [], set()
    # An account's channel first: a trusted reporter who is also in the directory with the same number or address
    # gets one warning, the one that links to their own report form.
    candidates = (reporters | people).select_related("user__area", "person__region")
    for channel in sorted(candidates, key=lambda c: (c.user_id is None, c.pk)):
        owner_area = channel.user.area if channel.user else channel.person.region if channel.person else None
        area = owner_area.code if owner_area else ""
        destination = channel_destination(channel)
        if area and any(code == area or code.startswith(area + ".") for code in codes) and destination not in reached:
            reached.add(destination)
            warned.append(channel)
    return warned


def channel_destination(channel: Channel) -> tuple[str, str]:
    """Where a channel's messages land, so that two channels to one mailbox or one phone count once: an e-mail
    address in lower case, a phone number in international form (0812... and 812... are +62812...), else the
    configuration."""
    config = channel.config or {}
    if channel.kind == ChannelKind.EMAIL:
        return channel.kind, str(config.get("address", "")).strip().lower()
    if channel.kind == ChannelKind.GATEWAY:
        return channel.kind, international_phone(str(config.get("phone", "")))
    if channel.kind == ChannelKind.IN_APP:
        return channel.kind, f"user:{channel.user_id}"
    return channel.kind, json.dumps({k: v for k, v in config.items() if k != "token"}, sort_keys=True)


def warn_area_reporters(alert: Alert, *, at: datetime) -> list[Notification]:
    """An early warning to the people who report from the alert's areas (UU 7/2012: every element of society
    reports and receives warnings), once per alert and level. It informs and asks for reports; it asks for no
    acknowledgement, which is the team's."""
    level = RiskLevel(alert.level).label
    regions = ", ".join(alert.regions.values_list("name", flat=True))
    with translation.override("id"):
        reasons = "\n".join(f"- {r}" for r in alert.reasons[-3:])

    def body(report_form: str) -> str:
        return (
            f"Peringatan dini: tingkat kerawanan {level} di {regions}.\n{reasons}\n\n"
            "Mohon waspada, redam potensi konflik di lingkungan Anda, dan segera laporkan setiap kejadian lewat "
            f"Sigap.\n\nEarly warning: level {level} in {regions}. Please stay alert and report anything in your "
            f"area.\n{report_form}"
        )

    # A trusted reporter reports through their own form; a person of the directory has no account: the public one.
    bodies = {True: body(public_link("intake:trusted_report_new")), False: body(public_link("intake:report_new"))}
    rows = []
    for channel in area_reporter_channels(alert):
        row, created = Notification.objects.get_or_create(
            idempotency_key=f"a{alert.pk}:warn:L{alert.level}:c{channel.pk}",
            defaults={
                "alert": alert,
                "channel": channel,
                "purpose": "warning",
                "subject": f"[{level}] Peringatan dini: {regions}"[:200],
                "body": bodies[channel.user_id is not None],
                "next_attempt_at": _quiet(at, alert.level),
                "created_at": at,
            },
        )
        if created:
            rows.append(row)
    return rows


def escalate_due(now: datetime | None = None) -> int:
    """Alerts nobody acknowledged: after N minutes per step the next tier is told, and the earlier tiers are
    reminded. Returns the number of messages queued."""
    now = now or timezone.now()
    step = timedelta(minutes=settings.SIGAP_ESCALATE_AFTER_MINUTES)
    queued = 0
    for alert in Alert.objects.open().filter(state=AlertState.TRIGGERED, triggered_at__lte=now - step):
        due_tier = int((now - alert.triggered_at) / step)
        tiers = channels_by_tier(alert)
        for tier in sorted(t for t in tiers if 0 < t <= due_tier):
            with transaction.atomic():
                made = queue_for_alert(alert, purpose="escalation", tier=tier, key=f"a{alert.pk}:esc{tier}", at=now)
                for earlier in (t for t in tiers if t < tier):
                    made += queue_for_alert(
                        alert, purpose="reminder", tier=earlier, key=f"a{alert.pk}:rem{tier}:t{earlier}", at=now
                    )
                if made:
                    audit_record(actor=None, action="alert.escalated_to_tier", target=alert, details={"tier": tier})
                queued += len(made)
    return queued


# ---- Messages of later rooms (case deadlines, status duties, commitments) --------------------------------------


def channels_for(organisations: Iterable[Any] = (), users: Iterable[Any] = ()) -> list[Channel]:
    """The active channels of these organisations and people; an organisation without channels of its own is
    reached through the channels of its staff. A trusted reporter who belongs to it (a Bhabinkamtibmas of a
    Polsek) reports for it but does not handle its cases and tasks, and could not open them."""
    orgs, people = list(organisations), list(users)
    with_own = set(Channel.objects.filter(active=True, organisation__in=orgs).values_list("organisation", flat=True))
    query = Q(organisation__in=orgs) | Q(user__in=people)
    staff = Q(user__organisation__in=[o for o in orgs if o.pk not in with_own], user__is_active=True)
    query |= staff & ~Q(user__role=Role.TRUSTED_REPORTER)
    return list(Channel.objects.filter(active=True).filter(query).distinct().order_by("pk"))


def secretariat(at: datetime | None = None, *, can_wait: bool = False) -> tuple[list[Any], list[Any]]:
    """Who hears of breaches, legal duties and reporters waiting: the Bakesbangpol organisation(s) and, of the
    people, those on the duty roster at `at` (every analyst and administrator when nobody is). A message that
    `can_wait` for the end of quiet hours goes to whoever is on duty then, not to the night's desk."""
    from sigap.directory.choices import OrganisationKind
    from sigap.directory.models import Organisation

    at = at or timezone.now()
    orgs = list(Organisation.objects.filter(kind=OrganisationKind.KESBANGPOL, active=True))
    return orgs, desk_people(_quiet(at, RiskLevel.AMAN) if can_wait else at)


def queue_to(
    *,
    organisations: Iterable[Any] = (),
    users: Iterable[Any] = (),
    purpose: str,
    subject: str,
    body: str,
    key: str,
    at: datetime,
    channels: list[Channel] | None = None,
    quiet_hours: bool = False,
) -> list[Notification]:
    """Outbox rows for the active channels of these organisations and people (or the `channels` already resolved),
    once per `key` and channel (a later call with the same key queues nothing: reminders are idempotent). With
    `quiet_hours`, a message that can wait (to people outside the team) waits for the end of quiet hours."""
    send_at = _quiet(at, RiskLevel.AMAN) if quiet_hours else at
    rows = []
    for channel in channels if channels is not None else channels_for(organisations, users):
        row, created = Notification.objects.get_or_create(
            idempotency_key=_channel_key(key, channel.pk),
            defaults={
                "channel": channel,
                "purpose": purpose,
                "subject": subject[:200],
                "body": body,
                "next_attempt_at": send_at,
                "created_at": at,
            },
        )
        if created:
            rows.append(row)
    return rows


def queue_to_secretariat(
    *, purpose: str, subject: str, body: str, key: str, at: datetime, can_wait: bool = False
) -> list[Notification]:
    """queue_to Bakesbangpol and the people on duty then, or every analyst when nobody is (`secretariat(at)`); one
    that `can_wait` waits for the end of quiet hours and goes to whoever is on duty then."""
    organisations, users = secretariat(at, can_wait=can_wait)
    return queue_to(
        organisations=organisations,
        users=users,
        purpose=purpose,
        subject=subject,
        body=body,
        key=key,
        at=at,
        quiet_hours=can_wait,
    )


def _channel_key(key: str, channel_pk: int) -> str:
    return f"{key}:c{channel_pk}"[:120]


def _desk_channels() -> list[int]:
    """The channels of every analyst's and administrator's own account, on duty or not."""
    return list(Channel.objects.filter(user__role__in=DESK_ROLES).values_list("pk", flat=True).order_by("pk"))


@dataclass(frozen=True)
class Reminder:
    """One idempotent message to queue_to: a reminder or an escalation of a deadline."""

    organisations: tuple[Any, ...]
    users: tuple[Any, ...]
    purpose: str
    subject: str
    body: str
    key: str
    quiet_hours: bool = False  # as queue_to's: a reminder that can wait waits for the end of quiet hours


def queue_reminders(reminders: Iterable[Reminder], at: datetime) -> int:
    """queue_to for many reminders, most of them queued already by an earlier minute's pass: the recipients'
    channels are resolved once per set of recipients and the existing keys read in bulk, so a pass over hundreds of
    late cases that finds nothing new costs a few queries, not a transaction per reminder. Returns rows queued."""
    pending = list(reminders)
    resolved: dict[tuple[tuple[int, ...], tuple[int, ...]], list[Channel]] = {}
    desk = _desk_channels()
    planned = []
    for reminder in pending:
        recipients = (tuple(o.pk for o in reminder.organisations), tuple(u.pk for u in reminder.users))
        if recipients not in resolved:
            resolved[recipients] = channels_for(reminder.organisations, reminder.users)
        channels = resolved[recipients]
        # The secretariat's people change with the duty roster: a reminder the night's desk had is not sent again
        # to the morning's (its hand-over says what is still late), so any desk channel that had it counts.
        to_desk = any(getattr(u, "role", None) in DESK_ROLES for u in reminder.users)
        keys = [_channel_key(reminder.key, c.pk) for c in channels]
        sent = keys + ([_channel_key(reminder.key, pk) for pk in desk] if to_desk else [])
        planned.append((reminder, channels, keys, sent))
    wanted = list({key for *_, sent in planned for key in sent})
    existing: set[str] = set()
    for start in range(0, len(wanted), 500):  # within every database's limit on query parameters
        existing.update(
            Notification.objects.filter(idempotency_key__in=wanted[start : start + 500]).values_list(
                "idempotency_key", flat=True
            )
        )
    queued = 0
    for reminder, channels, keys, sent in planned:
        if all(key in existing for key in keys) or (len(sent) > len(keys) and any(key in existing for key in sent)):
            continue
        with transaction.atomic():
            queued += len(
                queue_to(
                    purpose=reminder.purpose,
                    subject=reminder.subject,
                    body=reminder.body,
                    key=reminder.key,
                    at=at,
                    channels=channels,
                    quiet_hours=reminder.quiet_hours,
                )
            )
    return queued


PeriodicJob = Callable[[datetime], int]
_periodic: list[PeriodicJob] = []


def every_minute(job: PeriodicJob) -> None:
    """Later rooms add their due-checks (deadlines, reminders) to the worker's minute without notify importing them."""
    if job not in _periodic:
        _periodic.append(job)


def periodic_due(now: datetime | None = None) -> int:
    """Escalations, digests and every registered due-check; returns the number of messages queued."""
    now = now or timezone.now()
    queued = escalate_due(now) + digests_due(now)
    for job in _periodic:
        try:
            queued += job(now)
        except Exception:  # one failing check must not stop the others; the error is in the log
            log.exception("periodic job %s failed", getattr(job, "__name__", job))
    return queued


# ---- Daily digest ------------------------------------------------------------------------------------------------


DigestSection = Callable[[Any], list[str]]
_digest_sections: list[DigestSection] = []


def digest_section(section: DigestSection) -> None:
    """Later rooms add lines to an organisation's daily summary (the secretariat's queue) without notify importing
    them: `section(org)` returns its lines, none when there is nothing to say."""
    if section not in _digest_sections:
        _digest_sections.append(section)


def _digest_for(org: Any) -> str:
    """What needs this organisation's attention: open alerts touching its areas (all for city-wide ones), and what
    the registered sections add."""
    from sigap.core.roles import under_codes

    codes = list(org.areas.values_list("code", flat=True))
    alerts = Alert.objects.open().filter(under_codes("regions", codes)).distinct().order_by("-level", "triggered_at")
    lines = []
    for alert in alerts[:30]:
        waiting = "belum diterima" if alert.state == AlertState.TRIGGERED else alert.get_state_display().lower()
        lines.append(f"- #{alert.pk} [{RiskLevel(alert.level).label}] {alert.title} ({waiting})")
    more = [line for section in _digest_sections for line in section(org)]
    if not lines and not more:
        return ""
    parts = []
    with translation.override("id"):
        if lines:
            head = f"Ringkasan harian untuk {org.name}: {len(lines)} peringatan terbuka menunggu perhatian."
            parts.append(f"{head}\n\n" + "\n".join(lines))
        else:
            parts.append(f"Ringkasan harian untuk {org.name}: tidak ada peringatan terbuka.")
    if more:
        parts.append("\n".join(more))
    link = public_link("alerts:list")
    tail = "(Daily summary: open alerts and work that needs your attention.)"
    return "\n\n".join(parts) + f"\n\n{tail}\n{link}"


def digests_due(now: datetime | None = None) -> int:
    """Once a day from SIGAP_DIGEST_HOUR (local), one summary per organisation that has channels and open alerts."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.SIGAP_DIGEST_HOUR:
        return 0
    from sigap.directory.models import Organisation

    queued = 0
    for org in Organisation.objects.filter(channels__active=True).distinct().prefetch_related("areas"):
        body = _digest_for(org)
        if not body:
            continue
        for channel in Channel.objects.filter(organisation=org, active=True):
            key = f"digest:o{org.pk}:{local.date().isoformat()}:c{channel.pk}"
            _, created = Notification.objects.get_or_create(
                idempotency_key=key,
                defaults={
                    "channel": channel,
                    "purpose": "digest",
                    "subject": f"[Ringkasan] Sigap {local.date():%d-%m-%Y}: {org.short_name or org.name}"[:200],
                    "body": body,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )
            queued += created
    return queued


# ---- Delivery ----------------------------------------------------------------------------------------------------


def claim_due(limit: int = 20, now: datetime | None = None) -> list[Notification]:
    """Mark up to `limit` due rows as ours, atomically; rows whose sender died come back after the lease."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Notification.objects.filter(
            status=NotificationStatus.PENDING, next_attempt_at__lte=now
        ) | Notification.objects.filter(
            status=NotificationStatus.SENDING,
            claimed_at__lt=now - timedelta(seconds=settings.SIGAP_NOTIFY_LEASE_SECONDS),
        )
        due = due.order_by("next_attempt_at", "id")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        Notification.objects.filter(id__in=ids).update(status=NotificationStatus.SENDING, claimed_at=now)
    return list(Notification.objects.filter(id__in=ids).select_related("channel", "alert").order_by("id"))


CurrencyCheck = Callable[[Notification], str]
_currency_checks: list[CurrencyCheck] = []


def overtaken_by(check: CurrencyCheck) -> None:
    """Rooms add what makes their messages no longer true: a check reads a notification (its purpose, its alert, the
    key the room gave it) and answers why it need not be sent any more, or "" to send it."""
    if check not in _currency_checks:
        _currency_checks.append(check)


def overtaken(notification: Notification) -> str:
    """Why this message is no longer true, or "". A message waits for the end of quiet hours, for a retry, or for a
    worker that was down: "awaiting verification" must not wake an analyst at six for an incident a colleague
    verified at two, nor "please acknowledge" reach a tier for an alert acknowledged meanwhile."""
    for check in [_alert_overtaken, *_currency_checks]:
        if reason := check(notification):
            return reason[:200]
    return ""


def _alert_overtaken(notification: Notification) -> str:
    """A closed alert's messages, all of them; an acknowledged alert's calls for an acknowledgement (escalations
    and reminders; the first message is news to its recipients and still goes)."""
    alert = notification.alert
    if alert is None:
        return ""
    if alert.state == AlertState.CLOSED:
        return f"peringatan #{alert.pk} sudah ditutup"
    if notification.purpose in ("escalation", "reminder") and alert.state != AlertState.TRIGGERED:
        return f"peringatan #{alert.pk} sudah diterima"
    return ""


def deliver(notification: Notification) -> bool:
    """One attempt; returns True when sent. Failures are recorded and rescheduled with exponential backoff; a
    message that events have overtaken is dropped with the reason instead."""
    if reason := overtaken(notification):
        notification.status, notification.dropped_because = NotificationStatus.DROPPED, reason
        notification.save(update_fields=["status", "dropped_because"])
        return False
    channel = notification.channel
    transport = REGISTRY[channel.kind]
    acknowledge = ack_url(notification) if asks_acknowledgement(notification) else ""
    body = notification.body
    if acknowledge and notification.alert is not None:
        body += f"\n\n{_acknowledgement_lines(notification.alert)}\n{acknowledge}"
    outgoing = Outgoing(
        subject=notification.subject,
        body=body,
        short=_short(notification),
        idempotency_key=notification.idempotency_key,
        ack_url=acknowledge,
        payload={
            "alert": notification.alert_id,
            "level": RiskLevel(notification.alert.level).name.lower() if notification.alert else None,
            "purpose": notification.purpose,
            "tier": notification.tier,
        },
    )
    started = time.perf_counter()
    now = timezone.now()
    error, retryable = "", True
    try:
        transport.send(outgoing, channel)
    except TransportError as exc:
        error, retryable = str(exc), exc.retryable
    except Exception as exc:  # a transport bug must not stop the worker; it is recorded like any failure
        log.exception("transport %s failed", channel.kind)
        error = f"{type(exc).__name__}: {exc}"
    duration = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            notification=notification, at=now, ok=not error, error=error, duration_ms=duration
        )
        notification.attempts += 1
        if not error:
            notification.status, notification.sent_at, notification.last_error = NotificationStatus.SENT, now, ""
        elif retryable and notification.attempts < MAX_ATTEMPTS:
            notification.status = NotificationStatus.PENDING
            notification.next_attempt_at = now + backoff(notification.attempts)
            notification.last_error = error
        else:
            notification.status, notification.last_error = NotificationStatus.FAILED, error
        notification.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])
    return not error


# Messages whose words are the news (the team's answer to a trusted reporter, how a silent ketua RW answers by SMS):
# their SMS carries the body, not the subject, which only says whom it is about.
SHORT_FROM_BODY = frozenset({"report_news", "nil_reminder"})


def _short(notification: Notification) -> str:
    """One SMS (160 characters): as much of the subject (or of the body's first paragraph, for SHORT_FROM_BODY) as
    fits before the message's link; an English half in brackets is left to the link's page. A first paragraph that
    fits whole but not with the link goes without it (written to be the SMS: how to answer without data)."""
    url = message_link(notification)
    text = notification.subject
    if notification.purpose in SHORT_FROM_BODY:
        first = notification.body.split("\n\n")[0].replace(url, "").strip() if url else notification.body
        text = "Sigap: " + re.sub(r"\s*\([^()]*\)\s*$", "", " ".join(first.split()))
        if len(text) + 1 + len(url) > 160 >= len(text):  # the words whole rather than cut for the link
            return text
    room = 160 - len(url) - 1 if url else 160
    if len(text) > room:
        text = text[: max(room - 1, 20)].rstrip() + "\u2026"
    return f"{text} {url}".strip()[:160] if url else text[:160]


def deliver_due(limit: int = 20) -> int:
    sent = 0
    for notification in claim_due(limit):
        sent += deliver(notification)
    return sent


def send_test(channel: Channel, actor: Any) -> Notification:
    """The admin's "send a test" action: a real message through the channel, queued like any other."""
    now = timezone.now()
    notification = Notification.objects.create(
        channel=channel,
        purpose="test",
        subject="[UJI] Sigap: kanal berfungsi / channel works",
        body="Pesan uji dari Sigap. Bila Anda menerimanya, kanal ini berfungsi.\n\nA test message from Sigap.",
        idempotency_key=f"test:c{channel.pk}:{now.timestamp()}",
        next_attempt_at=now,
        created_at=now,
    )
    audit_record(actor=actor, action="channel.test", target=channel)
    return notification


OWN_ADDRESSES_AT_MOST = 3


class TooManyAddresses(ValueError):
    """A person already has OWN_ADDRESSES_AT_MOST e-mail addresses of their own."""


def personal_email_add(*, user: Any, address: str) -> Channel:
    """A person adds an e-mail address of their own (the account page): messages meant for them alone (an incident
    they are checking, a day they chose to look again) then reach them instead of the whole secretariat. A test
    message goes at once, so a mistyped address shows before it matters. Raises ValidationError on a bad address,
    TooManyAddresses past the cap."""
    config = REGISTRY[ChannelKind.EMAIL].validate({"address": address})
    own = Channel.objects.filter(user=user, kind=ChannelKind.EMAIL)
    channel = own.filter(config__address=config["address"]).first()
    if (channel is None or not channel.active) and own.filter(active=True).count() >= OWN_ADDRESSES_AT_MOST:
        # Each address gets a test message at once: without a cap an account could send them anywhere.
        raise TooManyAddresses(
            gettext("At most %(n)d addresses of your own; stop one first.") % {"n": OWN_ADDRESSES_AT_MOST}
        )
    if channel is None:
        channel = Channel.objects.create(
            name=f"E-mail {user.get_username()}", kind=ChannelKind.EMAIL, user=user, config=config
        )
    elif not channel.active:
        channel.active = True
        channel.save(update_fields=["active", "updated_at"])
    audit_record(actor=user, action="channel.added", target=channel, details={"kind": channel.kind})
    send_test(channel, user)
    return channel


def personal_channel_remove(*, user: Any, channel: Channel) -> None:
    """A person stops one of their own channels (kept inactive: its delivery history stays readable)."""
    if channel.user_id != user.pk:
        raise PermissionError("not the person's own channel")
    channel.active = False
    channel.save(update_fields=["active", "updated_at"])
    audit_record(actor=user, action="channel.removed", target=channel)


# ---- Acknowledgement ---------------------------------------------------------------------------------------------


class AckError(ValueError):
    pass


class NothingToAcknowledge(AckError):
    """A genuine link of a message that is not an alert's (sent before such messages stopped carrying one)."""

    def __init__(self, notification: Notification):
        super().__init__("not an alert's message")
        self.notification = notification


def notification_from_token(token: str) -> Notification:
    try:
        pk = signing.loads(token, salt=ACK_SALT, max_age=timedelta(days=30))
    except signing.BadSignature:
        raise AckError("bad or expired link") from None
    notification = Notification.objects.select_related("alert", "channel__user").filter(pk=pk).first()
    if notification is None:
        raise AckError("unknown notification")
    if notification.alert is None or not asks_acknowledgement(notification):
        raise NothingToAcknowledge(notification)
    return notification


def acknowledge_via_link(token: str, request_user: Any = None) -> Alert:
    """One click in a message: the alert is acknowledged by the channel's person (or the signed-in user)."""
    notification = notification_from_token(token)
    alert = notification.alert
    assert alert is not None  # noqa: S101 - checked by notification_from_token
    if alert.state != AlertState.TRIGGERED:
        return alert
    actor = request_user if getattr(request_user, "is_authenticated", False) else notification.channel.user
    return alert_transition(
        alert=alert, to=AlertState.ACKNOWLEDGED, actor=actor, note=f"lewat tautan di pesan ({notification.channel})"
    )

"""Rules of this room that need no database: the Status Keadaan Konflik limits of UU 7/2012, whether a new
incident concerns a case's parties or place, and the stages of the end-to-end clock. Tested without the database."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext

# UU 7/2012 Ps 23-24: at most 90 days; one extension of at most 30 days; decided no later than 10 days before the end.
MAX_DAYS = 90
MAX_EXTENSION_DAYS = 30
EXTENSION_NOTICE_DAYS = 10
# PP 2/2015 Ps 45-47: an oral request for the TNI's help is confirmed in writing within 1 x 24 hours.
TNI_LETTER_HOURS = 24


class StatusRuleError(ValueError):
    pass


def check_declaration(*, dprd_consulted_on: date | None, declared_on: date, starts_on: date, ends_on: date) -> None:
    """A kab/kota status is declared by the Wali Kota after consulting the DPRD leadership, for at most 90 days."""
    if dprd_consulted_on is None:
        raise StatusRuleError(gettext("The DPRD leadership must be consulted before the status is declared (Ps 16)"))
    if dprd_consulted_on > declared_on:
        raise StatusRuleError(gettext("The DPRD consultation comes before the declaration"))
    if starts_on < declared_on:
        raise StatusRuleError(gettext("A status starts on or after the day it is declared"))
    days = (ends_on - starts_on).days + 1
    if days < 1:
        raise StatusRuleError(gettext("A status ends on or after the day it starts"))
    if days > MAX_DAYS:
        raise StatusRuleError(
            gettext("A status lasts at most %(max)d days (Ps 23); this one would last %(days)d")
            % {"max": MAX_DAYS, "days": days}
        )


def check_extension(*, ends_on: date, already_extended: bool, decided_on: date, extended_to: date) -> None:
    """One extension only, of at most 30 days, decided no later than 10 days before the status ends."""
    if already_extended:
        raise StatusRuleError(gettext("A status can be extended once (Ps 23)"))
    latest = ends_on - timedelta(days=EXTENSION_NOTICE_DAYS)
    if decided_on > latest:
        raise StatusRuleError(
            gettext("An extension is decided no later than %(days)d days before the end (%(latest)s)")
            % {"days": EXTENSION_NOTICE_DAYS, "latest": f"{latest:%d-%m-%Y}"}
        )
    extra = (extended_to - ends_on).days
    if extra < 1:
        raise StatusRuleError(gettext("An extension ends after the present end"))
    if extra > MAX_EXTENSION_DAYS:
        raise StatusRuleError(
            gettext("An extension adds at most %(max)d days; this one adds %(extra)d")
            % {"max": MAX_EXTENSION_DAYS, "extra": extra}
        )


def check_revocation(*, starts_on: date, last_day: date, revoked_on: date) -> None:
    """A status may be revoked early, while it is in force."""
    if revoked_on <= starts_on:
        raise StatusRuleError(gettext("A status is revoked after the day it starts"))
    if revoked_on > last_day:
        raise StatusRuleError(gettext("The status has already ended"))


def check_tni_request(*, asked_on: date, days: int, starts_on: date, last_day: date) -> None:
    """The Wali Kota asks for the TNI's help while the status is in force, and the help ends with it at the latest
    (UU 7/2012 Ps 33-34)."""
    if not starts_on <= asked_on <= last_day:
        raise StatusRuleError(
            gettext("The TNI's help is asked for while the status is in force (%(start)s to %(end)s; Ps 33)")
            % {"start": f"{starts_on:%d-%m-%Y}", "end": f"{last_day:%d-%m-%Y}"}
        )
    if days < 1:
        raise StatusRuleError(gettext("Say for how many days the help is asked"))
    end = asked_on + timedelta(days=days - 1)
    if end > last_day:
        raise StatusRuleError(
            gettext(
                "The TNI's help ends with the status (Ps 34): at most %(max)d days from %(asked)s, to %(end)s; "
                "extend the status first if it must last longer"
            )
            % {"max": (last_day - asked_on).days + 1, "asked": f"{asked_on:%d-%m-%Y}", "end": f"{last_day:%d-%m-%Y}"}
        )


def report_due_dates(starts_on: date, last_day: date, every_days: int) -> list[date]:
    """The days a progress report to the Gubernur falls due: every `every_days` while in force, and at the end."""
    days = []
    due = starts_on + timedelta(days=every_days)
    while due < last_day:
        days.append(due)
        due += timedelta(days=every_days)
    days.append(last_day)
    return days


# ---- Does a new incident concern a case (or a mediation)? -------------------------------------------------------

_STOP = {"warga", "kelompok", "massa", "pendukung", "pihak", "dan", "dengan", "rt", "rw", "kel", "kelurahan"}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def party_mentioned(party: str, text: str) -> bool:
    """A party (e.g. "Karang Taruna RW 05", "pendukung paslon 02") is mentioned when all its distinctive words
    appear in the text as whole words; generic words (warga, kelompok, pendukung...) do not count alone."""
    words = [w for w in normalise(party).split() if w not in _STOP and (len(w) > 2 or w.isdigit())]
    if not words:
        return False
    haystack = f" {normalise(text)} "
    return all(f" {w} " in haystack for w in words)


@dataclass(frozen=True)
class Match:
    reason: str  # "parties" or "place_and_category"
    detail: str


def relates(
    *,
    parties: Iterable[str],
    places: set[str],
    categories: set[str],
    incident_text: str,
    incident_place: str | None,
    incident_category: str,
) -> Match | None:
    """The same parties, or the same kelurahan and the same kind of problem. The same place alone is not enough:
    a kelurahan is home to thousands of people and many unrelated problems."""
    named = [p for p in parties if party_mentioned(p, incident_text)]
    if named:
        return Match("parties", ", ".join(named))
    if incident_place is not None and incident_place in places and incident_category in categories:
        return Match("place_and_category", incident_place)
    return None


# ---- The end-to-end clock ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageClock:
    stage: str
    done_at: datetime | None
    due_at: datetime | None

    def late_by(self, now: datetime) -> timedelta | None:
        """How late the stage is (done late, or not done and past due); None when on time or without a deadline."""
        if self.due_at is None:
            return None
        end = self.done_at or now
        return end - self.due_at if end > self.due_at else None

    def breached(self, now: datetime) -> bool:
        return self.late_by(now) is not None

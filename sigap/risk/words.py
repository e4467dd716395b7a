"""The engine's drivers in words an analyst reads, in the active language (Bahasa Indonesia by default)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sigap.risk.choices import PhaseKind, RiskLevel, Vulnerability
from sigap.triage.choices import Category


def _num(value: float, digits: int = 1) -> str:
    return str(number_format(round(value, digits), decimal_pos=digits if value != int(value) else 0))


def _p_value(p: float | None) -> str:
    if p is None:
        return ""
    return f"< {number_format(0.001, decimal_pos=3)}" if p < 0.001 else f"= {number_format(round(p, 3), decimal_pos=3)}"


def _category(code: str) -> str:
    try:
        return str(Category(code).label).lower()
    except ValueError:
        return code


def _structural_note(note: str) -> str:
    name, _sep, value = note.partition(":")
    n = int(value or 0)
    if name == "history":
        return _("history of conflict %(level)s") % {"level": str(Vulnerability(n).label).lower()}
    if name == "ikp":
        return _("election vulnerability %(level)s") % {"level": str(Vulnerability(n).label).lower()}
    if name == "tps_rawan":
        return ngettext("%(n)d TPS rawan", "%(n)d TPS rawan", n) % {"n": n}
    if name == "tps_sangat_rawan":
        return ngettext("%(n)d TPS sangat rawan", "%(n)d TPS sangat rawan", n) % {"n": n}
    if name == "tps_khusus":
        return ngettext("%(n)d TPS khusus", "%(n)d TPS khusus", n) % {"n": n}
    if name == "sites":
        return ngettext("%(n)d sensitive site", "%(n)d sensitive sites", n) % {"n": n}
    if name == "relapse":
        return ngettext("%(n)d peace agreement broken recently", "%(n)d peace agreements broken recently", n) % {"n": n}
    return note


def driver_text(d: dict[str, Any]) -> str:
    code = d.get("code")
    if code == "recent":
        text = ngettext(
            "%(n)d verified incident in %(days)d days",
            "%(n)d verified incidents in %(days)d days",
            d["count"],
        ) % {"n": d["count"], "days": d["days"]}
        if d.get("category") and d.get("category_count"):
            text += f" ({d['category_count']} {_category(d['category'])})"
        if d.get("ratio"):
            text += ", " + _("%(ratio)sx the usual (%(expected)s expected)") % {
                "ratio": _num(d["ratio"]),
                "expected": _num(d["expected"]),
            }
        if d.get("severity", 0) > d["count"]:
            text += "; " + _("severity weight %(w)s (injuries or deaths)") % {"w": _num(d["severity"], 0)}
        if d.get("unusual"):
            text += "; " + _("an unusual rise (p %(p)s)") % {"p": _p_value(d["p_value"])}
        return text
    if code == "trend":
        return _("rising: %(now)d against %(before)d in the %(days)d days before") % {
            "now": d["count"],
            "before": d["previous"],
            "days": d["days"],
        }
    if code == "open_cases":
        return ngettext("%(n)d case still open", "%(n)d cases still open", d["count"]) % {"n": d["count"]}
    if code == "structural":
        notes = ", ".join(_structural_note(n) for n in d.get("notes", []))
        return _("standing vulnerability: %(notes)s") % {"notes": notes} if notes else _("standing vulnerability")
    if code == "analyst":
        # Public-safe like every driver (the API and the public page read them): the analyst's reason and name stay
        # on the staff's page of the kelurahan.
        until = date.fromisoformat(d["until"])
        return _("set at %(level)s by the team's analysts until %(until)s") % {
            "level": RiskLevel(d["level"]).label,
            "until": date_format(until, "j M Y"),
        }
    if code == "monitor":
        # Counts only, as the driver holds: which signs is on the staff's page of the kelurahan.
        return (
            ngettext(
                "%(n)d warning sign in the field monitors' checklists",
                "%(n)d warning signs in the field monitors' checklists",
                d["signs"],
            )
            % {"n": d["signs"]}
            + " "
            + ngettext("(%(r)d monitor, last %(days)d days)", "(%(r)d monitors, last %(days)d days)", d["reporters"])
            % {"r": d["reporters"], "days": d["days"]}
        )
    if code == "calendar":
        try:
            return str(PhaseKind(d["phase"]).label)
        except ValueError:
            return str(d.get("phase", ""))
    return str(code)


def drivers_text(drivers: list[dict[str, Any]]) -> list[str]:
    return [driver_text(d) for d in drivers]

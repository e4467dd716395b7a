"""Small helpers shared by the apps' forms and views."""

from __future__ import annotations

from typing import Any


def form_errors(form: Any) -> str:
    """A bound form's errors in one line, for the "Not saved: ..." message after a POST."""
    return "; ".join(" ".join(str(error) for error in errors) for errors in form.errors.values())


def id_param(data: Any, name: str) -> int:
    """A record id from a query string or a posted form; 0 (no such record) for anything that is not a whole
    number, so that a tampered or mangled value finds nothing instead of raising in the database layer."""
    value = str(data.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else 0

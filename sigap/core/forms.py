"""Small helpers shared by the apps' forms and views."""

from __future__ import annotations

from typing import Any


def form_errors(form: Any) -> str:
    """A bound form's errors in one line, for the "Not saved: ..." message after a POST."""
    return "; ".join(" ".join(str(error) for error in errors) for errors in form.errors.values())

"""Every verb that a service writes to a timeline has its words in the interface."""

import ast
from pathlib import Path

from django.utils import translation

from sigap.alerts.models import AlertEvent
from sigap.core.timeline import VERB_LABELS, verb_label

SIGAP = Path(__file__).resolve().parents[2]


def _written_verbs() -> set[str]:
    """The string constants given as `verb=` or assigned to `verb` in the services (conditional ones included)."""
    verbs: set[str] = set()
    for path in SIGAP.glob("*/services.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            keyword = isinstance(node, ast.keyword) and node.arg == "verb"
            assigned = isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "verb" for t in node.targets
            )
            if keyword or assigned:
                value = node.value  # type: ignore[attr-defined]
                verbs |= {c.value for c in ast.walk(value) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return verbs


def test_every_verb_written_by_a_service_has_a_label():
    written = _written_verbs()
    assert {"opened", "report_split", "level_raised", "task_cancelled", "withdrawn"} <= written  # the walk finds them
    assert written <= set(VERB_LABELS), written - set(VERB_LABELS)


def test_verbs_and_statuses_read_in_the_interface_language():
    event = AlertEvent(verb="state_changed", from_state="triggered", to_state="acknowledged")
    with translation.override("id"):
        assert (event.verb_label, event.from_label, event.to_label) == ("status berubah", "Terpicu", "Diterima")
        assert verb_label("something_new") == "something new"
    with translation.override("en"):
        assert event.verb_label == "status changed" and event.to_label == "Acknowledged"

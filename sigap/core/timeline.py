"""Timelines in words: the verbs and statuses that services write to the event tables (short, English, stable for
the API and the audit log) as the interface says them."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import pgettext_lazy

# One table for every timeline (incidents, alerts, cases, conflict status, mediations): a verb means the same
# wherever it appears.
VERB_LABELS: dict[str, Any] = {
    "opened": pgettext_lazy("timeline", "opened"),
    "report_attached": pgettext_lazy("timeline", "report attached"),
    "status_changed": pgettext_lazy("timeline", "status changed"),
    "state_changed": pgettext_lazy("timeline", "status changed"),
    "triage_changed": pgettext_lazy("timeline", "triage corrected"),
    "facts_changed": pgettext_lazy("timeline", "facts updated"),
    "merged": pgettext_lazy("timeline", "merged"),
    "field_note": pgettext_lazy("timeline", "from the field"),
    "field_settled": pgettext_lazy("timeline", "settled in the field, for an analyst to resolve"),
    "report_split": pgettext_lazy("timeline", "report split off"),
    "claimed": pgettext_lazy("timeline", "being checked"),
    "unclaimed": pgettext_lazy("timeline", "no longer being checked"),
    "clarified": pgettext_lazy("timeline", "clarification published for the public"),
    "clarification_withdrawn": pgettext_lazy("timeline", "public clarification withdrawn"),
    "lead_changed": pgettext_lazy("timeline", "lead agency changed"),
    "acknowledged": pgettext_lazy("timeline", "acknowledged"),
    "handling_started": pgettext_lazy("timeline", "handling started"),
    "action": pgettext_lazy("timeline", "action taken"),
    "updated": pgettext_lazy("timeline", "updated"),
    "resolution_proposed": pgettext_lazy("timeline", "resolution proposed"),
    "resolved": pgettext_lazy("timeline", "resolved"),
    "resolution_returned": pgettext_lazy("timeline", "resolution sent back"),
    "reopened": pgettext_lazy("timeline", "reopened"),
    "incident_linked": pgettext_lazy("timeline", "incident linked"),
    "alert_linked": pgettext_lazy("timeline", "alert answered by this case"),
    "document_added": pgettext_lazy("timeline", "document added"),
    "document_removed": pgettext_lazy("timeline", "document removed"),
    "task_added": pgettext_lazy("timeline", "task added"),
    "task_done": pgettext_lazy("timeline", "task done"),
    "task_cancelled": pgettext_lazy("timeline", "task cancelled"),
    "task_rescheduled": pgettext_lazy("timeline", "task rescheduled"),
    "follow_up_set": pgettext_lazy("timeline", "follow-up scheduled"),
    "field_check_asked": pgettext_lazy("timeline", "field check asked"),
    "field_check_answered": pgettext_lazy("timeline", "field check answered"),
    "reporter_settled": pgettext_lazy("timeline", "a reporter confirms the problem is settled"),
    "reporter_unsettled": pgettext_lazy("timeline", "a reporter says the problem is not settled"),
    "resolution_upheld": pgettext_lazy("timeline", "stays resolved, the reporter told why"),
    "task_handed_over": pgettext_lazy("timeline", "task handed over"),
    "declared": pgettext_lazy("timeline", "declared"),
    "extended": pgettext_lazy("timeline", "extended"),
    "revoked": pgettext_lazy("timeline", "revoked"),
    "report_sent": pgettext_lazy("timeline", "report sent"),
    "funding_plan_filed": pgettext_lazy("timeline", "funding plan filed"),
    "tni_requested": pgettext_lazy("timeline", "TNI's help asked for"),
    "tni_letter_sent": pgettext_lazy("timeline", "written request for the TNI's help sent"),
    "tni_granted": pgettext_lazy("timeline", "TNI's help granted"),
    "tni_refused": pgettext_lazy("timeline", "TNI's help refused"),
    "tni_ended": pgettext_lazy("timeline", "TNI's help ended"),
    "triggered": pgettext_lazy("timeline", "triggered"),
    "escalated": pgettext_lazy("timeline", "escalated"),
    "level_raised": pgettext_lazy("timeline", "level raised"),
    "signal_attached": pgettext_lazy("timeline", "signal attached"),
    "close_proposed": pgettext_lazy("timeline", "closing proposed"),
    "close_withdrawn": pgettext_lazy("timeline", "closing proposal withdrawn"),
    "level_overridden": pgettext_lazy("timeline", "level overridden"),
    "mediation_started": pgettext_lazy("timeline", "mediation started"),
    "session_scheduled": pgettext_lazy("timeline", "session scheduled"),
    "talks_started": pgettext_lazy("timeline", "talks started"),
    "session_held": pgettext_lazy("timeline", "session held"),
    "session_cancelled": pgettext_lazy("timeline", "session called off"),
    "agreed": pgettext_lazy("timeline", "agreement reached"),
    "failed": pgettext_lazy("timeline", "no agreement"),
    "withdrawn": pgettext_lazy("timeline", "withdrawn"),
    "talks_resumed": pgettext_lazy("timeline", "talks resumed"),
    "follow_up": pgettext_lazy("timeline", "follow-up visit"),
    "fulfilled": pgettext_lazy("timeline", "agreement fulfilled"),
    "relapse_flagged": pgettext_lazy("timeline", "relapse flagged"),
    "relapse_reviewed": pgettext_lazy("timeline", "relapse reviewed"),
    "taskforce_formed": pgettext_lazy("timeline", "Satgas PKS formed"),
    "member_added": pgettext_lazy("timeline", "member added"),
    "member_left": pgettext_lazy("timeline", "member left"),
    "final_report_sent": pgettext_lazy("timeline", "final report sent to the Pemda, copied to the DPRD"),
    "taskforce_dissolved": pgettext_lazy("timeline", "Satgas PKS dissolved"),
    "actor_linked": pgettext_lazy("timeline", "group linked"),
    "actor_unlinked": pgettext_lazy("timeline", "group unlinked"),
}


def verb_label(verb: str) -> str:
    """The verb in the interface's language; one that is not in the table yet reads as its words."""
    return str(VERB_LABELS.get(verb, verb.replace("_", " ")))


class TimelineWords:
    """For an event model: `verb_label`, `from_label` and `to_label` for its templates. `status_choices` names the
    statuses of its subject; `status_fields` the event's two status columns."""

    status_choices: ClassVar[type[models.TextChoices] | None] = None
    status_fields: ClassVar[tuple[str, str]] = ("from_status", "to_status")
    verb: str

    @property
    def verb_label(self) -> str:
        return verb_label(self.verb)

    def _status_label(self, value: str) -> str:
        if not value:
            return "\u2014"
        if self.status_choices is not None and value in self.status_choices.values:
            return str(self.status_choices(value).label)
        return value

    @property
    def from_label(self) -> str:
        return self._status_label(getattr(self, self.status_fields[0], ""))

    @property
    def to_label(self) -> str:
        return self._status_label(getattr(self, self.status_fields[1], ""))

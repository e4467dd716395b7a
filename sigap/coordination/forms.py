from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.coordination.choices import PlanPart
from sigap.coordination.models import ContactLog, Meeting
from sigap.directory.models import Organisation

NOTE = forms.Textarea(attrs={"rows": 2})
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _orgs() -> Any:
    return Organisation.objects.filter(active=True).order_by("name")


class MeetingForm(forms.ModelForm[Meeting]):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations present"), queryset=Organisation.objects.none(), required=False
    )
    decisions = forms.CharField(
        label=_("Decisions (one per line)"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "held_at", "venue", "chaired_by", "attendees", "attendee_count", "minutes"]
        widgets = {"held_at": WHEN, "attendees": NOTE, "minutes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = _orgs()  # type: ignore[attr-defined]

    def decision_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()]


class DecisionTaskForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    due = forms.DateTimeField(label=_("Due"), widget=WHEN)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _orgs()  # type: ignore[attr-defined]


class ContactForm(forms.ModelForm[ContactLog]):
    incident_ids = forms.CharField(
        label=_("Incident numbers"),
        required=False,
        max_length=200,
        help_text=_("Comma-separated, if the contact was about incidents"),
    )

    class Meta:
        model = ContactLog
        fields = ["at", "organisation", "counterpart", "channel", "summary"]
        widgets = {"at": WHEN, "summary": NOTE}

    def clean_incident_ids(self) -> list[int]:
        raw = self.cleaned_data.get("incident_ids") or ""
        try:
            return [int(p.strip().lstrip("#")) for p in raw.split(",") if p.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Incident numbers are whole numbers.")) from exc

    def incidents(self) -> list[int]:
        return list(self.cleaned_data.get("incident_ids") or [])


class PlanItemForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    part = forms.ChoiceField(label=_("Part"), choices=PlanPart.choices)
    action = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    target = forms.CharField(label=_("Target"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _orgs()  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), max_length=4000, widget=NOTE)

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.cases.choices import CasePhase
from sigap.directory.models import Organisation

NOTE = forms.Textarea(attrs={"rows": 2})


def _orgs() -> Any:
    return Organisation.objects.filter(active=True).order_by("name")


class CaseOpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    lead = forms.ModelChoiceField(label=_("Lead organisation"), queryset=Organisation.objects.none())
    supporting = forms.ModelMultipleChoiceField(
        label=_("Supporting organisations"), queryset=Organisation.objects.none(), required=False
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=CasePhase.choices)
    parties = forms.CharField(
        label=_("Parties involved"),
        required=False,
        max_length=1000,
        widget=NOTE,
        help_text=_("One group per line; a new incident naming them joins or reopens this case."),
    )
    summary = forms.CharField(label=_("What is to be handled"), required=False, max_length=4000, widget=NOTE)
    resolve_by = forms.DateField(
        label=_("Resolve by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: the default number of working days."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _orgs()  # type: ignore[attr-defined]
        self.fields["supporting"].queryset = _orgs()  # type: ignore[attr-defined]

    def party_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["parties"].splitlines() if line.strip()]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=4000, widget=NOTE)


class OptionalNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=4000, widget=NOTE, required=False)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    due = forms.DateTimeField(
        label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _orgs()  # type: ignore[attr-defined]


class TaskFinishForm(forms.Form):
    done = forms.TypedChoiceField(choices=[("1", _("Done")), ("0", _("Cancelled"))], coerce=lambda v: v == "1")
    note = forms.CharField(label=_("What was done, or why cancelled"), max_length=2000, widget=NOTE)


class TaskChangeForm(forms.Form):
    """Another deadline, and (for the case's lead or an analyst) another organisation, with the reason."""

    due = forms.DateTimeField(
        label=_("New deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    owner = forms.ModelChoiceField(label=_("Hand over to"), queryset=Organisation.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=NOTE)

    def __init__(self, *args: Any, transfer: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if transfer:
            self.fields["owner"].queryset = _orgs()  # type: ignore[attr-defined]
        else:
            del self.fields["owner"]


class ReassignForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("New lead organisation"), queryset=Organisation.objects.none())
    note = forms.CharField(label=_("Reason"), max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _orgs()  # type: ignore[attr-defined]


class CaseUpdateForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=CasePhase.choices)
    resolve_by = forms.DateField(
        label=_("Resolve by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Reason"), max_length=1000)


class LinkIncidentForm(forms.Form):
    incident = forms.IntegerField(label=_("Incident number"), min_value=1)
    note = forms.CharField(label=_("Reason"), max_length=1000)


class LinkAlertForm(forms.Form):
    alert = forms.IntegerField(label=_("Alert number"), min_value=1)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeclareForm(forms.Form):
    decree_number = forms.CharField(label=_("Decree number (Keputusan Wali Kota)"), max_length=120)
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    dprd_consulted_on = forms.DateField(label=_("DPRD leadership consulted on"), widget=DATE, required=False)
    declared_on = forms.DateField(label=_("Declared on"), widget=DATE)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, help_text=_("At most 90 days from the start."))
    incidents = forms.CharField(
        label=_("Incident numbers"), required=False, max_length=200, help_text=_("Comma-separated, e.g. 12, 15")
    )

    def incident_ids(self) -> list[int]:
        raw = self.cleaned_data.get("incidents") or ""
        out = []
        for part in raw.replace(" ", "").split(","):
            if part:
                if not part.lstrip("#").isdigit():
                    raise forms.ValidationError(_("Incident numbers are whole numbers."))
                out.append(int(part.lstrip("#")))
        return out


class ExtendForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    extended_to = forms.DateField(label=_("Extended to"), widget=DATE)
    note = forms.CharField(label=_("Reason"), max_length=2000)


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("Revoked on"), widget=DATE)
    note = forms.CharField(label=_("Reason"), max_length=2000)


class StatusReportForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE)
    letter_number = forms.CharField(label=_("Letter number"), max_length=120)
    summary = forms.CharField(label=_("Summary"), max_length=4000, widget=NOTE)


class FundingPlanForm(forms.Form):
    filed_on = forms.DateField(label=_("Spending plan filed on"), widget=DATE)


WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _copies_field() -> forms.CharField:
    return forms.CharField(
        label=_("Copies to"),
        max_length=4000,
        required=False,
        widget=NOTE,
        help_text=_("One addressee per line, as PP 2/2015 lists them."),
    )


class TniRequestForm(forms.Form):
    asked_at = forms.DateTimeField(label=_("Asked at"), widget=WHEN)
    asked_orally = forms.BooleanField(
        label=_("Asked by telephone first"),
        required=False,
        initial=True,
        help_text=_("The written request then follows within 1 x 24 hours (PP 2/2015); Sigap reminds the secretariat."),
    )
    addressed_to = forms.CharField(
        label=_("Addressed to"), max_length=200, help_text=_("UU 7/2012 Ps 33: the Wali Kota asks the Government.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=NOTE)
    area = forms.CharField(label=_("Area"), max_length=2000, widget=NOTE)
    days = forms.IntegerField(
        label=_("For how many days"),
        min_value=1,
        max_value=120,
        help_text=_("The help ends with the status at the latest (UU 7/2012 Ps 34)."),
    )
    logistics = forms.CharField(label=_("Logistics"), max_length=4000, widget=NOTE)
    letter_number = forms.CharField(
        label=_("Letter number"), max_length=120, required=False, help_text=_("When asked in writing.")
    )
    copies_to = _copies_field()


class TniLetterForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    sent_at = forms.DateTimeField(label=_("Sent at"), widget=WHEN)
    letter_number = forms.CharField(label=_("Letter number"), max_length=120)
    copies_to = _copies_field()


class TniAnswerForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE)
    granted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Granted")), ("no", _("Refused"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What was granted, or why refused"),
        max_length=4000,
        widget=NOTE,
        help_text=_("Units, strength and from when; the help is coordinated by Polri (UU 7/2012 Ps 34)."),
    )


class TniEndForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE)
    note = forms.CharField(label=_("Reason"), max_length=2000)

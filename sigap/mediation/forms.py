from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.cases.models import ConflictStatus
from sigap.directory.models import Person
from sigap.intake.forms import kelurahan_queryset
from sigap.mediation.choices import Compliance, ForumKind, MemberElement, TaskforceBasis
from sigap.mediation.models import Agreement, Forum, Mediation
from sigap.regions.models import Region
from sigap.regions.selectors import VILLAGE_LABEL

NOTE = forms.Textarea(attrs={"rows": 2})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PARTIES = 4
MAX_COMMITMENTS = 6


class FacilitatorChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """People who serve; on an existing forum also its facilitators who no longer do, marked, so that an editor
    unticks them knowingly instead of seeing them vanish."""

    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.name} ({obj.title})" if getattr(obj, "title", "") else str(obj.name)
        return label if obj.active else f"{label} \u2014 {_('no longer serves')}"


class ForumForm(forms.ModelForm[Forum]):
    areas = forms.ModelMultipleChoiceField(label=_("Areas"), queryset=Region.objects.none(), required=False)
    facilitators = FacilitatorChoiceField(label=_("Facilitators"), queryset=Person.objects.none(), required=False)

    class Meta:
        model = Forum
        fields = ["name", "kind", "organisation", "notes", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = kelurahan_queryset()  # type: ignore[attr-defined]
        people = Person.objects.serving()
        if self.instance.pk:
            people = (people | Person.objects.filter(forums=self.instance)).distinct()
            self.initial.setdefault("areas", list(self.instance.areas.all()))
            self.initial.setdefault("facilitators", list(self.instance.facilitators.all()))
        self.fields["facilitators"].queryset = people.order_by("-active", "name")  # type: ignore[attr-defined]
        self.fields["kind"].choices = ForumKind.choices  # type: ignore[attr-defined]


class MediationOpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    forum = forms.ModelChoiceField(label=_("Forum"), queryset=Forum.objects.none(), required=False)
    region = forms.ModelChoiceField(label=VILLAGE_LABEL, queryset=Region.objects.none(), required=False)
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = Forum.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["region"].queryset = kelurahan_queryset()  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = Person.objects.serving().order_by("name")  # type: ignore[attr-defined]
        for i in range(MAX_PARTIES):
            self.fields[f"party_{i}"] = forms.CharField(
                label=_("Party %(n)d (group)") % {"n": i + 1},
                max_length=200,
                required=i < 2,
                widget=forms.TextInput(attrs={"list": "registered-groups"}),
            )
            self.fields[f"rep_{i}"] = forms.CharField(label=_("Its representative"), max_length=200, required=False)

    def parties(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [(d[f"party_{i}"], d[f"rep_{i}"]) for i in range(MAX_PARTIES) if d.get(f"party_{i}")]


class SessionForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)


class SessionRecordForm(forms.Form):
    attendees = forms.CharField(label=_("Who came (one per line)"), required=False, max_length=4000, widget=NOTE)
    attendee_count = forms.IntegerField(label=_("Number present"), min_value=0, max_value=5000)
    women_count = forms.IntegerField(label=_("Women present"), min_value=0, max_value=5000)
    minutes = forms.CharField(label=_("Minutes"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    held_at = forms.DateTimeField(
        label=_("Held at another time"),
        required=False,
        help_text=_("Only when it was not held as scheduled"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class AgreementForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    text = forms.CharField(label=_("What was agreed"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    signatories = forms.CharField(label=_("Signed by"), required=False, max_length=2000, widget=NOTE)

    def __init__(self, *args: Any, mediation: Mediation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        party_choices = [("", "—")] + [(str(p.pk), p.name) for p in mediation.parties.all()]
        for i in range(MAX_COMMITMENTS):
            self.fields[f"c{i}_text"] = forms.CharField(
                label=_("Commitment %(n)d") % {"n": i + 1}, max_length=400, required=i == 0
            )
            self.fields[f"c{i}_party"] = forms.ChoiceField(label=_("Of party"), choices=party_choices, required=False)
            self.fields[f"c{i}_owner"] = forms.CharField(label=_("Owner"), max_length=200, required=False)
            self.fields[f"c{i}_due"] = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(MAX_COMMITMENTS):
            if data.get(f"c{i}_text") and (not data.get(f"c{i}_owner") or not data.get(f"c{i}_due")):
                raise forms.ValidationError(
                    _("Each commitment needs an owner and a due date (row %(n)d).") % {"n": i + 1}
                )
        return data

    def head_fields(self) -> list[Any]:
        return [self["signed_on"], self["text"], self["signatories"]]

    def commitment_fields(self) -> list[list[Any]]:
        """Each commitment's four fields together, so that the page sets them side by side."""
        return [[self[f"c{i}_{part}"] for part in ("text", "party", "owner", "due")] for i in range(MAX_COMMITMENTS)]

    def rows(self) -> list[tuple[str, str, str, Any]]:
        d = self.cleaned_data
        return [
            (d[f"c{i}_text"], d[f"c{i}_party"], d[f"c{i}_owner"], d[f"c{i}_due"])
            for i in range(MAX_COMMITMENTS)
            if d.get(f"c{i}_text")
        ]


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=NOTE)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commitment_fields = []
        for c in agreement.commitments.all():
            name = f"commitment_{c.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{c.description} ({c.owner})", choices=Compliance.choices, initial=c.compliance
            )
            self.commitment_fields.append((c.pk, name))

    def results(self) -> dict[int, Compliance]:
        return {pk: Compliance(self.cleaned_data[name]) for pk, name in self.commitment_fields}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=4000, widget=NOTE)


class MediationChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"M-{obj.pk} {obj.title} ({obj.get_status_display()})"


class TaskforceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. Satgas PKS Kota Pasuruan 2020"))
    decree_number = forms.CharField(label=_("Wali Kota's decree number"), max_length=120)
    formed_on = forms.DateField(label=_("Formed on"), widget=DATE)
    basis = forms.ChoiceField(label=_("Formed because"), choices=TaskforceBasis.choices)
    mandate = forms.CharField(label=_("What it is to settle"), max_length=4000, widget=NOTE)
    report_due_on = forms.DateField(
        label=_("Final report due on"), widget=DATE, help_text=_("As the decree sets its term.")
    )
    mediations = MediationChoiceField(
        label=_("The talks that failed"),
        queryset=Mediation.objects.none(),
        required=False,
        help_text=_("When a pranata could not settle it: the mediations that ended without agreement."),
    )
    conflict_status = forms.ModelChoiceField(
        label=_("Status Keadaan Konflik"), queryset=ConflictStatus.objects.all(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediations"].queryset = Mediation.objects.order_by("-opened_at")  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(
        label=_("Position"), max_length=200, help_text=_("e.g. Kapolres Pasuruan Kota, Ketua FKUB")
    )
    element = forms.ChoiceField(label=_("Element"), choices=MemberElement.choices)
    woman = forms.BooleanField(label=_("Woman"), required=False)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)


class MemberLeaveForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    left_on = forms.DateField(label=_("Left on"), widget=DATE)
    note = forms.CharField(label=_("Reason"), max_length=500)


class FinalReportForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE)
    letter_number = forms.CharField(label=_("Letter number"), max_length=120)
    findings = forms.CharField(label=_("Facts found"), max_length=8000, widget=NOTE)
    losses = forms.CharField(
        label=_("Losses and compensation"),
        max_length=8000,
        widget=NOTE,
        help_text=_("What was lost, and what is owed to whom; write so if there is none."),
    )
    recommendations = forms.CharField(label=_("Recommendations"), max_length=8000, widget=NOTE)


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(label=_("Dissolved on"), widget=DATE)
    note = forms.CharField(label=_("Decree or reason"), max_length=2000)

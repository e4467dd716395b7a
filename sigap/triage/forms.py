from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sigap.actors.models import Actor
from sigap.core.grading import Credibility, Reliability
from sigap.intake.forms import KelurahanChoiceField, kelurahan_queryset
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.regions.selectors import VILLAGE_LABEL
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.field_checks import FIELD_CHECK_HOURS
from sigap.triage.services import VERIFY_DECISIONS


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(s.value, s.label) for s in IncidentStatus if s in VERIFY_DECISIONS]
    )
    reliability = forms.ChoiceField(label=_("Source reliability"), choices=Reliability.choices)
    credibility = forms.TypedChoiceField(label=_("Information credibility"), choices=Credibility.choices, coerce=int)
    corroboration = forms.CharField(
        label=_("Corroborating sources"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who or what confirms it: officers on site, other reports, media."),
    )
    note = forms.CharField(
        label=_("Note for the team"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TriageForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int)
    region = KelurahanChoiceField(label=VILLAGE_LABEL, queryset=Region.objects.none())
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        error_messages={"required": _("Say why you change the automatic triage.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = kelurahan_queryset()  # type: ignore[attr-defined]


class PlaceForm(forms.Form):
    report = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    region = KelurahanChoiceField(label=VILLAGE_LABEL, queryset=Region.objects.none())

    def __init__(self, *args: Any, near: Region | None = None, **kwargs: Any) -> None:
        """`near`: the kecamatan the report's pin lies in, where its desa have no shape to place it by; they are
        offered first, out of the kabupaten's hundreds."""
        super().__init__(*args, **kwargs)
        field = cast(KelurahanChoiceField, self.fields["region"])
        field.queryset = kelurahan_queryset()
        if near is not None:
            regions = list(field.queryset)
            options = [(region.pk, field.label_from_instance(region)) for region in regions]
            inside = {region.pk for region in regions if region.parent_id == near.pk}
            field.choices = [
                ("", "---------"),
                (_("In %(place)s, where the pin is") % {"place": near.label}, [o for o in options if o[0] in inside]),
                (_("Elsewhere"), [o for o in options if o[0] not in inside]),
            ]


class FollowUpForm(forms.Form):
    on = forms.DateField(label=_("Look again on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("What to check then"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Merge into incident number"), min_value=1)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the reporter's identity?"),
        max_length=300,
        error_messages={"required": _("A reason is required; it is kept in the audit log.")},
    )


# More people than any crowd holds is a typing slip; the columns would hold two billion.
HEADCOUNT_MAX = 10_000_000


class FactsForm(forms.Form):
    people_estimate = forms.IntegerField(
        label=_("People involved (estimate)"), min_value=0, max_value=HEADCOUNT_MAX, required=False
    )
    injured = forms.IntegerField(label=_("Injured"), min_value=0, max_value=HEADCOUNT_MAX)
    killed = forms.IntegerField(label=_("Killed"), min_value=0, max_value=HEADCOUNT_MAX)
    displaced = forms.IntegerField(label=_("Displaced (fled their homes)"), min_value=0, max_value=HEADCOUNT_MAX)
    buildings_damaged = forms.IntegerField(
        label=_("Houses or buildings damaged or burned"), min_value=0, max_value=HEADCOUNT_MAX
    )
    crowd_growing = forms.BooleanField(label=_("Crowd growing and spreading"), required=False)
    arson_or_looting = forms.BooleanField(label=_("Arson, looting or destruction"), required=False)
    vital_object_damaged = forms.BooleanField(label=_("Offices or vital objects damaged or occupied"), required=False)
    police_outnumbered = forms.BooleanField(label=_("Police outnumbered or under-equipped"), required=False)
    reason = forms.CharField(
        label=_("Source of this information"),
        max_length=500,
        error_messages={"required": _("Say where this information comes from.")},
    )


class IncidentFilterForm(forms.Form):
    """The incident list's filters (a GET form). Each valid field filters; an invalid one is reported and ignored,
    so a mistyped date does not hide the rest of the answer."""

    q = forms.CharField(label=_("Words or receipt code"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("open", _("Open (awaiting verification or verified)")), *IncidentStatus.choices],
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    urgency = forms.TypedChoiceField(
        label=_("Urgency at least"), required=False, coerce=int, empty_value=None, choices=[("", _("Any"))]
    )
    since = forms.DateField(label=_("Occurred from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Occurred until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.MultipleChoiceField(
        label=_("Categories"), required=False, choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("The whole city")), *area_choices()]  # type: ignore[attr-defined]
        self.fields["urgency"].choices = [("", _("Any")), *Urgency.choices]  # type: ignore[attr-defined]
        groups = Actor.objects.visible_to(user)
        if groups.exists():  # staff, once a group is registered; never a trusted reporter
            self.fields["group"] = forms.ModelChoiceField(
                label=_("Group involved"), required=False, queryset=groups, empty_label=_("Any")
            )

    def valid_data(self) -> dict[str, Any]:
        """The filters that validated (all of them when the form is valid); none for an unbound form."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", [])}


def area_choices() -> list[tuple[str, Any]]:
    """Each kecamatan (all of it) and its kelurahan, grouped by kecamatan; values are region codes."""
    regions = (
        Region.objects.under(settings.SIGAP_DEPLOYMENT_REGION)
        .filter(level__in=[Level.KECAMATAN, Level.DESA_KELURAHAN])
        .defer("boundary")
        .order_by("code")
    )
    kecamatan = [r for r in regions if r.level == Level.KECAMATAN]
    groups = []
    for k in sorted(kecamatan, key=lambda r: r.name):
        villages = sorted((r for r in regions if r.parent_id == k.pk), key=lambda r: r.name)
        whole = (k.code, _("Kecamatan %(name)s, all of it") % {"name": k.name})
        groups.append((k.name, [whole, *((v.code, v.name) for v in villages)]))
    return groups


class _Named(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        if hasattr(obj, "get_full_name"):
            title = f" ({obj.title})" if getattr(obj, "title", "") else ""
            return f"{obj.get_full_name() or obj.get_username()}{title}"
        return f"{obj.name} ({obj.get_role_display()})"


class FieldCheckForm(forms.Form):
    """Ask the incident's kelurahan: its trusted reporters and the directory's people who can be reached."""

    question = forms.CharField(
        label=_("Question for the field"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
        help_text=_(
            "It goes out by SMS or e-mail as written: never the reporter's name, or words that would show who reported."
        ),
    )
    hours = forms.TypedChoiceField(label=_("Answer needed within"), coerce=int, initial=6)
    reporters = _Named(label=_("Trusted reporters"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    persons = _Named(
        label=_("People of the directory"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, reporters: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reporters"].queryset = reporters  # type: ignore[attr-defined]
        self.fields["persons"].queryset = persons  # type: ignore[attr-defined]
        hours = [(h, ngettext("%(n)d hour", "%(n)d hours", h) % {"n": h}) for h in FIELD_CHECK_HOURS]
        self.fields["hours"].choices = hours  # type: ignore[attr-defined]

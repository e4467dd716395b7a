from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sigap.regions.models import Region
from sigap.regions.selectors import VILLAGE_LABEL
from sigap.risk.choices import RiskLevel
from sigap.triage.choices import Category


class PreviewForm(forms.Form):
    region = forms.ModelChoiceField(label=VILLAGE_LABEL, queryset=Region.objects.none())
    level = forms.TypedChoiceField(label=_("Level"), choices=RiskLevel.choices[1:], coerce=int)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.under(settings.SIGAP_DEPLOYMENT_REGION).filter(level="desa_kelurahan")
        self.fields["region"].queryset = regions.order_by("name")  # type: ignore[attr-defined]


def _desk_people() -> Any:
    from sigap.accounts.models import User
    from sigap.notify.duty import DESK_ROLES

    return User.objects.filter(is_active=True, role__in=DESK_ROLES).order_by("first_name", "username")


class _DeskPersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class ShiftForm(forms.Form):
    """One shift, or the same hours on several days in a row (a week of night shifts in one go)."""

    user = _DeskPersonChoice(label=_("On duty"), queryset=None)
    day = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("An hour at or before the start ends the next day (20.00 until 08.00)."),
    )
    days = forms.IntegerField(label=_("Days in a row"), min_value=1, max_value=14, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _desk_people()  # type: ignore[attr-defined]


class ShiftHandForm(forms.Form):
    to_user = _DeskPersonChoice(label=_("Hand to"), queryset=None)
    reason = forms.CharField(label=_("Why"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = _desk_people()  # type: ignore[attr-defined]


class ShiftCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)


class HandoverForm(forms.Form):
    note = forms.CharField(
        label=_("Hand-over"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, what is still open and what the next shift should watch."),
    )

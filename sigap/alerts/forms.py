from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sigap.alerts.choices import AlertState
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.regions.selectors import VILLAGE_LABEL
from sigap.risk.choices import RiskLevel


class StepForm(forms.Form):
    to = forms.ChoiceField(choices=AlertState.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level"), choices=RiskLevel.choices, coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Merge into alert number"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class RaiseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    regions = forms.ModelMultipleChoiceField(label=VILLAGE_LABEL, queryset=Region.objects.none())
    level = forms.TypedChoiceField(label=_("Level"), choices=RiskLevel.choices[1:], coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kelurahan = Region.objects.under(settings.SIGAP_DEPLOYMENT_REGION).filter(level=Level.DESA_KELURAHAN)
        self.fields["regions"].queryset = kelurahan.order_by("name")  # type: ignore[attr-defined]

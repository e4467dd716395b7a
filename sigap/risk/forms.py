from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaIndicator


class IndicatorForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AreaIndicator
        fields = [
            "conflict_history",
            "election_vulnerability",
            "tps_aman",
            "tps_rawan",
            "tps_sangat_rawan",
            "tps_khusus",
            "sensitive_sites",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class LevelFloorForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("At least"),
        coerce=int,
        choices=[(level.value, level.label) for level in RiskLevel if level != RiskLevel.AMAN],
    )
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(
        label=_("Why (staff only; the public reads only that the team set the level)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LevelWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it ends early"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

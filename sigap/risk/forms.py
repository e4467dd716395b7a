from __future__ import annotations

from django import forms

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

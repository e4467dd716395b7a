from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.dashboard.selectors import Filters, default_filters, kecamatan_choices
from sigap.triage.choices import Category

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_DAYS = 800


class FilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("To"), widget=DATE, required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, days: int = 30, **kwargs: Any) -> None:
        fallback = default_filters(days=days)
        kwargs.setdefault("initial", {"start": fallback.start, "end": fallback.end})
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("All"))] + [  # type: ignore[attr-defined]
            (k.code, k.name) for k in kecamatan_choices()
        ]
        self.fields["category"].choices = [("", _("All")), *Category.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if start and end and (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("A period is at most %(n)d days.") % {"n": MAX_DAYS})
        return data

    def filters(self, days: int = 30) -> Filters:
        """The chosen filters; what is missing or invalid falls back to the last `days` days."""
        fallback = default_filters(days=days)
        if not self.is_valid():
            return fallback
        d = self.cleaned_data
        end = d.get("end") or fallback.end
        start = d.get("start") or end - timedelta(days=days - 1)
        return Filters(start=start, end=end, kecamatan=d.get("kecamatan") or "", category=d.get("category") or "")

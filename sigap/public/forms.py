from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.risk.choices import RiskLevel


class PublishForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level"), choices=RiskLevel.choices[1:], coerce=int)
    headline = forms.CharField(label=_("Headline"), max_length=160)
    description = forms.CharField(
        label=_("What is happening (for the public: no names, no exact places)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    instruction = forms.CharField(
        label=_("What the public should do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    hours = forms.IntegerField(label=_("Valid for (hours)"), min_value=1, max_value=24 * 14, initial=24)


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Why is it withdrawn?"), max_length=300)


class ClarificationForm(forms.Form):
    claim = forms.CharField(
        label=_("What is going round (as people hear it; no names)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    finding = forms.CharField(
        label=_("What the team found, and who checked it"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Why is it withdrawn? (shown on its public page)"), max_length=300)

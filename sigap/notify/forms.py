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

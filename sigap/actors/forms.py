from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.actors.models import Actor
from sigap.intake.forms import kelurahan_queryset
from sigap.regions.selectors import VILLAGE_LABEL


class ActorForm(forms.ModelForm[Actor]):
    class Meta:
        model = Actor
        fields = ["name", "kind", "aliases", "region", "note", "active"]
        widgets = {"aliases": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        region.queryset = kelurahan_queryset()  # type: ignore[attr-defined]
        region.label = VILLAGE_LABEL
        region.help_text = _("Where the group is based, if it is one place")
        if self.instance.pk is None:
            del self.fields["active"]  # a group is registered because reports name it

    def clean_aliases(self) -> str:
        lines = [line.strip()[:160] for line in self.cleaned_data["aliases"].splitlines() if line.strip()]
        return "\n".join(dict.fromkeys(lines))


class LinkForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Group"), queryset=Actor.objects.none())
    note = forms.CharField(label=_("How it was involved (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, linked: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = Actor.objects.active().exclude(pk__in=linked or set())  # type: ignore[attr-defined]


class UnlinkForm(forms.Form):
    reason = forms.CharField(label=_("Why it was not involved"), max_length=300)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("The same group as"), queryset=Actor.objects.none())
    reason = forms.CharField(label=_("Why they are the same group"), max_length=300)

    def __init__(self, *args: Any, source: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Actor.objects.active().exclude(pk=source.pk)  # type: ignore[attr-defined]

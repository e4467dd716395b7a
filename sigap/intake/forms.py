from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.core.grading import Reliability
from sigap.core.photos import CleanPhoto, PhotoError, photo_clean
from sigap.intake.choices import CrowdSize, FieldAnswer, PeaceSign, WarningSign
from sigap.intake.receipts import receipt_normalise
from sigap.intake.services import MONITOR_NOTE_MAX
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.regions.selectors import VILLAGE_LABEL

PHONE = re.compile(r"^\+?[0-9][0-9 \-]{7,16}$")


def validate_contact(value: str) -> str:
    value = value.strip()
    if "@" in value:
        try:
            validate_email(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("This e-mail address does not look right.")) from None
        return value
    if not PHONE.match(value):
        raise forms.ValidationError(_("Write a phone number (e.g. 0812 3456 7890) or an e-mail address."))
    return value


class KelurahanChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.parent.name})" if obj.parent else str(obj.name)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to SIGAP_PHOTO_MAX_COUNT photos; each is checked and cleaned of metadata in clean()."""

    widget = MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: Any, initial: Any = None) -> list[CleanPhoto]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.SIGAP_PHOTO_MAX_COUNT:
            raise forms.ValidationError(_("At most %(n)d photos.") % {"n": settings.SIGAP_PHOTO_MAX_COUNT})
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(_clean_upload(upload))
            except PhotoError as exc:
                errors.append(f"{_short_name(upload)}: {exc}")
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def _short_name(upload: UploadedFile) -> str:
    name = (upload.name or "foto").rsplit("/", 1)[-1]
    return name[:40]


def _clean_upload(upload: UploadedFile) -> CleanPhoto:
    limit = settings.SIGAP_PHOTO_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise PhotoError(str(_("The photo is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}))
    return photo_clean(upload.read(limit + 1), max_bytes=limit)


def kelurahan_queryset() -> Any:
    return (
        Region.objects.under(settings.SIGAP_DEPLOYMENT_REGION)
        .filter(level=Level.DESA_KELURAHAN)
        .select_related("parent")
        .defer("boundary")
        .order_by("name")
    )


class ReportForm(forms.Form):
    """What every reporter can tell; the public form adds identity fields."""

    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=10,
        max_length=5000,
        error_messages={
            "required": _("Tell us what happened."),
            "min_length": _("Tell a little more (at least 10 letters)."),
        },
    )
    kelurahan = KelurahanChoiceField(
        label=VILLAGE_LABEL, queryset=Region.objects.none(), required=False, empty_label=_("— not sure —")
    )
    location_text = forms.CharField(label=_("Where exactly? (street, RW, landmark)"), max_length=300, required=False)
    latitude = forms.FloatField(required=False, min_value=-11.5, max_value=6.5, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=94.5, max_value=141.5, widget=forms.HiddenInput)
    occurred_at = forms.DateTimeField(
        label=_("When?"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    groups_involved = forms.CharField(label=_("Which groups are involved?"), max_length=300, required=False)
    crowd_size = forms.ChoiceField(
        label=_("Roughly how many people?"), required=False, choices=[("", _("— do not know —")), *CrowdSize.choices]
    )
    weapons_seen = forms.BooleanField(label=_("Weapons were seen"), required=False)
    mass_mobilisation = forms.BooleanField(label=_("People are being mobilised"), required=False)
    online_provocation = forms.BooleanField(label=_("There is provocation online"), required=False)
    photos = PhotosField(label=_("Photos (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = kelurahan_queryset()  # type: ignore[attr-defined]

    def clean_occurred_at(self) -> Any:
        when = self.cleaned_data.get("occurred_at")
        if when and when > timezone.now() + timedelta(hours=1):
            raise forms.ValidationError(_("This time is in the future."))
        return when

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("The map point is incomplete; pick it again or leave it out."))
        return data


class PublicReportForm(ReportForm):
    anonymous = forms.BooleanField(
        label=_("Report anonymously (no name or contact kept)"), required=False, initial=True
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    reporter_contact = forms.CharField(
        label=_("Phone or e-mail"),
        max_length=120,
        required=False,
        help_text=_(
            "Only the verification team can see it. With it you can get "
            "your receipt again and hear when the problem is handled."
        ),
    )
    # A field people never see: automated spam fills it in.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean_reporter_contact(self) -> str:
        value = self.cleaned_data.get("reporter_contact", "")
        return validate_contact(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The report could not be accepted."))
        if data.get("anonymous"):
            data["reporter_name"] = data["reporter_contact"] = ""
        return data


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code"), max_length=30, error_messages={"required": _("Write the receipt code you were given.")}
    )

    def clean_receipt(self) -> str:
        code = receipt_normalise(self.cleaned_data["receipt"])
        if len(code) != 14:
            raise forms.ValidationError(_("A receipt code has 12 letters and digits, like ABCD-EFGH-JKMN."))
        return code


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("The message is empty.")},
    )


class ResendForm(forms.Form):
    contact = forms.CharField(label=_("The phone or e-mail you gave with your report"), max_length=120)

    def clean_contact(self) -> str:
        return validate_contact(self.cleaned_data["contact"])


WEB_IMPORT_SUFFIXES = (".csv", ".xlsx")


class ImportForm(forms.Form):
    """A paper log to preview: checked for type and size here, row by row by the importer."""

    log = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "One report per row, with a description column (uraian); kelurahan, date, place, reporter name and "
            "contact when known."
        ),
    )
    reliability = forms.ChoiceField(
        label=_("Reliability of this log's source"), choices=Reliability.choices, initial=Reliability.C
    )

    def clean_log(self) -> UploadedFile:
        from sigap.intake.importer import MAX_BYTES

        log: UploadedFile = self.cleaned_data["log"]
        if not (log.name or "").lower().endswith(WEB_IMPORT_SUFFIXES):
            raise forms.ValidationError(_("Only .csv or .xlsx files."))
        if (log.size or 0) > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 1024 // 1024})
        return log


class MonitorCheckForm(forms.Form):
    """A field monitor's checklist: tick what you see; nothing ticked is an answer too (all is calm)."""

    signs = forms.MultipleChoiceField(
        label=_("Warning signs seen in the last days"),
        choices=WarningSign.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    peace = forms.MultipleChoiceField(
        label=_("What holds the area together"),
        choices=PeaceSign.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Note for the team (optional)"),
        help_text=_("Where, who, since when: what the team should know. A problem that needs handling is a report."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MONITOR_NOTE_MAX,
        required=False,
    )


class FieldAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("What you found"), choices=FieldAnswer.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What you saw"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolutionAnswerForm(forms.Form):
    settled = forms.TypedChoiceField(
        label=_("Is the problem you reported really settled?"),
        choices=[("yes", _("Yes, it is settled")), ("no", _("Not yet"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What is still going on? (optional; the team reads it and answers you here)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sigap.cases.models import Case, ConflictStatus, ResponsePlan, ResponseStep, Task
from sigap.triage.choices import Category


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    """Cases change through their page (every step on the timeline); here they are read-only."""

    list_display = ["pk", "title", "lead_organisation", "status", "phase", "opened_at", "resolve_due_at"]
    list_filter = ["status", "phase", "lead_organisation"]
    readonly_fields = [f.name for f in Case._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin[Task]):
    list_display = ["title", "owner_organisation", "due_at", "status", "case"]
    list_filter = ["status", "owner_organisation"]
    readonly_fields = [f.name for f in Task._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(ConflictStatus)
class ConflictStatusAdmin(admin.ModelAdmin[ConflictStatus]):
    list_display = ["decree_number", "starts_on", "ends_on", "extended_to", "revoked_on"]
    readonly_fields = [f.name for f in ConflictStatus._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


class ResponseStepInline(admin.TabularInline[ResponseStep, ResponsePlan]):
    model = ResponseStep
    extra = 3
    raw_id_fields = ["organisation"]


class ResponsePlanForm(forms.ModelForm[ResponsePlan]):
    # Ticked, not typed: the kinds of problem as the incidents name them.
    categories = forms.MultipleChoiceField(
        label=_("kinds of problem"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any kind."),
    )

    class Meta:
        model = ResponsePlan
        fields = ["name", "min_level", "categories", "basis", "active"]


@admin.register(ResponsePlan)
class ResponsePlanAdmin(admin.ModelAdmin[ResponsePlan]):
    """The steps the team agreed beforehand (a protap), kept by the secretariat's administrator."""

    form = ResponsePlanForm
    list_display = ["name", "min_level", "basis", "active"]
    list_filter = ["active", "min_level"]
    inlines = [ResponseStepInline]

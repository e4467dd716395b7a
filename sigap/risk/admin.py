from django.contrib import admin

from sigap.risk.models import AreaIndicator, AreaRisk, ElectionPhase, HistoricalCount, LevelFloor


@admin.register(ElectionPhase)
class ElectionPhaseAdmin(admin.ModelAdmin[ElectionPhase]):
    list_display = ["election", "kind", "starts_on", "ends_on", "high_risk", "region"]
    list_filter = ["kind", "high_risk"]
    raw_id_fields = ["region"]


@admin.register(AreaIndicator)
class AreaIndicatorAdmin(admin.ModelAdmin[AreaIndicator]):
    list_display = ["region", "conflict_history", "election_vulnerability", "tps_rawan", "tps_sangat_rawan"]
    raw_id_fields = ["region", "updated_by"]
    search_fields = ["region__name", "region__code"]


@admin.register(AreaRisk)
class AreaRiskAdmin(admin.ModelAdmin[AreaRisk]):
    """Written by the engine; shown read-only."""

    list_display = ["day", "region", "level", "score"]
    list_filter = ["level", "day"]
    search_fields = ["region__name", "region__code"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(HistoricalCount)
class HistoricalCountAdmin(admin.ModelAdmin[HistoricalCount]):
    list_display = ["day", "region", "count", "weighted", "source"]
    list_filter = ["source"]
    raw_id_fields = ["region"]


@admin.register(LevelFloor)
class LevelFloorAdmin(admin.ModelAdmin[LevelFloor]):
    """Set and withdrawn on the kelurahan's page (audited, the level follows at once); shown read-only here."""

    list_display = ["region", "level", "starts_on", "ends_on", "set_by", "withdrawn_at"]
    list_filter = ["level"]
    search_fields = ["region__name", "region__code", "reason"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

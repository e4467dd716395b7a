from django.contrib import admin

from sigap.regions.models import Region, RegionAlias


class RegionAliasInline(admin.TabularInline[RegionAlias, Region]):
    model = RegionAlias
    fields = ["name", "source"]
    extra = 1


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "level", "kind", "population"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name_key", "boundary", "boundary_source", "parent"]
    exclude = ["min_lat", "max_lat", "min_lng", "max_lng"]
    inlines = [RegionAliasInline]

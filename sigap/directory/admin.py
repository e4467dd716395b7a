from django.contrib import admin

from sigap.directory.models import Organisation, Person, TeamDecree, TeamMembership
from sigap.notify.admin import ChannelForm
from sigap.notify.models import Channel


class PersonChannelInline(admin.TabularInline[Channel, Person]):
    """Where the early warnings of the person's kelurahan reach them (an e-mail address, an SMS/WhatsApp number
    through the gateway), kept on the person's own page rather than in the channel list."""

    model = Channel
    form = ChannelForm
    fk_name = "person"
    fields = ["name", "kind", "config", "active"]
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "short_name", "kind", "forkopimda", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["areas"]

    @admin.display(boolean=True, description="Forkopimda")
    def forkopimda(self, obj: Organisation) -> bool:
        return obj.is_forkopimda


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["name", "role", "title", "organisation", "region", "active"]
    list_filter = ["role", "active"]
    search_fields = ["name", "title"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["region"]
    inlines = [PersonChannelInline]


class TeamMembershipInline(admin.TabularInline[TeamMembership, TeamDecree]):
    model = TeamMembership
    extra = 1
    raw_id_fields = ["organisation", "person"]


@admin.register(TeamDecree)
class TeamDecreeAdmin(admin.ModelAdmin[TeamDecree]):
    list_display = ["number", "year", "issued_on", "active"]
    inlines = [TeamMembershipInline]

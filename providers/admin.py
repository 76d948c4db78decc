from django.contrib import admin

from .models import Provider, ProviderMembership


class ProviderMembershipInline(admin.TabularInline):
    model = ProviderMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "provider_type", "is_local_vcs", "contact_email"]
    list_filter = ["provider_type", "is_local_vcs"]
    search_fields = ["name", "charity_number", "company_number"]
    inlines = [ProviderMembershipInline]

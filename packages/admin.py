from django.contrib import admin

from .models import Package


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["name", "value", "strand", "status", "position"]
    list_filter = ["status", "strand"]
    search_fields = ["name", "summary"]
    # Status changes go through the services (audited); managers use the
    # menu pages. The admin is for superusers correcting wording.
    readonly_fields = ["status", "slug"]

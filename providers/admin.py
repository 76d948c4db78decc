from django.contrib import admin

from .models import (
    Area,
    InsuranceCertificate,
    Language,
    PackageApplication,
    PolicyDocument,
    Provider,
    ProviderInvitation,
    ProviderMembership,
)


class ProviderMembershipInline(admin.TabularInline):
    model = ProviderMembership
    extra = 0
    raw_id_fields = ["user"]


class ReadOnlyInline(admin.TabularInline):
    """Files and decisions change only through the services (with their audit events)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CertificateInline(ReadOnlyInline):
    model = InsuranceCertificate
    fields = ["kind", "cover", "expires_on", "original_name", "uploaded_at"]


class PolicyInline(ReadOnlyInline):
    model = PolicyDocument
    fields = ["kind", "original_name", "uploaded_at"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "provider_type", "is_local_vcs", "capacity", "register_submitted_at"]
    list_filter = ["provider_type", "is_local_vcs"]
    search_fields = ["name", "charity_number", "company_number"]
    filter_horizontal = ["areas", "languages"]
    raw_id_fields = ["declared_conflicts", "register_submitted_by"]
    readonly_fields = ["exclusion_answers", "register_submitted_at", "declaration_name"]
    inlines = [ProviderMembershipInline, CertificateInline, PolicyInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]


@admin.register(PackageApplication)
class PackageApplicationAdmin(admin.ModelAdmin):
    """Read-only: every move goes through providers.services, which audits it."""

    list_display = ["provider", "package", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "package"]
    search_fields = ["provider__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProviderInvitation)
class ProviderInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "provider", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token"]
    raw_id_fields = ["invited_by", "accepted_by"]

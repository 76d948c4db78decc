"""Read-only views for superusers: every change goes through the services and pages."""

from django.contrib import admin

from .models import (
    AgreedPackage,
    BudgetStrand,
    BudgetYear,
    CapPolicyVersion,
    LedgerEntry,
    StrandAward,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    # Agreed packages, the ledger, budgets and caps change only through the
    # services, which lock, check the rules and audit. The admin only looks.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgreedPackage)
class AgreedPackageAdmin(ReadOnlyAdmin):
    list_display = [
        "organisation",
        "package",
        "value",
        "status",
        "agreed_on",
        "cap_override",
        "budget_override",
    ]
    list_filter = ["status", "cap_override", "budget_override"]
    search_fields = ["organisation__name", "package__name"]
    list_select_related = ["organisation", "package"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at", "kind", "amount", "strand", "organisation", "agreed_package", "award",
        "is_override",
    ]  # fmt: skip
    list_filter = ["kind", "is_override"]
    list_select_related = [
        "strand__budget_year",
        "organisation",
        "agreed_package__package",
        "agreed_package__organisation",
        "award",
    ]


class BudgetStrandInline(admin.TabularInline):
    model = BudgetStrand
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BudgetYear)
class BudgetYearAdmin(ReadOnlyAdmin):
    list_display = ["label", "total"]
    inlines = [BudgetStrandInline]


@admin.register(CapPolicyVersion)
class CapPolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["effective_from", "per_year", "per_period", "period_years", "basis"]


@admin.register(StrandAward)
class StrandAwardAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "organisation", "payee", "strand", "amount", "created_at"]
    list_select_related = ["organisation", "strand__budget_year"]

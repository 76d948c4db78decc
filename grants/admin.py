"""Read-only views of section B for superusers: every change goes through the manager pages."""

from django.contrib import admin

from .models import Application, CommunityOfInterest, GrantRound, RoundCriterion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommunityOfInterest)
class CommunityOfInterestAdmin(ReadOnly):
    list_display = ("name", "characteristic", "population", "population_source")
    list_filter = ("characteristic",)


@admin.register(GrantRound)
class GrantRoundAdmin(ReadOnly):
    list_display = ("name", "status", "opens_at", "closes_at", "total", "amount_per_community")
    list_filter = ("status",)


@admin.register(RoundCriterion)
class RoundCriterionAdmin(ReadOnly):
    list_display = ("title", "round", "section", "kind", "weight", "word_limit")
    list_filter = ("kind", "section")


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("__str__", "round", "status", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("organisation", "round", "round_community__community")

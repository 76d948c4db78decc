from django import forms
from django.contrib import admin

from .models import EligibilityDecision
from .services import default_valid_until, record_eligibility_decision


class EligibilityDecisionForm(forms.ModelForm):
    class Meta:
        model = EligibilityDecision
        fields = ["organisation", "outcome", "valid_from", "valid_until", "reasons"]

    def clean(self):
        cleaned = super().clean()
        # An eligible decision left without an end lasts the configured period,
        # as the service would make it; fill it in before the constraint check.
        eligible = cleaned.get("outcome") == EligibilityDecision.Outcome.ELIGIBLE
        if eligible and cleaned.get("valid_from") and not cleaned.get("valid_until"):
            cleaned["valid_until"] = default_valid_until(cleaned["valid_from"])
            self.instance.valid_until = cleaned["valid_until"]
        return cleaned


@admin.register(EligibilityDecision)
class EligibilityDecisionAdmin(admin.ModelAdmin):
    form = EligibilityDecisionForm
    list_display = [
        "organisation",
        "outcome",
        "valid_from",
        "valid_until",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["outcome"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "decided_by"]
    fields = [
        "organisation",
        "outcome",
        "valid_from",
        "valid_until",
        "reasons",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = ["decided_by", "decided_at"]

    def get_readonly_fields(self, request, obj=None):
        # A decision is a record: a new decision is a new row, never an edit.
        if obj is not None:
            return self.fields
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        # Through the service, so the decision is audited like any other.
        saved = record_eligibility_decision(
            organisation=obj.organisation,
            outcome=obj.outcome,
            decided_by=request.user,
            reasons=obj.reasons,
            valid_from=obj.valid_from,
            valid_until=obj.valid_until,
        )
        obj.pk = saved.pk

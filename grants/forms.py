"""Input shape and layout only; the rules live in rules.py and the services."""

from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govuk.forms import GovukDateField, GovukForm
from packages.money import MoneyField, format_money

from . import rules
from .fields import GovukTimeField, WholeNumberField
from .models import (
    Characteristic,
    PaymentSchedule,
)

VOICE_SETTINGS = ("backing_days", "verdict_after_months", "verdict_threshold")


class RoundForm(GovukForm):
    """A round's name, strand, dates and times (London time), money, period and schedule."""

    required_messages = {
        "name": "Enter the name of the round",
        "summary": "Enter what the round is for",
        "strand": "Select the budget strand the grants are paid from",
        "total": "Enter the total for the round",
        "amount_per_community": "Enter the amount available for each community",
        "payment_schedule": "Select how the grants are paid",
    }

    name = forms.CharField(
        label="Name of the round", max_length=150, help_text="For example, Representation 2026"
    )
    summary = forms.CharField(
        label="What the round is for",
        help_text="Shown at the top of the round's public page.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )
    strand = forms.TypedChoiceField(
        label="Which budget strand are the grants paid from?", coerce=int, widget=forms.RadioSelect
    )
    opens_on = GovukDateField(what="the date the round opens", label="Date")
    opens_time = GovukTimeField(what="the time the round opens", label="Time")
    closes_on = GovukDateField(what="the date the round closes", label="Date")
    closes_time = GovukTimeField(what="the time the round closes", label="Time")
    total = MoneyField(what="the total for the round", label="Total for the round (£)")
    amount_per_community = MoneyField(
        what="the amount for each community",
        label="Amount available for each community (£)",
        help_text="The most one community's representative can be awarded over the grant period.",
    )
    period_starts_on = GovukDateField(what="the date the grant period starts", label="Starts")
    period_ends_on = GovukDateField(what="the date the grant period ends", label="Ends")
    payment_schedule = forms.ChoiceField(
        label="How are the grants paid?",
        widget=forms.RadioSelect,
        choices=PaymentSchedule.choices,
        help_text="Each instalment is paid when the representative's monitoring report for "
        "the period is accepted.",
    )

    # The community's say (grants.voice_models): backing after the round closes, and the
    # yearly verdict on the representative.
    backing_days = WholeNumberField(
        what="the number of days",
        example="21",
        label=gettext_lazy("Days the community has to back an applicant"),
        help_text=gettext_lazy(
            "From when the round closes. The yearly verdict is open for the same number of "
            "days. Between 1 and 90; usually 21."
        ),
        min_value=rules.BACKING_DAYS[0],
        max_value=rules.BACKING_DAYS[1],
        initial=21,
    )
    verdict_after_months = WholeNumberField(
        what="the number of months",
        example="9",
        label=gettext_lazy(
            "Months into each year of the grant when the community gives its verdict"
        ),
        help_text=gettext_lazy(
            "The community is asked how well its representative represents it once a year, "
            "this many months into each year of the grant period. Between 1 and 12."
        ),
        min_value=rules.VERDICT_AFTER_MONTHS[0],
        max_value=rules.VERDICT_AFTER_MONTHS[1],
        initial=9,
    )
    verdict_threshold = forms.DecimalField(
        label=gettext_lazy("Average rating under which a review opens"),
        help_text=gettext_lazy(
            "Ratings run from 1 (very badly) to 5 (very well). A verdict whose average is "
            "under this opens a review through the concerns process. For example, 2.5."
        ),
        min_value=rules.VERDICT_THRESHOLD[0],
        max_value=rules.VERDICT_THRESHOLD[1],
        initial=Decimal("2.50"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

    def __init__(self, *args, strands, **kwargs):
        super().__init__(*args, **kwargs)
        self._voice_messages()
        self.strands = {s.pk: s for s in strands}
        self.fields["strand"].choices = [
            Choice(
                s.pk, f"{s.get_kind_display()}, {s.budget_year.label}", hint=format_money(s.amount)
            )
            for s in strands
        ]
        self.fields["strand"].error_messages["invalid_choice"] = (
            "Select a budget strand from the list"
        )
        self.fields["payment_schedule"].error_messages["invalid_choice"] = (
            "Select how the grants are paid from the list"
        )
        for name in ("name", "summary"):
            self.fields[name].error_messages["max_length"] = (
                f"{self.fields[name].label} must be {self.fields[name].max_length:,} characters "
                "or fewer"
            )
        self.helper.layout = Layout(
            Field.text("name"),
            Field.textarea("summary", rows=4),
            Field.radios("strand", legend_size=Size.SMALL),
            Fieldset(
                Field("opens_on"),
                Field.text("opens_time", field_width=5),
                legend="When does the round open? (UK time)",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("closes_on"),
                Field.text("closes_time", field_width=5),
                legend="When does the round close? (UK time)",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("total", field_width=10),
                Field.text("amount_per_community", field_width=10),
                legend="Money",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("period_starts_on"),
                Field("period_ends_on"),
                legend="The grant period",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("payment_schedule", legend_size=Size.SMALL),
            Fieldset(
                Field.text("backing_days", field_width=3),
                Field.text("verdict_after_months", field_width=3),
                Field.text("verdict_threshold", field_width=4),
                legend=_("The community's say"),
                legend_size=Size.MEDIUM,
            ),
        )

    def _voice_messages(self) -> None:
        """GOV.UK messages for the community's say, in the language of the request."""
        least_days, most_days = rules.BACKING_DAYS
        least_months, most_months = rules.VERDICT_AFTER_MONTHS
        lowest, highest = rules.VERDICT_THRESHOLD
        self.fields["backing_days"].error_messages |= {
            "required": _("Enter how many days the community has to back an applicant"),
            "invalid": _("Enter the number of days as a whole number, like 21"),
            "min_value": _("The number of days must be %(n)s or more") % {"n": least_days},
            "max_value": _("The number of days must be %(n)s or fewer") % {"n": most_days},
        }
        self.fields["verdict_after_months"].error_messages |= {
            "required": _("Enter how many months into each year the community gives its verdict"),
            "invalid": _("Enter the number of months as a whole number, like 9"),
            "min_value": _("The number of months must be %(n)s or more") % {"n": least_months},
            "max_value": _("The number of months must be %(n)s or fewer") % {"n": most_months},
        }
        invalid = _("Enter the average rating as a number, like 2.5")
        self.fields["verdict_threshold"].error_messages |= {
            "required": _("Enter the average rating under which a review opens"),
            "invalid": invalid,
            "decimal_places": _(
                "Enter the average rating to no more than 2 decimal places, like 2.25"
            ),
            "min_value": _("The average rating must be %(n)s or more") % {"n": lowest},
            "max_value": _("The average rating must be %(n)s or less") % {"n": highest},
        }

    def clean_verdict_threshold(self):
        # Checked here rather than by max_digits, which would say "digits" before the range.
        threshold = self.cleaned_data["verdict_threshold"]
        if threshold.as_tuple().exponent < -2:
            field = self.fields["verdict_threshold"]
            raise forms.ValidationError(field.error_messages["decimal_places"])
        return threshold

    def clean(self):
        cleaned = super().clean()
        for when in ("opens", "closes"):
            day, at = cleaned.get(f"{when}_on"), cleaned.get(f"{when}_time")
            if day and at is not None:
                try:
                    cleaned[f"{when}_at"] = rules.london_datetime(day, at)
                except rules.NoSuchTime as exc:
                    self.add_error(f"{when}_time", str(exc))
        needed = ("opens_at", "closes_at", "total", "amount_per_community")
        needed += ("period_starts_on", "period_ends_on")
        if all(cleaned.get(k) is not None for k in needed):
            problems = rules.round_details_problems(**{k: cleaned[k] for k in needed})
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned

    def round_data(self) -> dict:
        data = {
            k: self.cleaned_data[k]
            for k in (
                "name",
                "summary",
                "opens_at",
                "closes_at",
                "total",
                "amount_per_community",
                "period_starts_on",
                "period_ends_on",
                "payment_schedule",
                *VOICE_SETTINGS,
            )
        }
        data["strand"] = self.strands[self.cleaned_data["strand"]]
        return data


def round_initial(grant_round) -> dict:
    opens, closes = rules.in_london(grant_round.opens_at), rules.in_london(grant_round.closes_at)
    return {
        "name": grant_round.name,
        "summary": grant_round.summary,
        "strand": grant_round.strand_id,
        "opens_on": opens.date(),
        "opens_time": opens.time(),
        "closes_on": closes.date(),
        "closes_time": closes.time(),
        "total": grant_round.total,
        "amount_per_community": grant_round.amount_per_community,
        "period_starts_on": grant_round.period_starts_on,
        "period_ends_on": grant_round.period_ends_on,
        "payment_schedule": grant_round.payment_schedule,
        **{k: getattr(grant_round, k) for k in VOICE_SETTINGS},
    }


class RoundCommunitiesForm(GovukForm):
    required_messages = {"communities": "Select at least one community to open the round to"}

    communities = forms.TypedMultipleChoiceField(
        label="Which communities can organisations apply to represent?",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, communities, city: rules.CityPopulation, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pk = {c.pk: c for c in communities}
        self.fields["communities"].choices = [
            Choice(c.pk, c.name, hint=_community_hint(c, city)) for c in communities
        ]
        self.fields["communities"].error_messages["invalid_choice"] = (
            "Select communities from the list"
        )
        self.helper.layout = Layout(Field.checkboxes("communities", legend_size=Size.MEDIUM))

    def chosen(self):
        return [self.by_pk[pk] for pk in self.cleaned_data["communities"]]


def _community_hint(community, city) -> str:
    size = (
        f"{community.population:,} people ({community.population_source})"
        if community.population is not None
        else "Population not known"
    )
    below = "" if community.size_decision(city) else f"; not more than {city.threshold:,}"
    return f"{community.get_characteristic_display()}. {size}{below}."


class WithdrawForm(GovukForm):
    required_messages = {"reason": "Enter why the round is being withdrawn"}

    reason = forms.CharField(
        label="Why is the round being withdrawn?",
        help_text="If the round was published, its public page shows this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reason", rows=4))


class CommunityForm(GovukForm):
    required_messages = {
        "characteristic": "Select the protected characteristic the community is within",
        "name": "Enter the name of the community",
    }

    characteristic = forms.ChoiceField(
        label="Which protected characteristic is the community within?",
        widget=forms.RadioSelect,
        choices=Characteristic.choices,
    )
    name = forms.CharField(
        label="Name of the community",
        help_text="A specific community, such as one faith community rather than all faiths.",
        max_length=120,
        error_messages={"max_length": "The name must be 120 characters or fewer"},
    )
    description = forms.CharField(
        label="Who belongs to it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"max_length": "The description must be 2,000 characters or fewer"},
    )
    population_source = forms.CharField(
        label="Where does the figure come from?",
        help_text="For example, the 2011 census, table KS209EW. Needed if you give a figure.",
        required=False,
        max_length=200,
        error_messages={"max_length": "The source must be 200 characters or fewer"},
    )

    def __init__(self, *args, city: rules.CityPopulation, **kwargs):
        super().__init__(*args, **kwargs)
        # Made here: the most it may be is the city's population, from settings.
        field = WholeNumberField(
            what="the number of people",
            example="3,300",
            label="How many people in the city belong to it? (optional)",
            help_text="Leave empty if the council has no figure.",
            required=False,
            min_value=1,
            max_value=city.total,
        )
        field.error_messages["min_value"] = "The number of people must be 1 or more"
        self.fields["characteristic"].error_messages["invalid_choice"] = (
            "Select gender reassignment, race, religion or belief, or sexual orientation"
        )
        field.error_messages["max_value"] = (
            f"The number of people cannot be more than the city's population, {city.total:,}"
        )
        self.fields = {
            name: self.fields[name] if name != "population" else field
            for name in ("characteristic", "name", "description", "population", "population_source")
        }
        self.helper.layout = Layout(
            Field.radios("characteristic", legend_size=Size.SMALL),
            Field.text("name"),
            Field.textarea("description", rows=3),
            Field.text("population", field_width=10),
            Field.text("population_source"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("population") is not None and not cleaned.get("population_source", ""):
            self.add_error("population_source", "Enter where the population figure comes from")
        return cleaned

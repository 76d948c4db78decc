"""Applying to a round: input shape and layout only; the rules live in application_rules."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from govuk.forms import GovukForm

from . import application_rules as moves
from . import rules
from .fields import WholeNumberField
from .models import Characteristic

OTHER = "other"


def _population_field(city: rules.CityPopulation, label: str) -> WholeNumberField:
    field = WholeNumberField(
        what="the number of people",
        example="3,300",
        label=label,
        help_text=(
            f"The community must make up more than {rules.percent_words(city.percent)} of the "
            f"city's population at {city.source}: more than {city.threshold:,} people."
        ),
        required=False,
        min_value=1,
        max_value=city.total,
    )
    field.error_messages["min_value"] = "The number of people must be 1 or more"
    field.error_messages["max_value"] = (
        f"The number of people cannot be more than the city's population, {city.total:,}"
    )
    return field


SOURCE_HELP = "For example, the 2021 census, table TS031, or a survey with its date and author."


class StartForm(GovukForm):
    """Which community the organisation applies to represent, or the one it proposes."""

    required_messages = {"community": "Select the community you are applying to represent"}

    community = forms.ChoiceField(
        label="Which community are you applying to represent?", widget=forms.RadioSelect
    )
    characteristic = forms.ChoiceField(
        label="Which protected characteristic is it within?",
        widget=forms.RadioSelect,
        choices=Characteristic.choices,
        required=False,
    )
    name = forms.CharField(
        label="Name of the community",
        help_text="A specific community, such as one faith community rather than all faiths.",
        max_length=120,
        required=False,
        error_messages={"max_length": "The name must be 120 characters or fewer"},
    )
    population_source = forms.CharField(
        label="Where does the figure come from?",
        help_text=SOURCE_HELP,
        max_length=200,
        required=False,
        error_messages={"max_length": "The source must be 200 characters or fewer"},
    )

    def __init__(self, *args, round_communities, city: rules.CityPopulation, **kwargs):
        super().__init__(*args, **kwargs)
        self.round_communities = {str(rc.pk): rc for rc in round_communities}
        self.fields["community"].choices = [
            Choice(str(rc.pk), rc.community.name, hint=rc.community.get_characteristic_display())
            for rc in round_communities
        ] + [
            Choice(
                OTHER,
                "Another community, which I will propose",
                hint="Within gender reassignment, race, religion or belief, or sexual "
                "orientation. Fill in the questions below.",
            )
        ]
        self.fields["community"].error_messages["invalid_choice"] = (
            "Select a community from the list"
        )
        self.fields["characteristic"].error_messages["invalid_choice"] = (
            "Select gender reassignment, race, religion or belief, or sexual orientation"
        )
        fields = dict(self.fields)
        fields["population"] = _population_field(city, "How many people in the city belong to it?")
        self.fields = {
            k: fields[k]
            for k in ("community", "characteristic", "name", "population", "population_source")
        }
        self.helper.layout = Layout(
            Field.radios("community", legend_size=Size.MEDIUM),
            Fieldset(
                Field.radios("characteristic", legend_size=Size.SMALL),
                Field.text("name"),
                Field.text("population", field_width=10),
                Field.text("population_source"),
                legend="If you are proposing another community",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("community") != OTHER:
            return cleaned
        missing = {
            "characteristic": "Select the protected characteristic the community is within",
            "name": "Enter the name of the community you propose",
            "population": "Enter how many people in the city belong to the community",
            "population_source": "Enter where the figure comes from",
        }
        for field, message in missing.items():
            if cleaned.get(field) in (None, "") and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def choice(self):
        """(round community, None) or (None, the proposal's values)."""
        chosen = self.cleaned_data["community"]
        if chosen != OTHER:
            return self.round_communities[chosen], None
        return None, {
            k: self.cleaned_data[k]
            for k in ("characteristic", "name", "population", "population_source")
        }


class SizeForm(GovukForm):
    """The applicant's figure for the community's size, where the council has none."""

    required_messages = {
        "population": "Enter how many people in the city belong to the community",
        "population_source": "Enter where the figure comes from",
    }

    population_source = forms.CharField(
        label="Where does the figure come from?",
        help_text=SOURCE_HELP,
        max_length=200,
        error_messages={"max_length": "The source must be 200 characters or fewer"},
    )

    def __init__(self, *args, city: rules.CityPopulation, **kwargs):
        super().__init__(*args, **kwargs)
        population = _population_field(city, "How many people in the city belong to it?")
        population.required = True
        population.error_messages["required"] = self.required_messages["population"]
        self.fields = {"population": population, **self.fields}
        self.helper.layout = Layout(
            Field.text("population", field_width=10), Field.text("population_source")
        )


class AnswerForm(GovukForm):
    """One criterion's answer: the question is the page's heading, the limit in the hint."""

    DRAFT = "draft"

    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), required=False)

    def __init__(self, *args, criterion, save_as_draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.save_as_draft = save_as_draft
        field = self.fields["answer"]
        field.label = criterion.question
        field.help_text = criterion.guidance
        # GOV.UK's character count, counting words: without JavaScript it says the
        # limit; the limit itself is checked here, on the server.
        self.helper.layout = Layout(
            Field.textarea(
                "answer",
                label_size=Size.LARGE,
                label_tag="h1",
                rows=12,
                max_words=criterion.word_limit,
            )
        )

    def clean_answer(self):
        text = self.cleaned_data["answer"].strip()
        problem = moves.word_limit_problem(text, self.criterion.word_limit)
        if problem:
            raise forms.ValidationError(problem)
        if not text and not self.save_as_draft:
            raise forms.ValidationError("Enter your answer, or save as a draft to come back to it")
        return text


class ReasonForm(GovukForm):
    """A reason, required: withdrawing an application, declining a consortium request."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, label: str, required_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = label
        field.error_messages["required"] = required_message
        field.error_messages["max_length"] = "The reason must be 2,000 characters or fewer"
        self.helper.layout = Layout(Field.textarea("reason", rows=4, label_size=Size.SMALL))

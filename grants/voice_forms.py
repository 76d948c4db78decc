"""The community's voice, on the public page: input shape and layout only; the rules live in
voice_rules and are checked again by voice_services."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govuk.forms import GovukForm
from organisations.models import PostcodePrefix

from . import voice_rules

NONE_OF_THESE = "none"


class VoiceForm(GovukForm):
    """Backing (`applicants`: one of them, or none of these) or a verdict (`organisation`:
    a rating of it), an optional comment, and who the person is: postcode, two
    declarations and the email address the link goes to."""

    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    postcode = forms.CharField(
        label=gettext_lazy("Postcode where you live, work or study"),
        help_text=gettext_lazy("We keep only the first half, like LE2."),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )
    lives_in_area = forms.BooleanField()
    belongs = forms.BooleanField()
    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        help_text=gettext_lazy(
            "We email you a link to confirm your response. Each address has one response."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, consultation, applicants=(), organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        community = consultation.round_community.community.name
        area = settings.COUNCIL_AREA_NAME
        self.is_backing = consultation.is_backing
        if self.is_backing:
            self.applicants = {str(a.pk): a for a in applicants}
            choices = [(pk, a.organisation.name) for pk, a in self.applicants.items()]
            self.fields["choice"] = forms.ChoiceField(
                label=_("Which applicant do you back to represent the %(community)s?")
                % {"community": community},
                choices=[*choices, (NONE_OF_THESE, _("None of these"))],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Select the applicant you back, or none of these"),
                    "invalid_choice": _("Select one of the applicants listed"),
                },
            )
            first = "choice"
        else:
            question = _("How well does %(organisation)s represent you?") % {
                "organisation": organisation.name
            }
            self.fields["rating"] = forms.TypedChoiceField(
                label=question,
                choices=[
                    (score, voice_rules.rating_words(score))
                    for score in sorted(voice_rules.SCALE, reverse=True)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Select how well %(organisation)s represents you")
                    % {"organisation": organisation.name},
                    "invalid_choice": _("Select one of the answers listed"),
                },
            )
            first = "rating"
        self.order_fields([first, "comment", "postcode", "lives_in_area", "belongs", "email"])
        self.fields["lives_in_area"].label = _("I live, work or study in %(area)s") % {"area": area}
        self.fields["belongs"].label = _("I belong to the %(community)s") % {"community": community}
        self.fields["comment"].help_text = _(
            "Why you chose this. An officer reads each comment; assessors see it without your "
            "name or address. It is never published."
        )
        messages = {
            "postcode": _("Enter the postcode where you live, work or study"),
            "lives_in_area": _("Confirm that you live, work or study in %(area)s") % {"area": area},
            "belongs": _("Confirm that you belong to the %(community)s") % {"community": community},
            "email": _("Enter your email address"),
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address in the correct format, like name@example.com"
        )
        self.fields["email"].error_messages["max_length"] = _(
            "Your email address must be 254 characters or fewer"
        )
        self.fields["postcode"].error_messages["max_length"] = _(
            "Enter a full UK postcode, like LE1 6ZG"
        )
        self.helper.layout = Layout(
            Field.radios(first, legend_size=Size.MEDIUM, legend_tag="h2"),
            # GOV.UK's character count, counting words: without JavaScript it says the
            # limit; the limit itself is checked on the server.
            Field.textarea("comment", rows=5, max_words=voice_rules.COMMENT_WORDS),
            Field.text("postcode", field_width=10),
            Field.checkbox("lives_in_area"),
            Field.checkbox("belongs"),
            Field.text("email", field_width=20),
        )

    def clean_comment(self):
        text = self.cleaned_data["comment"].strip()
        if problem := voice_rules.comment_problem(text):
            raise forms.ValidationError(problem)
        return text

    def clean_postcode(self):
        postcode = voice_rules.normalise_postcode(self.cleaned_data["postcode"])
        table = PostcodePrefix.objects.table()
        if problem := voice_rules.postcode_problem(postcode, table, settings.COUNCIL_AREA_NAME):
            raise forms.ValidationError(problem)
        return postcode

    def said(self) -> dict:
        """The choice as send_voice takes it: the application (or none of these), or the
        rating."""
        data = self.cleaned_data
        if not self.is_backing:
            return {"rating": data["rating"]}
        choice = data["choice"]
        return {
            "application": self.applicants.get(choice),
            "none_of_these": choice == NONE_OF_THESE,
        }

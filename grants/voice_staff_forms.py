"""Council staff and the community's voice: input shape and layout only.

The rules (the window, the one-voice rule, the postcode, the moves) live in
voice_rules and are applied by the services.
"""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from govuk.forms import GovukForm

from . import voice_rules
from .voice_models import AssistedHow

NONE_OF_THESE = "none"
APPROVE, WITHHOLD = "approve", "withhold"


class ReasonForm(GovukForm):
    """The moderator's reason for setting a response aside, or counting it again."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"max_length": _("The reason must be 2,000 characters or fewer")},
    )

    def __init__(self, *args, label, help_text, missing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.fields["reason"].error_messages["required"] = missing
        self.helper.layout = Layout(Field.textarea("reason", label_size=Size.MEDIUM, rows=5))


class CommentCheckForm(GovukForm):
    """An officer's check of one comment: approve it, or withhold it with a reason."""

    required_messages = {"decision": _("Select whether to approve or withhold the comment")}

    decision = forms.ChoiceField(
        label=_("Should assessors see this comment?"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select whether to approve or withhold the comment")},
    )
    reason = forms.CharField(
        label=_("Why is it withheld? (only if you withhold it)"),
        help_text=_(
            "For example: it names or could identify a person, or it is abusive. "
            "The person who wrote it is not told."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"max_length": _("The reason must be 2,000 characters or fewer")},
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        words = {
            APPROVE: _("Approve: assessors and the moderator see it"),
            WITHHOLD: _("Withhold: nobody outside the council's officers sees it"),
        }
        self.fields["decision"].choices = [(a, words[a]) for a in allowed]
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reason", label_size=Size.SMALL, rows=4),
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == WITHHOLD and not data.get("reason", "").strip():
            self.add_error("reason", _("Enter why the comment is withheld"))
        return data


class AssistedForm(GovukForm):
    """A response an officer takes for a person on the phone or at a community event."""

    required_messages = {
        "how": _("Select how the response was taken"),
        "choice": _("Select the applicant the person backs, or none of these"),
        "rating": _("Select how well the person says the organisation represents them"),
        "postcode": _("Enter the postcode where the person lives, works or studies"),
    }

    how = forms.ChoiceField(
        label=_("How was the response taken?"),
        choices=[(AssistedHow.PHONE, _("On the phone")), (AssistedHow.EVENT, _("At an event"))],
        widget=forms.RadioSelect,
    )
    choice = forms.ChoiceField(label=_("Who does the person back?"), widget=forms.RadioSelect)
    rating = forms.TypedChoiceField(
        label=_("How well does the organisation represent them?"),
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Their comment (optional)"),
        help_text=_("In their words. An officer checks it before assessors see it."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    postcode = forms.CharField(
        label=_("Postcode where they live, work or study"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Enter a full UK postcode, like LE1 6ZG")},
    )
    email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("If they have one: kept only until the window closes."),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("The email address must be 254 characters or fewer"),
        },
    )
    name = forms.CharField(
        label=_("Their full name"),
        help_text=_(
            "Only if they have no email address: with the postcode, it stops one person "
            "responding twice. Only a keyed fingerprint of it is kept."
        ),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": _("The name must be 150 characters or fewer")},
    )

    def __init__(self, *args, applicants=None, is_backing=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_backing = is_backing
        self.applicants = {str(a.pk): a for a in applicants or []}
        if is_backing:
            del self.fields["rating"]
            self.fields["choice"].choices = [
                (str(a.pk), a.organisation.name) for a in applicants or []
            ] + [(NONE_OF_THESE, _("None of these"))]
            asked = Field.radios("choice", legend_size=Size.SMALL)
        else:
            del self.fields["choice"]
            self.fields["rating"].choices = [
                (score, voice_rules.rating_words(score))
                for score in sorted(voice_rules.SCALE, reverse=True)
            ]
            asked = Field.radios("rating", legend_size=Size.SMALL)
        self.helper.layout = Layout(
            Field.radios("how", legend_size=Size.SMALL, inline=True),
            asked,
            Field.textarea("comment", rows=5, max_words=voice_rules.COMMENT_WORDS),
            Field.text("postcode", field_width=10),
            Field.text("email", field_width=20),
            Field.text("name", field_width=20),
        )

    def clean_comment(self):
        text = self.cleaned_data["comment"].strip()
        if problem := voice_rules.comment_problem(text):
            raise forms.ValidationError(problem)
        return text

    def clean(self):
        data = super().clean()
        given = (data.get("email") or "").strip() or (data.get("name") or "").strip()
        if not given and "email" not in self.errors:
            self.add_error(
                "email", _("Enter the person's email address, or their name if they have none")
            )
        return data

    def service_fields(self) -> dict:
        """The cleaned answers as assisted_voice_services.record_assisted takes them."""
        data = self.cleaned_data
        fields = {
            "how": data["how"],
            "postcode": data["postcode"],
            "email": data.get("email", ""),
            "name": (data.get("name") or "").strip(),
            "comment": data.get("comment", ""),
        }
        if self.is_backing:
            choice = data["choice"]
            fields["application"] = None if choice == NONE_OF_THESE else self.applicants[choice]
        else:
            fields["rating"] = data["rating"]
        return fields

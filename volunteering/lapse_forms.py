"""The organisation extends a published opportunity's closing date: input shape only (the
rules are lapse_rules.extension_problem, applied by lapse_services.extend_opportunity)."""

from crispy_forms_gds.layout import Field, Layout, Size
from django.utils.translation import gettext_lazy as _

from govuk.forms import GovukDateField, GovukForm


class ExtendForm(GovukForm):
    """The new closing date."""

    ends_on = GovukDateField(
        what="the new closing date",
        label=_("New closing date"),
        hint="The opportunity closes after this day. For example, {example}",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("ends_on", legend_size=Size.MEDIUM))

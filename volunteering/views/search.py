"""The public search of volunteering opportunities and the public page of one: the
service's front door for volunteers. Open to everyone, signed in or not; the public see
published opportunities only, and nothing past its closing date (404, whoever asks)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisations.listing import page_of
from organisations.models import PriorityTheme

from .. import search_rules
from ..search_filters import OpportunitySearch
from ..search_selectors import public_opportunity, public_results


@require_GET
def search(request):
    """Published opportunities, filtered and (with keywords) best match first, a page at a
    time. Queries: the themes (the checkboxes), the count and the page (with organisation
    and theme joined in); three, whatever is chosen and however many there are."""
    today = timezone.localdate()
    themes = PriorityTheme.objects.only("slug", "name")
    found = OpportunitySearch(
        request.GET or None, queryset=public_results(today), themes=list(themes)
    )
    page = page_of(request, found.qs, per_page=search_rules.PAGE_SIZE)
    for opportunity in page:
        opportunity.where = search_rules.where_words(
            remote=opportunity.remote, district=opportunity.postcode_district
        )
        opportunity.when = search_rules.when_words(
            schedule=opportunity.schedule,
            one_off_date=opportunity.one_off_date,
            hours_a_week=opportunity.hours_a_week,
        )
    words = found.form.cleaned_data.get("q", "") if found.is_bound else ""
    return render(
        request,
        "volunteering/search.html",
        {
            "filter": found,
            "form": found.form,
            "page": page,
            "words": words,
            "narrowed": found.narrowed,
        },
    )


@require_GET
def opportunity(request, pk):
    """One published opportunity: what the volunteer will do, where, when, and who may."""
    opportunity = public_opportunity(pk, timezone.localdate())
    return render(
        request,
        "volunteering/public_opportunity.html",
        {
            "opportunity": opportunity,
            "where": search_rules.where_words(
                remote=opportunity.remote, district=opportunity.postcode_district
            ),
            "when": search_rules.when_words(
                schedule=opportunity.schedule,
                one_off_date=opportunity.one_off_date,
                hours_a_week=opportunity.hours_a_week,
            ),
            "minimum_age": search_rules.minimum_age_words(
                minimum_age=opportunity.minimum_age,
                suitable_for_under_18=opportunity.suitable_for_under_18,
            ),
        },
    )

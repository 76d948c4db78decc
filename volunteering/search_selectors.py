"""Reads for the public search: published opportunities matching keywords, best first.

Keywords are matched with PostgreSQL's full-text search, not the trigram matching
officers' lists use (organisations.listing): a volunteer types what they would like to
do ("gardening", "drivers for older people"), so words are stemmed ("gardening" finds
"Gardener") and stop words dropped, and each match is ranked by where the words are: the
title counts most, then what the volunteer will do, then the skills.

Each opportunity's document is stored in the `search_document` column, kept up to date
by a trigger and indexed (GIN, published rows only) by migration 0007_search, so both
the match and the ranking read it rather than the text. The column is outside Django's
model state (SQLite has none), so it is named here, as `DOCUMENT`. The text is read as
websearch_to_tsquery reads a search box, so quotes, "or" and a leading minus work and
nothing typed can make the query fail.

SQLite, used by the quick `make run` demo, has no full-text search: there every word
must appear in the title, description or skills, and titles containing the first word
come first.
"""

from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404

from .models import Opportunity
from .selectors import published

CONFIG = "english"
# The stored document (migration 0007_search). Named with its table: the search's queries
# read opportunities alone, joined only to their organisation and theme.
DOCUMENT = RawSQL(
    '"volunteering_opportunity"."search_document"', [], output_field=SearchVectorField()
)
SEARCH_INDEX = "opportunity_search"

# What a result shows: the card needs no more (descriptions are cut to a few lines).
RESULT_COLUMNS = (
    "title",
    "description",
    "remote",
    "postcode_district",
    "schedule",
    "one_off_date",
    "hours_a_week",
    "ends_on",
    "minimum_age",
    "suitable_for_under_18",
    "dbs_needed",
    "organisation__name",
    "theme__name",
)


def full_text(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def public_results(today: date) -> QuerySet:
    """Published opportunities not past their closing date, closing soonest first, with
    only what a result shows."""
    return published(today).only(*RESULT_COLUMNS)


def matching(queryset: QuerySet, words: str) -> QuerySet:
    """The rows of `queryset` matching `words`, best first (then closing soonest)."""
    if not words:
        return queryset
    if full_text(queryset):
        query = SearchQuery(words, search_type="websearch", config=CONFIG)
        return (
            queryset.alias(document=DOCUMENT)
            .filter(document=query)
            .annotate(rank=SearchRank(DOCUMENT, query))
            .order_by(F("rank").desc(), "ends_on", "id")
        )
    condition = Q()
    for word in words.split():
        condition &= (
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(skills_wanted__icontains=word)
            | Q(skills_gained__icontains=word)
        )
    first = words.split()[0]
    in_title = Case(
        When(title__icontains=first, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        queryset.filter(condition).annotate(in_title=in_title).order_by("in_title", "ends_on", "id")
    )


def public_opportunity(pk: int, today: date) -> Opportunity:
    """One opportunity the public may see (published, not past its closing date), with its
    organisation and theme; anything else is 404, whoever asks."""
    return get_object_or_404(published(today), pk=pk)

"""Long lists, for every app: one page at a time, a search term, ranked matching, row links.

Every officer and manager list shows at most PAGE_SIZE rows, so a page's size
and its queries stay the same whether the city has 300 organisations or 30,000.

Search is PostgreSQL trigram matching (pg_trgm), not full-text search. What
officers type is a name, part of one, or an identifier: a charity number, a
postcode, an email address. Full-text search splits text into stemmed words, so
it finds neither "ood ban" in "Food Bank" nor a misspelt name, and identifiers
are not words. A GIN trigram index on UPPER(name) (the expression Django's
icontains compares) answers any substring, and word similarity finds names
despite a typo. Identifiers are matched exactly through ordinary B-tree indexes.

The typo-tolerant match runs only when the plain one finds nothing (`similar`),
and the page says so. Put in one OR with the rest, it makes PostgreSQL's
planner, which cannot see how dear the similarity operator is per row, read the
whole table: 200-300 ms at 30,000 organisations, against a few milliseconds
through the indexes. SQLite, used by the quick demo, has no trigrams: there the
same conditions run as plain case-insensitive matching and nothing is "similar".
"""

import re
from collections.abc import Callable

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Case, F, Index, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Upper
from django.urls import reverse

PAGE_SIZE = 50
# Longer than any name or email on the register; a pasted essay is cut, not searched.
MAX_TERM = 100


def page_of(request, rows, per_page: int | None = None) -> Page:
    """The page asked for in ?page= (the first if it is not a number, the last if past the end)."""
    return Paginator(rows, per_page or PAGE_SIZE).get_page(request.GET.get("page"))


def search_term(request, name: str = "q") -> str:
    """What was typed in the search field, spaces collapsed, at most MAX_TERM characters."""
    return " ".join(request.GET.get(name, "").split())[:MAX_TERM]


def searched_page(request, matches, similar=None) -> tuple[Page, bool]:
    """The page of `matches`; when there are none, of the `similar` rows, and True.

    Queries: the count and the page, and when nothing matched, the count and
    the page of the similar rows.
    """
    page = page_of(request, matches)
    if page.paginator.count or similar is None:
        return page, False
    return page_of(request, similar), True


def path_maker(viewname: str, *args) -> Callable[[int], str]:
    """A function from a pk to the path of `viewname` for it, with one reverse() in all.

    A long table would otherwise resolve the URLconf once a row; the path is
    the same but for the number, so it is reversed once with a placeholder.
    `args` are the URL's arguments before the row's own (the agreed package
    whose providers are listed).
    """
    placeholder = 987654321
    before, after = reverse(viewname, args=[*args, placeholder]).rsplit(str(placeholder), 1)
    return lambda pk: f"{before}{pk}{after}"


def link_each(rows, viewname: str, *, key: str = "pk", to: str = "url"):
    """Give each row `to`: the path of `viewname` for its `key`, with one reverse() in all.

    For tables rendered by a shared template (includes/ledger_table.html) that
    reads the link from the row. Returns the rows.
    """
    path = path_maker(viewname)
    for row in rows:
        setattr(row, to, path(getattr(row, key)))
    return rows


# --- Indexes and conditions


def upper_index(column: str, name: str) -> Index:
    """A B-tree on UPPER(column): what iexact compares (an email address typed in full)."""
    return Index(Upper(column), name=name)


def uses_trigrams(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def name_contains(term: str, *paths: str) -> Q:
    """Any of the names at `paths` contains `term` (index-backed on PostgreSQL: see above)."""
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__icontains": term})
    return condition


def identifier_matches(term: str) -> Q:
    """A charity or company number or a contact email typed in full (organisations, providers).

    Numbers are compared as stored: spaces removed, capitals, short company
    numbers padded with zeros (validators.py). Each has its own index.
    """
    compact = re.sub(r"\s+", "", term).upper()
    if "@" in term:
        return Q(contact_email__iexact=term)
    if not compact.isalnum():
        return Q()
    company = compact.zfill(8) if compact.isdigit() and len(compact) < 8 else compact
    return Q(charity_number=compact) | Q(company_number=company)


def _closeness(queryset: QuerySet, term: str, name: str):
    if uses_trigrams(queryset):
        return TrigramWordSimilarity(term, name)
    return Case(
        When(**{f"{name}__istartswith": term}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def ranked(queryset: QuerySet, term: str, *, exact: Q, contains: Q, name: str = "name"):
    """The rows matching `exact` or `contains`, best first.

    First the rows matched exactly (an identifier typed in full); then by how
    closely the name matches (trigram word similarity; "starts with" on SQLite),
    so "Food Bank" comes before "Seafood Social Club"; then by name.
    """
    exact_match = (
        Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
        if exact
        else Value(1)
    )
    return (
        queryset.filter(exact | contains)
        .annotate(exact_match=exact_match, closeness=_closeness(queryset, term, name))
        .order_by("exact_match", F("closeness").desc(), name, "pk")
    )


def similar(queryset: QuerySet, term: str, *, name: str = "name"):
    """Rows whose name resembles `term` (a typo, a word missing), closest first.

    PostgreSQL's word similarity (UPPER(name) %> term, the trigram index's
    expression); on SQLite, none.
    """
    if not uses_trigrams(queryset):
        return queryset.none()
    return (
        queryset.alias(_name_upper=Upper(name))
        .filter(_name_upper__trigram_word_similar=term)
        .annotate(closeness=TrigramWordSimilarity(term, name))
        .order_by(F("closeness").desc(), name, "pk")
    )

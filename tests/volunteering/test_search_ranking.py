"""Keyword search: stemmed words found, best match first (title, then what the volunteer
will do, then skills), read through the GIN index on published rows; and the SQLite
fallback's every-word matching."""

import pytest
from django.db import connection
from django.utils import timezone

from volunteering import search_selectors
from volunteering.models import Opportunity
from volunteering.search_selectors import SEARCH_INDEX, matching, public_results

from .search_support import copies, live
from .support import broker_for, drafted

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


def _found(words: str) -> list[str]:
    return [o.title for o in matching(public_results(timezone.localdate()), words)]


def test_the_title_counts_most_then_the_description_then_the_skills(world, broker):
    live(world, broker, "Befriender", skills_gained="Gardening at the home")
    live(world, broker, "Community garden volunteer")
    live(world, broker, "Lunch club helper", description="Serve lunch, then tend the garden.")
    assert _found("garden") == [
        "Community garden volunteer",
        "Lunch club helper",
        "Befriender",
    ]


def test_words_are_stemmed_and_stop_words_ignored(world, broker):
    live(world, broker, "Gardener for the allotments")
    assert _found("gardening") == ["Gardener for the allotments"]
    assert _found("the gardens") == ["Gardener for the allotments"]


def test_every_word_must_match_unless_or_is_typed(world, broker):
    live(world, broker, "Garden helper")
    live(world, broker, "Minibus driver")
    assert _found("garden driver") == []
    assert sorted(_found("garden or driver")) == ["Garden helper", "Minibus driver"]
    assert _found("-garden helper") == []
    assert _found('"minibus driver"') == ["Minibus driver"]


def test_only_published_rows_are_searched(world, broker):
    drafted(world, title="Garden draft")
    live(world, broker, "Garden helper")
    assert _found("garden") == ["Garden helper"]


def test_equal_matches_close_soonest_first(world, broker):
    later = live(world, broker, "Garden helper")
    sooner = copies(later, 1, ends_on=later.ends_on - timezone.timedelta(days=5))[0]
    found = list(matching(public_results(timezone.localdate()), "garden"))
    assert [o.pk for o in found] == [sooner.pk, later.pk]


def test_the_document_follows_every_change_to_the_text_however_it_is_written(world, broker):
    """The trigger keeps each stored document up to date: a row inserted in bulk, and the
    text changed by an UPDATE that never passes through the model."""
    (copy,) = copies(live(world, broker, "Garden helper"), 1, title="Minibus driver")
    assert _found("minibus") == ["Minibus driver"]
    Opportunity.objects.filter(pk=copy.pk).update(
        title="Dog walker", skills_gained="Knowing the parks"
    )
    assert _found("minibus") == []
    assert _found("dog") == ["Dog walker"]
    assert _found("parks") == ["Dog walker"]


def test_the_keyword_search_can_be_answered_from_its_gin_index(world, broker):
    """With sequential scans made (almost) unthinkable, the plan reads the search's index
    on the stored document (migration 0007_search). A table this small is scanned anyway;
    at city scale the index is what keeps the search fast."""
    copies(live(world, broker, "Garden helper"), 5)
    copies(live(world, broker, "Minibus driver"), 200)
    with connection.cursor() as cursor:
        # Rows just inserted wait in the GIN index's pending list, which the planner
        # counts against it until (auto)vacuum merges them in: merged here at once.
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [SEARCH_INDEX])
        cursor.execute("ANALYZE volunteering_opportunity")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching(public_results(timezone.localdate()), "garden").explain()
    assert SEARCH_INDEX in plan, plan
    assert "Seq Scan" not in plan, plan


def test_without_full_text_search_every_word_must_appear_and_titles_come_first(
    world, broker, monkeypatch
):
    """SQLite (the quick demo) has no full-text search: the fallback, run here on PostgreSQL
    by pretending otherwise."""
    monkeypatch.setattr(search_selectors, "full_text", lambda queryset: False)
    live(world, broker, "Lunch club helper", description="Serve lunch, then tend the garden.")
    live(world, broker, "Community garden volunteer")
    live(world, broker, "Minibus driver")
    assert _found("garden") == ["Community garden volunteer", "Lunch club helper"]
    assert _found("GARDEN lunch") == ["Lunch club helper"]
    assert _found("astronaut") == []


def test_a_search_with_no_words_is_every_published_opportunity(world, broker):
    live(world, broker, "Garden helper")
    assert _found("") == ["Garden helper"]
    assert Opportunity.objects.count() == 1

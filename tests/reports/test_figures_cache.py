"""Report figures kept until the data changes (reports/figures_cache.py).

The test suite runs with the cache off (settings_test: a test's transaction is
never committed, so the data version would never move); these tests turn it
on and run the commit hooks as a commit would (`committed` below).
"""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allowances.ledger import post
from allowances.models import LedgerKind
from delivery.models import ProviderRequest, RequestStatus
from notifications.models import Notification
from organisations.models import PriorityTheme
from reports import figures_cache
from tests.conftest import client_for
from tests.factories import AgreedPackageFactory, FailedNotificationFactory, ProviderFactory

from . import test_open_data_files as open_data_tests
from .conftest import YEAR, theme


@pytest.fixture
def kept(settings):
    settings.REPORT_FIGURES_SECONDS = 600


@pytest.fixture
def world(kept, hand_ledger):
    """The hand-worked ledger as if committed: its new data version taken, and
    nothing left waiting for a commit that a test's transaction never makes."""
    waiting, connection.run_on_commit = connection.run_on_commit, []
    if any(func is figures_cache.bump for _, func, _ in waiting):
        figures_cache.bump()
    return hand_ledger


@contextmanager
def committed():
    """Run what waits for the commit, as a commit would, and leave nothing waiting."""
    with TestCase.captureOnCommitCallbacks(execute=True) as hooks:
        yield hooks
    connection.run_on_commit = []


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_figures_are_worked_out_once_until_something_changes(db, world):
    compute, calls = counter()
    assert figures_cache.figures("t", {"year": YEAR}, compute) == 1
    assert figures_cache.figures("t", {"year": YEAR}, compute) == 1
    # Other parameters are other figures.
    assert figures_cache.figures("t", {"year": YEAR - 1}, compute) == 2
    org = world["orgs"][0]
    with TestCase.captureOnCommitCallbacks(execute=False) as hooks:
        # Not yet committed: the figures stay those of the committed data.
        org.name = "Alpha Trust (renamed)"
        org.save()
        assert figures_cache.figures("t", {"year": YEAR}, compute) == 1
    assert len(hooks) == 1
    assert figures_cache.figures("t", {"year": YEAR}, compute) == 1


def test_a_committed_change_to_any_watched_model_moves_the_version(db, world):
    compute, calls = counter()
    figures_cache.figures("t", {}, compute)
    with committed() as hooks:
        org = world["orgs"][0]
        org.postcode = "LE3 9ZZ"
        org.save()
        org.save()  # a second save in the same transaction: one new version, not two
    assert len(hooks) == 1
    assert figures_cache.figures("t", {}, compute) == 2
    with committed():
        post(agreed=world["agreed"][2], kind=LedgerKind.RELEASE, amount=Decimal("1.00"))
    assert figures_cache.figures("t", {}, compute) == 3
    with committed():  # a theme added: m2m
        org.priority_themes.add(theme("sport"))
    assert figures_cache.figures("t", {}, compute) == 4
    with committed():
        PriorityTheme.objects.get(slug="sport").delete()
    assert figures_cache.figures("t", {}, compute) == 5


def test_changes_no_report_reads_leave_the_figures_alone(db, world):
    compute, calls = counter()
    figures_cache.figures("t", {}, compute)
    manager = world["manager"]
    with committed() as hooks:
        manager.save(update_fields=["last_login"])  # signing in
        FailedNotificationFactory()  # the outbox
    assert hooks == []
    assert figures_cache.figures("t", {}, compute) == 1
    assert Notification.objects.exists()


def test_figures_worked_out_across_a_commit_are_not_kept_under_the_newer_version(db, kept):
    """The version is read before the rows: figures that may include a change
    committed meanwhile are stored under the older version, so the next request,
    seeing the newer one, works them out again."""
    calls = []

    def compute_while_someone_commits():
        calls.append(1)
        if len(calls) == 1:
            figures_cache.bump()  # another transaction's commit hook, mid-way
        return len(calls)

    figures_cache.bump()
    assert figures_cache.figures("t", {}, compute_while_someone_commits) == 1
    assert figures_cache.figures("t", {}, compute_while_someone_commits) == 2
    assert figures_cache.figures("t", {}, compute_while_someone_commits) == 2


def test_with_the_cache_off_figures_are_worked_out_every_time(db, settings):
    settings.REPORT_FIGURES_SECONDS = 0
    compute, calls = counter()
    figures_cache.figures("t", {}, compute)
    figures_cache.figures("t", {}, compute)
    assert len(calls) == 2


def test_a_cache_that_cannot_be_read_still_gives_the_figures(db, kept):
    compute, calls = counter()
    outside_a_transaction = mock.Mock(in_atomic_block=False)
    with (
        mock.patch.object(
            figures_cache.transaction, "get_connection", return_value=outside_a_transaction
        ),
        mock.patch(
            "django.core.cache.backends.db.DatabaseCache.get_many", side_effect=DatabaseError
        ),
    ):
        assert figures_cache.figures("t", {}, compute) == 1
        assert figures_cache.figures("t", {}, compute) == 2


def test_a_version_that_cannot_be_replaced_clears_the_kept_figures(db, kept):
    compute, calls = counter()
    figures_cache.figures("t", {}, compute)
    outside_a_transaction = mock.Mock(in_atomic_block=False)
    with (
        mock.patch.object(
            figures_cache.transaction, "get_connection", return_value=outside_a_transaction
        ),
        mock.patch("django.core.cache.backends.db.DatabaseCache.set", side_effect=DatabaseError),
    ):
        figures_cache.bump()
    assert figures_cache.figures("t", {}, compute) == 2


def breakdown_page(client, dimension="provider"):
    return client.get(reverse(f"reports:breakdown_{dimension}"), {"year": YEAR})


def test_the_breakdown_shows_a_provider_accepting_once_it_is_committed(db, world):
    """No ledger entry moves when a provider accepts, but the money moves rows."""
    client = client_for(world["manager"])
    before = {row.label for row, _ in breakdown_page(client).context["rows"]}
    assert before == {"No provider has accepted yet"}
    with committed():
        provider = ProviderFactory(name="Fosse Consulting")
        ProviderRequest.objects.create(
            agreed_package=world["agreed"][2], provider=provider,
            requested_by=world["officer"], status=RequestStatus.ACCEPTED,
            responded_at=timezone.now(), planned_start=date(2025, 9, 1),
            planned_end=date(2025, 10, 1),
        )  # fmt: skip
    after = {row.label: row for row, _ in breakdown_page(client).context["rows"]}
    assert after["Fosse Consulting"].commitments == Decimal("2000.00")


def test_kept_figures_save_the_grouping_queries(db, world):
    """Warm: the session, the user, the second factor, the years, the filter's
    and one read of the version and the figures together."""
    client = client_for(world["manager"])
    url = reverse("reports:breakdown_theme")
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url, {"year": YEAR})
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url, {"year": YEAR})
    assert [r.label for r, _ in first.context["rows"]] == [
        r.label for r, _ in second.context["rows"]
    ]
    grouping = [q for q in warm.captured_queries if "GROUP BY" in q["sql"]]
    assert grouping == []
    print([q["sql"][:80] for q in warm.captured_queries])
    assert len(warm) < len(cold)


def test_the_ledger_page_counts_and_sums_from_kept_figures_but_lists_the_ledger(db, world):
    client = client_for(world["manager"])
    url = reverse("reports:ledger")
    first = client.get(url, {"year": YEAR})
    with mock.patch("reports.breakdown_views.totals", side_effect=AssertionError):
        second = client.get(url, {"year": YEAR})
    assert second.context["page"].paginator.count == first.context["page"].paginator.count == 7
    assert second.context["total"] == first.context["total"]
    assert [e.pk for e in second.context["page"]] == [e.pk for e in first.context["page"]]


def test_every_agreed_package_made_by_a_factory_moves_the_version(db, world):
    compute, calls = counter()
    figures_cache.figures("t", {}, compute)
    with committed():
        AgreedPackageFactory(organisation=world["orgs"][1])
    assert figures_cache.figures("t", {}, compute) == 2


@pytest.mark.usefixtures("open_data_storage")
@pytest.mark.parametrize(
    "change",
    [
        open_data_tests._ledger_entry,
        open_data_tests._renamed_organisation,
        open_data_tests._renamed_package,
        open_data_tests._provider_accepted,
        open_data_tests._delivery_period_changed,
    ],
)
def test_the_open_data_page_sees_each_committed_change_the_files_show(db, world, change):
    client = client_for(world["manager"])
    with committed():
        open_data_tests.built_now("360giving_json")
    assert "Up to date" in open_data_tests.page(client)
    assert "Up to date" in open_data_tests.page(client)  # kept
    with committed():
        change(world)
    assert "Built before the latest changes" in open_data_tests.page(client)


@pytest.mark.usefixtures("open_data_storage")
def test_the_open_data_page_sees_new_settings_without_a_data_change(db, world, settings):
    client = client_for(world["manager"])
    with committed():
        open_data_tests.built_now("360giving_json")
    assert "Up to date" in open_data_tests.page(client)
    settings.OPEN_DATA_PREFIX = "360G-ExampleBC"
    assert "Built before the latest changes" in open_data_tests.page(client)

"""Publishing open data: a manager prepares a release, checks what changed, publishes it.

Preparing only queues a task (Celery runs it at once in tests); the task writes
every file of the release into storage under releases/<id>/ and counts the
grants added, changed and withdrawn since the last published release. The
public page serves, for each file, the one in the newest published release.
"""

import hashlib
import json
from datetime import date, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from allowances.services import cancel_agreed_package
from audit.models import AuditEvent
from reports import open_data_files
from reports.models import OpenDataKind, OpenDataRelease, OpenDataReleaseFile, ReleaseStatus
from reports.open_data import grant_identifier
from reports.open_data_releases import (
    ReleaseBusy,
    ReleaseNotReady,
    prepare_release,
    publish_release,
)
from tests.conftest import client_for
from tests.factories import AgreedPackageFactory, BudgetYearFactory

from .conftest import YEAR, at

pytestmark = pytest.mark.usefixtures("open_data_storage")

RELEASES = reverse("reports:open_data_releases")
PREPARE = reverse("reports:open_data_release_prepare")
RELEASE_KINDS = {OpenDataKind.GRANTS_JSON, OpenDataKind.GRANTS_XLSX, OpenDataKind.TRANSPARENCY_CSV}
# Nothing is sent to a worker: the release stays PREPARING, as while a worker is busy.
NO_WORKER = "reports.tasks.prepare_open_data_release.delay"


def prepared(manager, year=None) -> OpenDataRelease:
    """A release prepared through the service, its task run at once (as in every test)."""
    release = prepare_release(by=manager, year=year)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.READY, release.error
    return release


def published(manager, year=None) -> OpenDataRelease:
    return publish_release(prepared(manager, year), by=manager)


def stored(name: str) -> bytes:
    with open_data_files.storage().open(name, "rb") as f:
        return f.read()


def grant_ids(release: OpenDataRelease, year=None) -> set[str]:
    file = release.files.get(kind=OpenDataKind.GRANTS_JSON, year=year)
    return {g["id"] for g in json.loads(stored(file.name))["grants"]}


def files_in_storage(release: OpenDataRelease) -> list[str]:
    try:
        return sorted(open_data_files.storage().listdir(f"releases/{release.pk}")[1])
    except FileNotFoundError:
        return []


def release_url(release, verb=None) -> str:
    name = f"reports:open_data_release_{verb}" if verb else "reports:open_data_release"
    return reverse(name, args=[release.pk])


def public(filename: str):
    return client_for(None).get(reverse("open_data:file", args=[filename]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Preparing: every file of the scope, and what changed


def test_preparing_one_year_writes_its_three_files_and_counts_every_grant_added(hand_ledger):
    client = client_for(hand_ledger["manager"])
    response = client.post(PREPARE, {"scope": str(YEAR)})
    release = OpenDataRelease.objects.get()
    assert response.status_code == 302 and response.url == release_url(release)
    assert release.status == ReleaseStatus.READY
    assert release.year == YEAR and release.prepared_by == hand_ledger["manager"]
    assert release.ready_at is not None and release.fingerprint == open_data_files.fingerprint()

    files = list(release.files.all())
    assert {(f.kind, f.year) for f in files} == {(kind, YEAR) for kind in RELEASE_KINDS}
    for f in files:
        data = stored(f.name)
        assert f.name.startswith(f"releases/{release.pk}/")
        assert f.size == len(data) and f.sha256 == hashlib.sha256(data).hexdigest()
        assert f.rows == 3  # A, C and D: B's package was cancelled
    # Beside the 360Giving JSON, the grants' digests to compare the next release with.
    assert files_in_storage(release) == sorted(
        ["360giving-2025.json", "360giving-2025.xlsx", "transparency-code-grants-2025.csv"]
        + ["grant-digests-2025.tsv"]
    )

    # The first release: every grant is new.
    pa, _, pc, pd = hand_ledger["agreed"]
    assert (release.added, release.changed, release.withdrawn) == (3, 0, 0)
    assert release.compared_with is None
    assert release.examples["added"] == [
        [grant_identifier(p.pk), f"{p.package.name} for {p.organisation.name}"]
        for p in sorted([pa, pc, pd], key=lambda p: grant_identifier(p.pk))
    ]
    html = client.get(release_url(release)).content.decode()
    assert "Check release R" in html and "Grants added: 3" in html
    assert "Nothing has been published for these years before" in html
    assert "Publish this release" in html


def test_preparing_every_year_writes_three_files_for_each_year_and_for_all(hand_ledger):
    BudgetYearFactory(start_year=YEAR + 1)  # a year with no grants yet
    response = client_for(hand_ledger["manager"]).post(PREPARE, {"scope": "all"})
    release = OpenDataRelease.objects.get()
    assert response.url == release_url(release)
    assert release.year is None and release.status == ReleaseStatus.READY
    years = [None, YEAR, YEAR + 1]
    assert release.files.count() == 3 * len(years)
    assert {(f.kind, f.year) for f in release.files.all()} == {
        (kind, year) for kind in RELEASE_KINDS for year in years
    }
    rows = {(f.kind, f.year): f.rows for f in release.files.all()}
    assert rows[OpenDataKind.GRANTS_JSON, None] == rows[OpenDataKind.GRANTS_JSON, YEAR] == 3
    assert rows[OpenDataKind.TRANSPARENCY_CSV, YEAR + 1] == 0
    in_storage = files_in_storage(release)
    for f in release.files.all():
        assert f.name.removeprefix(f"releases/{release.pk}/") in in_storage
    # Compared on the every-year file.
    assert (release.added, release.changed, release.withdrawn) == (3, 0, 0)


def error_summary(response) -> str:
    """The page's GOV.UK error summary, from its opening tag to its list's end ("" if none)."""
    html = response.content.decode()
    start = html.find('<div class="govuk-error-summary" data-module="govuk-error-summary">')
    if start == -1:
        return ""
    return html[start : html.find("</ul>", start)]


@pytest.mark.parametrize(
    "scope, message",
    [
        ({}, "Select which years the release is for"),
        ({"scope": ""}, "Select which years the release is for"),
        ({"scope": "1999"}, "Select every year, or one of the budget years listed"),
        ({"scope": "every"}, "Select every year, or one of the budget years listed"),
    ],
)
def test_a_scope_not_offered_is_asked_for_again_and_prepares_nothing(hand_ledger, scope, message):
    response = client_for(hand_ledger["manager"]).post(PREPARE, scope)
    assert response.status_code == 200
    assert not OpenDataRelease.objects.exists()
    summary = error_summary(response)
    # The summary is an alert (govuk-frontend focuses it on load) linking to the first radio.
    assert '<div role="alert">' in summary
    assert f'<a href="#id_scope_1">{message}</a>' in summary
    html = response.content.decode()
    assert "<title>Error: Publish open data" in html and "Error: Error:" not in html
    assert 'id="id_scope_1"' in html  # the link's target is on the page
    assert html.count(message) == 2  # in the summary, and by the radios
    assert '<span id="id_scope_1_error" class="govuk-error-message">' in html
    assert "govuk-form-group--error" in html


def test_the_prepare_form_offers_every_year_and_each_budget_year(hand_ledger):
    html = client_for(hand_ledger["manager"]).get(RELEASES).content.decode()
    assert 'value="all"' in html and f'value="{YEAR}"' in html
    assert "2025/26 only" in html
    assert "govuk-error-summary" not in html


def test_a_cancellation_since_the_last_published_release_is_one_withdrawn(hand_ledger):
    manager = hand_ledger["manager"]
    first = published(manager, YEAR)
    pc = hand_ledger["agreed"][2]
    cancel_agreed_package(pc, by=hand_ledger["officer"], reason="The group closed.")

    second = prepared(manager, YEAR)
    assert (second.added, second.changed, second.withdrawn) == (0, 0, 1)
    assert second.compared_with == first
    assert second.examples["withdrawn"] == [[grant_identifier(pc.pk), "Finance for Gamma CIC"]]
    assert grant_identifier(pc.pk) in grant_ids(first, YEAR)
    assert grant_identifier(pc.pk) not in grant_ids(second, YEAR)
    assert second.files.get(kind=OpenDataKind.TRANSPARENCY_CSV).rows == 2

    html = client_for(manager).get(release_url(second)).content.decode()
    assert f"Compared with release {first.reference}" in html
    assert "Grants withdrawn: 1" in html
    assert f"Finance for Gamma CIC ({grant_identifier(pc.pk)})" in html


def test_an_organisation_that_renames_itself_changes_its_own_grants_and_no_others(hand_ledger):
    manager, officer = hand_ledger["manager"], hand_ledger["officer"]
    alpha = hand_ledger["orgs"][0]
    with time_machine.travel(at(date(2025, 6, 1)), tick=False):
        second_of_alpha = AgreedPackageFactory(
            organisation=alpha, package=hand_ledger["packages"]["volunteers"],
            agreed_by=officer, on=date(2025, 6, 1),
        )  # fmt: skip
    first = published(manager, YEAR)
    assert first.added == 4

    alpha.name = "Alpha Trust (Leicester)"
    alpha.save()
    release = prepared(manager, YEAR)
    assert (release.added, release.changed, release.withdrawn) == (0, 2, 0)
    changed = dict(release.examples["changed"])
    assert changed == {
        grant_identifier(hand_ledger["agreed"][0].pk): "Finance for Alpha Trust (Leicester)",
        grant_identifier(second_of_alpha.pk): "Volunteers for Alpha Trust (Leicester)",
    }


def test_a_change_to_something_not_published_changes_nothing(hand_ledger):
    manager = hand_ledger["manager"]
    first = published(manager, YEAR)
    alpha = hand_ledger["orgs"][0]
    # A day later, so the grant's dateModified (to the second) moves with the save.
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        alpha.contact_email = "new-contact@example.org"
        alpha.contact_phone = "0116 496 0999"
        alpha.save()  # moves the organisation's updated_at, and so the grant's dateModified
        release = prepared(manager, YEAR)
    assert (release.added, release.changed, release.withdrawn) == (0, 0, 0)

    def alpha_grant(r):
        grants = json.loads(stored(r.files.get(kind=OpenDataKind.GRANTS_JSON).name))["grants"]
        return next(g for g in grants if g["recipientOrganization"][0]["name"] == "Alpha Trust")

    before, after = alpha_grant(first), alpha_grant(release)
    assert after["dateModified"] != before["dateModified"]  # only when it was read moved
    assert datetime.fromisoformat(after["dateModified"]) >= alpha.updated_at.replace(microsecond=0)
    assert {k: v for k, v in after.items() if k != "dateModified"} == {
        k: v for k, v in before.items() if k != "dateModified"
    }


# --- Publishing and discarding


def test_publishing_is_an_audit_event_and_the_public_page_then_serves_the_release(hand_ledger):
    manager = hand_ledger["manager"]
    release = prepared(manager, YEAR)
    assert public("360giving-2025.json").status_code == 404  # ready is not published

    client = client_for(manager)
    response = client.post(release_url(release, "publish"), follow=True)
    assert response.redirect_chain == [(release_url(release), 302)]
    assert "Release published. Anyone can now download its files." in response.content.decode()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED
    assert release.published_by == manager and release.published_at is not None

    event = AuditEvent.objects.get(action="open_data_release.published")
    assert event.actor == manager
    assert (event.object_type, event.object_id) == ("reports.opendatarelease", str(release.pk))
    assert (event.from_state, event.to_state) == ("ready", "published")
    assert event.data == {"year": YEAR, "added": 3, "changed": 0, "withdrawn": 0}

    served = public("360giving-2025.json")
    assert served.status_code == 200
    assert body(served) == stored(release.files.get(kind=OpenDataKind.GRANTS_JSON).name)


def test_publishing_a_release_still_being_prepared_is_refused_and_changes_nothing(hand_ledger):
    manager = hand_ledger["manager"]
    with mock.patch(NO_WORKER):
        release = prepare_release(by=manager, year=YEAR)
    client = client_for(manager)
    html = client.get(release_url(release)).content.decode()
    assert "This release is being prepared" in html
    assert "Publish this release" not in html

    response = client.post(release_url(release, "publish"))
    assert response.status_code == 200
    reason = "A release that is being prepared cannot be published."
    summary = error_summary(response)
    assert '<div role="alert">' in summary
    assert f'<a href="#status">{reason}</a>' in summary
    assert 'id="status"' in response.content.decode()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PREPARING
    assert release.published_at is None and release.published_by is None
    assert not AuditEvent.objects.filter(action__startswith="open_data_release").exists()
    assert public("360giving-2025.json").status_code == 404
    with pytest.raises(ReleaseNotReady):
        publish_release(release, by=manager)


@pytest.mark.parametrize("status", [ReleaseStatus.PUBLISHED, ReleaseStatus.DISCARDED])
def test_a_release_published_or_discarded_cannot_move_again(hand_ledger, status):
    manager = hand_ledger["manager"]
    release = prepared(manager, YEAR)
    client = client_for(manager)
    verb = "publish" if status == ReleaseStatus.PUBLISHED else "discard"
    client.post(release_url(release, verb))
    events = AuditEvent.objects.count()
    for again, done in (("publish", "published"), ("discard", "discarded")):
        response = client.post(release_url(release, again))
        assert response.status_code == 200
        label = ReleaseStatus(status).label.lower()
        reason = f"A release that is {label} cannot be {done}."
        assert f'<a href="#status">{reason}</a>' in error_summary(response)
        assert "Publish this release" not in response.content.decode()
    release.refresh_from_db()
    assert release.status == status
    assert AuditEvent.objects.count() == events


def test_a_second_prepare_while_one_is_preparing_is_refused_with_the_reason(hand_ledger):
    manager = hand_ledger["manager"]
    client = client_for(manager)
    with mock.patch(NO_WORKER) as delay:
        client.post(PREPARE, {"scope": str(YEAR)})
        response = client.post(PREPARE, {"scope": "all"})
    assert delay.call_count == 1
    assert response.status_code == 200
    reason = "Another release is being prepared. Wait for it to be ready, then prepare this one."
    assert f'<a href="#preparing">{reason}</a>' in error_summary(response)
    html = response.content.decode()
    assert 'id="preparing"' in html
    assert "is being prepared." in html and "Prepare a release" not in html  # no form
    only = OpenDataRelease.objects.get()
    assert only.status == ReleaseStatus.PREPARING and only.year == YEAR
    with pytest.raises(ReleaseBusy):
        prepare_release(by=manager, year=None)

    # One lost (a worker died) no longer blocks the next, after a while: it is set aside.
    OpenDataRelease.objects.update(prepared_at=timezone.now() - timedelta(hours=1))
    assert prepared(manager, None).status == ReleaseStatus.READY
    only.refresh_from_db()
    assert only.status == ReleaseStatus.FAILED
    assert "No worker finished preparing it in time" in only.error


def test_when_the_queue_is_down_no_release_is_left_and_the_page_says_try_again(hand_ledger):
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch(NO_WORKER, side_effect=refused):
        response = client_for(hand_ledger["manager"]).post(PREPARE, {"scope": "all"}, follow=True)
    assert response.redirect_chain == [(RELEASES, 302)]
    html = response.content.decode()
    assert "could not be prepared because the job queue is not answering" in html
    assert "Try again in a few minutes." in html
    assert not OpenDataRelease.objects.exists()
    assert "Prepare a release" in html  # nothing preparing: the form is offered again


def test_discarding_a_release_deletes_its_files_and_publishes_nothing(
    hand_ledger, django_capture_on_commit_callbacks
):
    manager = hand_ledger["manager"]
    release = prepared(manager, YEAR)
    assert len(files_in_storage(release)) == 4  # three files and the digests
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(release_url(release, "discard"), follow=True)
    assert "Release discarded. Nothing was published." in response.content.decode()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DISCARDED
    assert not OpenDataReleaseFile.objects.filter(release=release).exists()
    assert files_in_storage(release) == []
    assert AuditEvent.objects.filter(
        action="open_data_release.discarded", object_id=str(release.pk)
    ).exists()
    assert public("360giving-2025.json").status_code == 404

    # A discarded release is no baseline: the next counts every grant as new.
    assert prepared(manager, YEAR).added == 3


# --- What the public page serves


def test_the_public_file_is_the_newest_published_one_for_its_kind_and_year(hand_ledger):
    manager, officer = hand_ledger["manager"], hand_ledger["officer"]
    pc = hand_ledger["agreed"][2]
    everything = published(manager, None)  # every year's files and 2025's
    cancel_agreed_package(pc, by=officer, reason="The group closed.")

    # Prepared but not published: the public files are still the published ones.
    waiting = prepared(manager, YEAR)
    for filename, year in [("360giving.json", None), ("360giving-2025.json", YEAR)]:
        served = public(filename)
        assert body(served) == stored(everything.files.get(kind="360giving_json", year=year).name)
        assert grant_identifier(pc.pk).encode() in body(public(filename))

    # Published: 2025's files come from the newer release; every year's from the first.
    publish_release(waiting, by=manager)
    assert body(public("360giving-2025.json")) == stored(
        waiting.files.get(kind="360giving_json").name
    )
    assert grant_identifier(pc.pk).encode() not in body(public("360giving-2025.json"))
    assert body(public("360giving.json")) == stored(
        everything.files.get(kind="360giving_json", year=None).name
    )
    assert body(public("transparency-code-grants-2025.csv")) == stored(
        waiting.files.get(kind="transparency_csv").name
    )


def test_a_failed_write_marks_the_release_failed_and_leaves_no_files(
    hand_ledger, django_capture_on_commit_callbacks
):
    manager = hand_ledger["manager"]

    def half_then_break(rows, out):
        out.write(b"PK\x03\x04 half a workbook")
        raise RuntimeError("the disk is full")

    broken = open_data_files.FileKind("360giving", "xlsx", "application/zip", half_then_break)
    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch.dict(open_data_files.KINDS, {OpenDataKind.GRANTS_XLSX: broken}),
        pytest.raises(RuntimeError, match="the disk is full"),
    ):
        prepare_release(by=manager, year=YEAR)
    release = OpenDataRelease.objects.get()
    assert release.status == ReleaseStatus.FAILED
    assert release.error == "RuntimeError: the disk is full"
    assert not release.files.exists()
    # The JSON and its digests, written before the spreadsheet failed, are gone too.
    assert files_in_storage(release) == []
    assert release.added is None

    html = client_for(manager).get(release_url(release)).content.decode()
    assert "The files could not be written" in html and "the disk is full" in html
    assert "Publish this release" not in html
    assert public("360giving-2025.json").status_code == 404
    # A failed release blocks nothing: the next one is prepared.
    assert prepared(manager, YEAR).status == ReleaseStatus.READY


def test_the_check_page_warns_when_the_data_has_moved_since_it_was_prepared(hand_ledger):
    manager = hand_ledger["manager"]
    release = prepared(manager, YEAR)
    client = client_for(manager)
    assert "The data has changed since this release was prepared" not in (
        client.get(release_url(release)).content.decode()
    )
    cancel_agreed_package(hand_ledger["agreed"][2], by=hand_ledger["officer"], reason="Closed.")
    html = client.get(release_url(release)).content.decode()
    assert "The data has changed since this release was prepared" in html


def test_a_manager_can_download_each_file_of_a_release_before_publishing_it(hand_ledger):
    manager = hand_ledger["manager"]
    release = prepared(manager, YEAR)
    client = client_for(manager)
    for f in release.files.all():
        filename = open_data_files.KINDS[f.kind].filename(f.year)
        response = client.get(
            reverse("reports:open_data_release_file", args=[release.pk, filename])
        )
        assert response.status_code == 200, filename
        assert response["ETag"] == f'"{f.sha256}"'
        assert body(response) == stored(f.name)
    missing = reverse("reports:open_data_release_file", args=[release.pk, "360giving.json"])
    assert client.get(missing).status_code == 404  # every year's is not in this release


@pytest.mark.parametrize("year", [None, YEAR])
def test_a_release_holds_one_file_of_each_kind_for_a_year_and_for_all_years(hand_ledger, year):
    """Two partial unique constraints (so SQLite, the quick demo's database, enforces them too)."""
    release = prepared(hand_ledger["manager"])
    existing = release.files.get(kind=OpenDataKind.GRANTS_JSON, year=None)
    other_year = OpenDataReleaseFile.objects.create(
        release=release,
        kind=OpenDataKind.GRANTS_JSON,
        year=1999,
        name="x",
        size=1,
        sha256="x",
        rows=0,
    )
    assert other_year.year != existing.year
    with pytest.raises(IntegrityError), transaction.atomic():
        OpenDataReleaseFile.objects.create(
            release=release,
            kind=OpenDataKind.GRANTS_JSON,
            year=year,
            name="y",
            size=1,
            sha256="y",
            rows=0,
        )

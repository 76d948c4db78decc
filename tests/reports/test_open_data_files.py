"""Open data built in the background: the same bytes as before, served from storage, rebuilt."""

import csv
import hashlib
import io
import json
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django_celery_beat.models import PeriodicTask
from kombu.exceptions import OperationalError

from allowances.models import BudgetYear
from allowances.services import cancel_agreed_package
from delivery.models import ProviderRequest
from notifications.models import Deadline
from reports import open_data_files
from reports.models import OpenDataBuild
from reports.open_data_files import build, fingerprint, queue_build, rebuild_out_of_date
from reports.tasks import rebuild_open_data
from tests.conftest import client_for
from tests.factories import ProviderMembershipFactory, UserFactory
from vcs_support.celery import app

from . import open_data_before
from .conftest import YEAR, at, ledger

pytestmark = pytest.mark.usefixtures("open_data_storage")

# Every kind the manager's page offers; the first three are compared with the old view.
KINDS = ["360giving_json", "360giving_csv", "transparency_csv", "360giving_xlsx"]
BEFORE = KINDS[:3]
URLS = {
    "360giving_xlsx": "reports:grants_360_xlsx",
    "360giving_json": "reports:grants_360_json",
    "360giving_csv": "reports:grants_360_csv",
    "transparency_csv": "reports:transparency_csv",
}
PAGE = reverse("reports:open_data")
BUILD = reverse("reports:open_data_build")


def stored(built: OpenDataBuild) -> bytes:
    with open_data_files.storage().open(built.name, "rb") as f:
        return f.read()


def built_now(kind, year=None) -> OpenDataBuild:
    """Queue a build (Celery runs it at once in tests) and return the file it made."""
    queue_build(kind, year)
    return open_data_files.newest_file(kind, year)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def page(client) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def accept(agreed, start, end):
    membership = ProviderMembershipFactory()
    return ProviderRequest.objects.create(
        agreed_package=agreed, provider=membership.provider, message="Please",
        requested_by=membership.user, status="accepted", responded_by=membership.user,
        responded_at=timezone.now(), planned_start=start, planned_end=end,
    )  # fmt: skip


# --- The same file as the old view


# What issue 17 added to the 360Giving files (FORMAT_VERSION 2): the recipient's
# postal code and location, geocodes on the beneficiary location (whose name is
# now the ward or the council's area, not "town district"), dateModified and
# dataSource. Everything else must be what the old view sent.
NEW_GRANT_KEYS = ("dateModified", "dataSource", "beneficiaryLocation")
NEW_RECIPIENT_KEYS = ("postalCode", "location")


def _without_issue_17(grants: list[dict]) -> list[dict]:
    out = []
    for grant in grants:
        grant = {k: v for k, v in grant.items() if k not in NEW_GRANT_KEYS}
        grant["recipientOrganization"] = [
            {k: v for k, v in r.items() if k not in NEW_RECIPIENT_KEYS}
            for r in grant["recipientOrganization"]
        ]
        out.append(grant)
    return out


def _csv_rows(data: bytes) -> list[dict]:
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return [
        {k: v for k, v in row.items() if not k.startswith("Beneficiary Location")} for row in rows
    ]


def packages_only(kind: str, new: bytes) -> bytes:
    """The file without section B's representation grants, which the old view never had."""
    if kind == "360giving_json":
        grants = [g for g in json.loads(new)["grants"] if "-VCS-GRA-" not in g["id"]]
        return json.dumps({"grants": grants}).encode()
    lines = new.decode("utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if "VCS-GRA-" not in line).encode("utf-8")


def same_as_before(kind: str, new: bytes, old: bytes) -> bool:
    """The file as the old view sent it, but for what issue 17 added (the transparency
    CSV, which gained nothing, byte for byte)."""
    if kind == "360giving_json":
        return _without_issue_17(json.loads(new)["grants"]) == _without_issue_17(
            json.loads(old)["grants"]
        )
    if kind == "360giving_csv":
        old_rows = _csv_rows(old)
        new_rows = [{k: r[k] for k in (old_rows[0] if old_rows else {})} for r in _csv_rows(new)]
        return new_rows == old_rows or (not old_rows and not new_rows)
    return new == old


@pytest.mark.parametrize("year", [None, YEAR, YEAR + 1])
@pytest.mark.parametrize("kind", BEFORE)
def test_the_task_writes_what_the_old_view_sent_and_what_issue_17_added(hand_ledger, kind, year):
    _, _, pc, _ = hand_ledger["agreed"]
    accept(pc, date(2025, 9, 1), date(2025, 10, 15))  # planned dates, where one has them
    built = built_now(kind, year)
    expected = open_data_before.view_bytes(kind, year)
    assert b"Alpha Trust" in expected or year == YEAR + 1
    assert same_as_before(kind, stored(built), expected)
    assert built.size == len(stored(built))
    assert built.sha256 == hashlib.sha256(stored(built)).hexdigest()
    assert built.rows == (0 if year == YEAR + 1 else 3)


def test_on_the_demo_world_every_file_is_what_the_old_view_sent(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run in production
    call_command("seed_demo")
    years = list(BudgetYear.objects.values_list("start_year", flat=True))
    assert years
    assert rebuild_out_of_date(years) == len(KINDS) * (len(years) + 1)
    compared = 0
    for kind in BEFORE:
        for year in [None, *years]:
            built = open_data_files.newest_file(kind, year)
            old = open_data_before.view_bytes(kind, year)
            assert same_as_before(kind, packages_only(kind, stored(built)), old), (kind, year)
            compared += built.rows
    assert compared > 0


# --- Served from storage


def test_the_download_is_the_stored_file_with_its_name_type_and_validators(hand_ledger):
    built = built_now("360giving_json", YEAR)
    response = client_for(hand_ledger["manager"]).get(
        reverse("reports:grants_360_json"), {"year": YEAR}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="360giving-2025.json"'
    assert response["ETag"] == f'"{built.sha256}"'
    assert response["Last-Modified"] == http_date(built.built_at.timestamp())
    assert int(response["Content-Length"]) == built.size
    assert body(response) == stored(built)

    csv = built_now("transparency_csv")
    response = client_for(hand_ledger["manager"]).get(reverse("reports:transparency_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="transparency-code-grants.csv"'
    assert body(response) == stored(csv)


def test_an_unchanged_file_is_not_sent_again(hand_ledger):
    client = client_for(hand_ledger["manager"])
    url = reverse("reports:grants_360_csv")
    built = built_now("360giving_csv")
    first = client.get(url)
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200

    # A new file with different bytes has a new ETag, and is sent.
    cancel_agreed_package(hand_ledger["agreed"][2], by=hand_ledger["officer"], reason="Closed.")
    rebuilt = built_now("360giving_csv")
    assert rebuilt.sha256 != built.sha256
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] == f'"{rebuilt.sha256}"'


def test_a_file_never_built_sends_the_manager_to_the_page_to_build_it(hand_ledger):
    response = client_for(hand_ledger["manager"]).get(reverse("reports:grants_360_json"))
    assert response.status_code == 302 and response.url == PAGE
    assert not OpenDataBuild.objects.exists()  # asking to download builds nothing


# --- The page, and asking for a build


def test_the_page_says_when_each_file_was_built_and_offers_to_build_the_rest(hand_ledger):
    client = client_for(hand_ledger["manager"])
    html = page(client)
    assert html.count("Not built yet") == len(KINDS) * 2  # every year, and 2025/26
    assert "Download" not in html

    response = client.post(BUILD, {"kind": "360giving_json", "year": str(YEAR)})
    assert response.status_code == 302 and response.url == PAGE
    built = open_data_files.newest_file("360giving_json", YEAR)
    local = timezone.localtime(built.built_at)
    html = page(client)
    assert "The 360Giving JSON for 2025/26 is being built." in html
    assert f"{local:%H:%M} on {local.day} {local:%B %Y}" in html
    assert "Up to date" in html
    assert f'href="{reverse("reports:grants_360_json")}?year={YEAR}"' in html
    assert html.count("Not built yet") == len(KINDS) * 2 - 1


def test_a_stale_file_can_still_be_downloaded_and_is_built_again_on_request(
    hand_ledger, django_capture_on_commit_callbacks
):
    client = client_for(hand_ledger["manager"])
    old = built_now("360giving_json")
    assert "Up to date" in page(client)

    # The ledger moves: a package is cancelled, so its grant leaves the file.
    cancel_agreed_package(hand_ledger["agreed"][2], by=hand_ledger["officer"], reason="Closed.")
    assert fingerprint() != old.fingerprint
    html = page(client)
    assert "Built before the latest changes" in html
    assert "Download the earlier file" in html
    assert "Build it again" in html
    assert body(client.get(reverse("reports:grants_360_json"))) == stored(old)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(BUILD, {"kind": "360giving_json", "year": ""})
    new = open_data_files.newest_file("360giving_json", None)
    assert new.pk != old.pk and new.fingerprint == fingerprint()
    assert new.rows == old.rows - 1
    old_view = open_data_before.view_bytes("360giving_json", None)
    assert same_as_before("360giving_json", stored(new), old_view)
    assert not OpenDataBuild.objects.filter(pk=old.pk).exists()
    assert not open_data_files.storage().exists(old.name)  # replaced, so removed
    assert body(client.get(reverse("reports:grants_360_json"))) == stored(new)


def test_a_build_asked_for_twice_is_queued_once_and_the_page_says_it_is_coming(hand_ledger):
    client = client_for(hand_ledger["manager"])
    with mock.patch("reports.tasks.build_open_data_file.delay") as delay:
        client.post(BUILD, {"kind": "transparency_csv", "year": str(YEAR)})
        client.post(BUILD, {"kind": "transparency_csv", "year": str(YEAR)})
    assert delay.call_count == 1
    html = page(client)
    assert "Being built" in html
    assert f'href="{PAGE}#transparency_csv-{YEAR}"' in html  # refresh, back to the row
    assert html.count("Build the file") == len(KINDS) * 2 - 1  # not for the one coming

    # A build that never finished (a worker died) is offered again after a while.
    OpenDataBuild.objects.update(queued_at=timezone.now() - timedelta(hours=1))
    html = page(client)
    assert "Being built" not in html
    assert html.count("Build the file") == len(KINDS) * 2


def test_build_everything_queues_each_file_out_of_date(hand_ledger):
    built_now("360giving_csv")
    with mock.patch("reports.tasks.build_open_data_file.delay") as delay:
        client_for(hand_ledger["manager"]).post(BUILD, {"everything": "1"})
    assert delay.call_count == len(KINDS) * 2 - 1
    assert OpenDataBuild.objects.filter(status="queued").count() == len(KINDS) * 2 - 1


def test_when_the_queue_is_down_the_page_says_try_again_and_serves_what_it_has(hand_ledger):
    client = client_for(hand_ledger["manager"])
    old = built_now("360giving_json")
    cancel_agreed_package(hand_ledger["agreed"][2], by=hand_ledger["officer"], reason="Closed.")
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch("reports.tasks.build_open_data_file.delay", side_effect=refused):
        response = client.post(BUILD, {"kind": "360giving_json"}, follow=True)
    html = response.content.decode()
    assert "could not be built because the job queue is not answering" in html
    assert "Try again in a few minutes." in html
    assert "Being built" not in html
    assert not OpenDataBuild.objects.filter(status="queued").exists()
    assert body(client.get(reverse("reports:grants_360_json"))) == stored(old)


def test_a_failed_build_serves_nothing_half_written_and_keeps_the_last_file(hand_ledger):
    client = client_for(hand_ledger["manager"])
    old = built_now("360giving_json")
    ledger(hand_ledger["agreed"][2], "spend", "100.00", at(date(2025, 9, 1)))
    files_before = open_data_files.storage().listdir("")[1]

    def half_then_break(rows, out):
        out.write(b'{"grants": [')
        raise RuntimeError("the database went away")

    broken = open_data_files.FileKind("360giving", "json", "application/json", half_then_break)
    with (
        mock.patch.dict(open_data_files.KINDS, {"360giving_json": broken}),
        pytest.raises(RuntimeError),
    ):
        client.post(BUILD, {"kind": "360giving_json"})
    failed = OpenDataBuild.objects.get(status="failed")
    assert failed.error == "RuntimeError: the database went away"
    assert failed.name == ""
    assert open_data_files.storage().listdir("")[1] == files_before
    assert body(client.get(reverse("reports:grants_360_json"))) == stored(old)
    html = page(client)
    assert "The last build failed" in html
    assert "Build it again" in html


@pytest.mark.parametrize(
    "asked", [{}, {"kind": "zip"}, {"kind": "360giving_json", "year": "2030"}, {"year": "²"}]
)
def test_a_build_of_a_file_the_page_never_offers_is_not_found(hand_ledger, asked):
    response = client_for(hand_ledger["manager"]).post(BUILD, asked)
    assert response.status_code == 404
    assert not OpenDataBuild.objects.exists()


def test_no_request_builds_a_file(hand_ledger):
    """The page, the downloads and the build button never run a builder themselves."""
    client = client_for(hand_ledger["manager"])
    built_now("360giving_json")
    with (
        mock.patch.object(open_data_files, "_write", side_effect=AssertionError("built")),
        mock.patch("reports.tasks.build_open_data_file.delay") as delay,
    ):
        page(client)
        client.post(BUILD, {"kind": "360giving_csv"})
        for name in URLS.values():
            client.get(reverse(name))
    assert delay.call_count == 1


# --- The fingerprint


def _ledger_entry(w):
    ledger(w["agreed"][2], "spend", "10.00", at(date(2025, 9, 1)))


def _ended_without_a_ledger_entry(w):
    type(w["agreed"][3]).objects.filter(pk=w["agreed"][3].pk).update(
        status="expired", ended_at=timezone.now()
    )


def _renamed_organisation(w):
    org = w["orgs"][0]
    org.name = "Alpha Trust (Leicester)"
    org.save()


def _renamed_package(w):
    package = w["packages"]["finance"]
    package.summary = "Now with a budget template."
    package.save()


def _provider_accepted(w):
    accept(w["agreed"][2], date(2025, 9, 1), date(2025, 10, 15))


def _delivery_started(w):
    type(w["agreed"][0]).objects.filter(pk=w["agreed"][0].pk).update(
        status="in_delivery", delivery_started_on=date(2025, 6, 1)
    )


def _delivery_period_changed(w):
    row = Deadline.objects.get(code="complete_delivery")
    row.period = 9
    row.save()


@pytest.mark.parametrize(
    "change",
    [
        _ledger_entry,
        _ended_without_a_ledger_entry,
        _renamed_organisation,
        _renamed_package,
        _provider_accepted,
        _delivery_started,
        _delivery_period_changed,
    ],
)
def test_the_fingerprint_moves_with_everything_the_files_show(hand_ledger, change):
    before = fingerprint()
    change(hand_ledger)
    assert fingerprint() != before


def test_the_fingerprint_moves_with_the_settings_the_files_print(hand_ledger, settings):
    before = fingerprint()
    settings.OPEN_DATA_PREFIX = "360G-ExampleBC"
    assert fingerprint() != before


def test_the_fingerprint_stands_still_for_what_the_files_do_not_show(hand_ledger):
    before = fingerprint()
    UserFactory()
    BudgetYear.objects.filter(start_year=YEAR).update(total=400_000)
    assert fingerprint() == before


def test_a_build_of_data_already_built_writes_nothing(hand_ledger):
    first = built_now("360giving_csv")
    queued = OpenDataBuild.objects.create(kind="360giving_csv")
    assert build(queued.pk) is None
    assert list(OpenDataBuild.objects.values_list("pk", flat=True)) == [first.pk]
    assert build(first.pk) is None  # a build already done is not done again


# --- The nightly job


def test_the_nightly_job_builds_what_is_stale_or_missing_and_nothing_else(hand_ledger):
    current = built_now("360giving_json")
    stale = built_now("transparency_csv", YEAR)
    ledger(hand_ledger["agreed"][2], "spend", "100.00", at(date(2025, 9, 1)))
    current.fingerprint = fingerprint()  # as if built after the spend
    current.save(update_fields=["fingerprint"])
    assert rebuild_open_data() == len(KINDS) * 2 - 1
    assert open_data_files.newest_file("360giving_json", None).pk == current.pk
    assert open_data_files.newest_file("transparency_csv", YEAR).pk != stale.pk
    assert rebuild_open_data() == 0


def test_the_nightly_job_is_scheduled_and_the_worker_finds_the_tasks(db):
    app.loader.import_default_modules()
    assert "reports.tasks.build_open_data_file" in app.tasks
    assert "reports.tasks.rebuild_open_data" in app.tasks
    job = PeriodicTask.objects.get(task="reports.tasks.rebuild_open_data")
    assert job.enabled
    assert (job.crontab.minute, job.crontab.hour, job.crontab.day_of_week) == ("30", "2", "*")
    assert str(job.crontab.timezone) == "Europe/London"

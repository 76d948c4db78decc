"""Two managers preparing an open-data release at once, on PostgreSQL with real threads.

Only one release may be PREPARING, so that each release compares with the one
before it. prepare_release checks first, for the friendly refusal; the
partial unique constraint open_data_release_one_preparing is what holds when
both managers pass that check together: the second insert waits for the first
to commit, fails, and is refused with the same reason. Each thread has its own
connection (Django's are per thread); these tests commit (transaction=True).
No worker is sent anything: a release stays PREPARING, as while a worker is busy.
"""

import threading
from collections import Counter
from functools import partial
from unittest import mock

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from reports import open_data_releases
from reports.models import OpenDataRelease, ReleaseStatus
from reports.open_data_releases import ReleaseBusy, prepare_release
from tests import threads
from tests.conftest import client_for
from tests.factories import ManagerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("open_data_storage"),
]

ROUNDS = 10
NO_WORKER = "reports.tasks.prepare_open_data_release.delay"
PREPARE = reverse("reports:open_data_release_prepare")
REASON = "Another release is being prepared. Wait for it to be ready, then prepare this one."


def run_together(jobs, timeout=30):
    """Each job in its own thread and connection, released at once (tests/threads.py)."""
    return threads.run_together(
        jobs, refusals=ReleaseBusy, said=lambda exc: exc.reason, timeout=timeout
    )


def both_pass_the_check(parties: int):
    """preparing_now, made to wait until every thread has looked and found nothing.

    So the race is not left to chance: every manager passes the check before any
    inserts, and only the database can then keep the second release out. The wait
    is on each thread's first look only (the service looks again after a refusal).
    """
    looked = threading.Barrier(parties)
    first = threading.local()
    check = open_data_releases.preparing_now

    def preparing_now():
        found = check()
        if not getattr(first, "done", False):
            first.done = True
            looked.wait(timeout=10)
        return found

    return mock.patch.object(open_data_releases, "preparing_now", preparing_now)


def test_two_managers_preparing_at_once_past_the_check_get_one_release():
    managers = [ManagerFactory(), ManagerFactory()]
    clients = [client_for(m) for m in managers]

    with mock.patch(NO_WORKER) as delay, both_pass_the_check(2):
        results = run_together(
            [
                partial(clients[0].post, PREPARE, {"scope": "all"}),
                partial(clients[1].post, PREPARE, {"scope": "all"}),
            ]
        )

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    responses = [response for _, response in results]
    assert sorted(r.status_code for r in responses) == [200, 302]
    [release] = OpenDataRelease.objects.all()
    assert release.status == ReleaseStatus.PREPARING
    delay.assert_called_once_with(release.pk)
    [won] = [r for r in responses if r.status_code == 302]
    assert won.url == reverse("reports:open_data_release", args=[release.pk])
    # The other manager is told why, in the error summary, and shown the one being prepared.
    [refused] = [r for r in responses if r.status_code == 200]
    html = refused.content.decode()
    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert f'<a href="#preparing">{REASON}</a>' in html
    assert f"Release {release.reference} is being prepared." in html
    assert not AuditEvent.objects.filter(action__startswith="open_data_release").exists()


def test_managers_preparing_at_once_again_and_again_never_leave_two_preparing():
    managers = [ManagerFactory(), ManagerFactory()]
    outcomes = Counter()
    for _ in range(ROUNDS):
        with mock.patch(NO_WORKER):
            results = run_together(
                [
                    partial(prepare_release, by=managers[0], year=None),
                    partial(prepare_release, by=managers[1], year=2025),
                ]
            )
        outcomes.update(kind for kind, _ in results)
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        [reason] = [said for kind, said in results if kind == "refused"]
        assert reason == REASON
        [preparing] = OpenDataRelease.objects.filter(status=ReleaseStatus.PREPARING)
        [(_, made)] = [(kind, x) for kind, x in results if kind == "ok"]
        assert preparing.pk == made.pk
        # Its worker finishes (as the task would), so the next round starts afresh.
        OpenDataRelease.objects.filter(pk=preparing.pk).update(status=ReleaseStatus.FAILED)
    assert outcomes == {"ok": ROUNDS, "refused": ROUNDS}
    assert OpenDataRelease.objects.count() == ROUNDS

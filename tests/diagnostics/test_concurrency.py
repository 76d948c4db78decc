"""Two officers deciding the same application at the same moment: one wins, one is told."""

import threading

import pytest
from django.db import connection

from diagnostics.eligibility_services import EligibilityError, find_eligible, find_not_eligible
from diagnostics.models import EligibilityApplication, EligibilityDecision
from notifications.models import Notification

from ..factories import EligibilityApplicationFactory, MembershipFactory, StaffFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_officers_deciding_at_once_make_one_decision(attempt):
    organisation = MembershipFactory().organisation
    application = EligibilityApplicationFactory(
        organisation=organisation, status="submitted", answered=True, with_evidence=True
    )
    first, second = StaffFactory(), StaffFactory()
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(name, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[name] = "decided"
        except EligibilityError as exc:
            outcomes[name] = exc.reason
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=decide,
            args=("eligible", lambda: find_eligible(application=application, by=first)),
        ),
        threading.Thread(
            target=decide,
            args=(
                "not_eligible",
                lambda: find_not_eligible(application=application, by=second, reasons="No."),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["eligible", "not_eligible"]
    winners = [name for name, outcome in outcomes.items() if outcome == "decided"]
    assert len(winners) == 1, outcomes
    loser = next(outcome for outcome in outcomes.values() if outcome != "decided")
    assert "has already been decided" in loser and "Nothing was changed." in loser
    application.refresh_from_db()
    assert application.status == winners[0]
    assert EligibilityDecision.objects.filter(application=application).count() == 1
    # One email to the one administrator, for the one decision.
    assert Notification.objects.filter(kind__startswith="eligibility:").count() == 1
    assert EligibilityApplication.objects.count() == 1

"""The pure next-step functions: every state an organisation's facts can be in."""

from datetime import date, timedelta

import pytest

from vcs_support.next_steps import (
    CANNOT_START,
    DONE,
    OVERDUE,
    TO_DO,
    WAITING,
    OrganisationFacts,
    PackageFacts,
    Queue,
    organisation_tasks,
)
from vcs_support.staff_next_steps import OfficerFacts, officer_tasks

TODAY = date(2026, 12, 5)


def facts(**changes) -> OrganisationFacts:
    base = {
        "name": "Highfields Community Association",
        "is_admin": True,
        "application_status": None,
        "decision_outcome": None,
        "eligible_until": None,
        "eligible_now": False,
        "renew_from": None,
        "diagnostic_status": None,
        "diagnostic_pk": None,
        "session_on": None,
        "session_at": None,
        "packages": [],
        "more_packages": 0,
        "next_package": "A council officer must find it eligible before packages can be agreed.",
        "can_have_package_now": False,
    }
    return OrganisationFacts(**{**base, **changes})


def tasks(f):
    eligibility, packages = organisation_tasks(f, TODAY)
    return eligibility.tasks, packages.tasks


ELIGIBLE = {
    "application_status": "eligible",
    "decision_outcome": "eligible",
    "eligible_until": date(2028, 3, 31),
    "eligible_now": True,
    "renew_from": date(2028, 1, 31),
}


@pytest.mark.parametrize(
    ("changes", "name", "status"),
    [
        ({}, "Show that your organisation is eligible", TO_DO),
        ({"is_admin": False}, "Show that your organisation is eligible", WAITING),
        ({"application_status": "draft"}, "Finish and send your eligibility application", TO_DO),
        ({"application_status": "submitted"}, "Eligibility application sent", WAITING),
        (
            {"application_status": "more_info"},
            "Give the council the information it asked for",
            TO_DO,
        ),
        (ELIGIBLE, "Eligibility", DONE),
        ({**ELIGIBLE, "renew_from": TODAY}, "Apply to renew your eligibility", TO_DO),
        (
            {**ELIGIBLE, "eligible_now": False, "eligible_until": TODAY - timedelta(days=1)},
            "Apply again to show your organisation is still eligible",
            TO_DO,
        ),
        (
            {"decision_outcome": "not_eligible", "application_status": "not_eligible"},
            "Your organisation was found not eligible",
            TO_DO,
        ),
    ],
)
def test_eligibility_says_where_it_stands(changes, name, status):
    eligibility = tasks(facts(**changes))[0][0]
    assert (eligibility.name, eligibility.status) == (name, status)


@pytest.mark.parametrize(
    ("changes", "name", "status"),
    [
        ({}, "Complete a self-assessment of your organisation's needs", CANNOT_START),
        (ELIGIBLE, "Complete a self-assessment of your organisation's needs", TO_DO),
        (
            {**ELIGIBLE, "diagnostic_status": "self_assessment"},
            "Finish and send your self-assessment",
            TO_DO,
        ),
        ({**ELIGIBLE, "diagnostic_status": "awaiting_session"}, "Self-assessment sent", WAITING),
        (
            {**ELIGIBLE, "diagnostic_status": "session_booked", "session_on": date(2027, 1, 12)},
            "Diagnostic session booked",
            WAITING,
        ),
        (
            {**ELIGIBLE, "diagnostic_status": "completed", "diagnostic_pk": 7},
            "Read your diagnostic report",
            DONE,
        ),
    ],
)
def test_the_diagnostic_step_is_true_to_the_state(changes, name, status):
    diagnostic = tasks(facts(**changes))[0][1]
    assert (diagnostic.name, diagnostic.status) == (name, status)
    if status == CANNOT_START:
        assert diagnostic.link is None  # nothing that is not yet possible is a link


def package(status, **more):
    return PackageFacts(pk=3, name="Fund raising", status=status, **more)


@pytest.mark.parametrize(
    ("agreed", "name", "status", "hint"),
    [
        (
            package("agreed", choose_by=date(2027, 1, 29)),
            "Choose a provider for Fund raising",
            TO_DO,
            "Do this by 29 January 2027.",
        ),
        (
            package("agreed", choose_by=date(2026, 12, 1)),
            "Choose a provider for Fund raising",
            OVERDUE,
            "This was due by 1 December 2026.",
        ),
        (
            package("provider_requested", provider="Fosse Consulting", answer_by=date(2026, 12, 9)),
            "Fosse Consulting has been asked to deliver Fund raising",
            WAITING,
            "They answer by 9 December 2026.",
        ),
        (
            package("in_delivery", provider="Fosse Consulting", deliver_by=date(2027, 3, 1)),
            "Fosse Consulting is delivering Fund raising",
            WAITING,
            "Planned to finish by 1 March 2027.",
        ),
        (
            package("delivered", provider="Fosse Consulting", confirm_by=date(2026, 12, 20)),
            "Confirm that Fosse Consulting delivered Fund raising, and rate them",
            TO_DO,
            "Do this by 20 December 2026.",
        ),
        (
            package("disputed", provider="Fosse Consulting"),
            "Fund raising: a council officer is looking at your dispute",
            WAITING,
            "You will get an email when they decide.",
        ),
    ],
)
def test_each_package_has_its_next_step_and_deadline(agreed, name, status, hint):
    task = tasks(facts(**ELIGIBLE, packages=[agreed]))[1][0]
    assert (task.name, task.status, task.hint) == (name, status, hint)


def test_a_plain_member_is_told_who_acts_and_is_not_given_the_task():
    task = tasks(facts(**ELIGIBLE, is_admin=False, packages=[package("agreed")]))[1][0]
    assert task.status == WAITING
    assert task.hint.startswith("An administrator of your organisation chooses.")


def test_the_allowance_is_only_available_when_the_facts_say_so():
    waiting = tasks(facts())[1][-1]
    assert waiting.status == CANNOT_START
    assert "eligible" in waiting.hint
    ready = tasks(facts(**ELIGIBLE, can_have_package_now=True, next_package="Now."))[1][-1]
    assert ready.status == WAITING and ready.name == "Another support package"


def test_officer_queues_are_overdue_only_past_the_managers_deadline():
    empty = Queue(0)
    late = Queue(3, TODAY - timedelta(days=20), overdue=2)
    officer = OfficerFacts(
        applications=late,
        to_book=empty,
        to_complete=empty,
        claims=Queue(1, TODAY),
        disputes=empty,
        provider_applications=empty,
        failed_emails=0,
        no_provider_overdue=0,
        review_deadline="10 working days",
        my_override_requests=empty,
    )
    queues, other = officer_tasks(officer, TODAY)
    applications, *_, claims = queues.tasks[:4]
    assert applications.status == OVERDUE and applications.count == 3
    assert applications.hint == "Oldest waiting 20 days; 2 waiting more than 10 working days."
    assert claims.status == TO_DO and claims.hint == "Oldest from today."
    assert queues.tasks[1].status == DONE
    assert other.tasks == []

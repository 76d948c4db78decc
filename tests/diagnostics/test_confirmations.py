"""Sending an eligibility application or a self-assessment ends on a confirmation page;
what the service already knows is filled in; officers see where postcodes differ."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import EligibilityApplication
from diagnostics.rules import long_date, postcode_difference
from notifications.deadlines import OFFICER_REVIEW, deadline
from notifications.models import Deadline

from ..conftest import client_for, count_queries
from ..factories import DiagnosticFactory, EligibilityApplicationFactory, EligibilityDecisionFactory

SENT = reverse("diagnostics:eligibility_sent")
SELF_ASSESSMENT_SENT = reverse("diagnostics:self_assessment_sent")


@pytest.fixture
def complete(world):
    return EligibilityApplicationFactory(
        organisation=world.org_a, created_by=world.org_a_admin, answered=True, with_evidence=True
    )


def test_sending_the_application_ends_on_its_confirmation(world, complete):
    client = client_for(world.org_a_admin)
    response = client.post(
        reverse("diagnostics:eligibility_check"), {"confirm": "on", "full_name": "Amina Okafor"}
    )
    assert response.url == SENT
    html = client.get(SENT).content.decode()
    assert "govuk-panel--confirmation" in html
    assert "Eligibility application sent" in html
    assert f"VCS-ELG-{complete.pk:06d}" in html
    assert "What happens next" in html
    decide_by = deadline(OFFICER_REVIEW).due_on(timezone.localdate())
    assert f"decide within 10 working days: by {long_date(decide_by)}" in html
    assert f'href="{reverse("organisation_home")}"' in html


def test_the_timescale_is_the_one_managers_set(world, complete):
    Deadline.objects.filter(code=OFFICER_REVIEW).update(period=3)
    complete.status, complete.submitted_at = "submitted", timezone.now()
    complete.save()
    html = client_for(world.org_a_member).get(SENT).content.decode()
    assert "decide within 3 working days" in html


@pytest.mark.parametrize("status", ["draft", "more_info", "eligible"])
def test_the_confirmation_is_only_for_an_application_waiting_for_a_decision(world, status):
    EligibilityApplicationFactory(organisation=world.org_a, status=status)
    response = client_for(world.org_a_admin).get(SENT)
    assert response.url == reverse("diagnostics:eligibility")


def test_the_application_confirmation_reads_a_fixed_number_of_queries(world, complete):
    EligibilityApplication.objects.filter(pk=complete.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    client = client_for(world.org_a_admin)
    client.get(SENT)
    with count_queries() as queries:
        assert client.get(SENT).status_code == 200
    # 1 session, 2 user, 3 membership with its organisation, 4 the latest application,
    # 5 the officers' review deadline, 6 the managers' days off (it counts working days).
    assert len(queries) == 6, "\n".join(q["sql"] for q in queries.captured_queries)


def test_sending_the_self_assessment_ends_on_its_confirmation(world):
    EligibilityDecisionFactory(organisation=world.org_a)
    diagnostic = DiagnosticFactory(organisation=world.org_a, status="self_assessment", score=3)
    client = client_for(world.org_a_admin)
    response = client.post(reverse("diagnostics:diagnostic_summary"))
    assert response.url == SELF_ASSESSMENT_SENT
    html = client.get(SELF_ASSESSMENT_SENT).content.decode()
    assert "Self-assessment sent" in html
    book_by = deadline(OFFICER_REVIEW).due_on(timezone.localdate())
    assert f"book your diagnostic session within 10 working days: by {long_date(book_by)}" in html
    assert f'href="{reverse("diagnostics:diagnostic")}"' in html
    diagnostic.refresh_from_db()
    assert diagnostic.status == "awaiting_session"


def test_a_booked_session_is_what_happens_next(world):
    on = timezone.localdate() + timedelta(days=4)
    DiagnosticFactory(organisation=world.org_a, status="session_booked", session_date=on)
    html = client_for(world.org_a_member).get(SELF_ASSESSMENT_SENT).content.decode()
    assert f"Your diagnostic session is booked for {long_date(on)}." in html
    assert "within 10 working days" not in html


@pytest.mark.parametrize("status", [None, "self_assessment", "completed"])
def test_the_self_assessment_confirmation_needs_one_sent_and_open(world, status):
    if status:
        DiagnosticFactory(organisation=world.org_a, status=status)
    response = client_for(world.org_a_admin).get(SELF_ASSESSMENT_SENT)
    assert response.url == reverse("diagnostics:diagnostic")


def test_the_self_assessment_confirmation_reads_a_fixed_number_of_queries(world):
    DiagnosticFactory(organisation=world.org_a, status="awaiting_session")
    client = client_for(world.org_a_admin)
    client.get(SELF_ASSESSMENT_SENT)
    with count_queries() as queries:
        assert client.get(SELF_ASSESSMENT_SENT).status_code == 200
    # 1 session, 2 user, 3 membership with its organisation, 4 the open diagnostic,
    # 5 the officers' review deadline, 6 the managers' days off.
    assert len(queries) == 6, "\n".join(q["sql"] for q in queries.captured_queries)


# --- What the service already knows


def test_the_postcode_question_starts_from_the_registered_postcode(world):
    EligibilityApplicationFactory(organisation=world.org_a)
    url = reverse("diagnostics:eligibility_question", args=["based-in-city"])
    html = client_for(world.org_a_admin).get(url).content.decode()
    assert f'value="{world.org_a.postcode}"' in html


def test_an_answer_given_is_shown_rather_than_the_registered_postcode(world):
    application = EligibilityApplicationFactory(organisation=world.org_a, answered=True)
    application.answers.filter(criterion__slug="based-in-city").update(value="LE2 0DS")
    url = reverse("diagnostics:eligibility_question", args=["based-in-city"])
    html = client_for(world.org_a_admin).get(url).content.decode()
    assert 'value="LE2 0DS"' in html
    assert f'value="{world.org_a.postcode}"' not in html


def test_the_declaration_starts_with_the_signed_in_persons_name(world, complete):
    world.org_a_admin.full_name = "Amina Okafor"
    world.org_a_admin.save()
    html = client_for(world.org_a_admin).get(reverse("diagnostics:eligibility_check"))
    assert 'value="Amina Okafor"' in html.content.decode()


# --- The officer deciding sees where the two postcodes differ


@pytest.mark.parametrize(
    ("registered", "answered", "flagged"),
    [("LE1 6ZG", "LE1 6ZG", False), ("LE1 6ZG", "le16zg", False), ("LE1 6ZG", "LE2 0DS", True)],
)
def test_a_different_postcode_is_flagged(registered, answered, flagged):
    assert bool(postcode_difference(registered=registered, answered=answered)) is flagged


def test_the_officer_sees_the_difference_and_the_note_on_the_application(world):
    world.org_a.postcode, world.org_a.outside_area_note = "NG1 1AA", "We meet in the city."
    world.org_a.save()
    application = EligibilityApplicationFactory(
        organisation=world.org_a, status="submitted", answered=True
    )
    url = reverse("diagnostics:officer_application_detail", args=[application.pk])
    html = client_for(world.officer).get(url).content.decode()
    assert (
        "The postcode in the application (LE1 6ZG) is not the organisation&#x27;s registered "
        "postcode (NG1 1AA)" in html
    )
    assert "registered outside Leicester" in html
    assert "We meet in the city." in html
    assert application.reference in html


def test_no_flag_when_the_postcodes_agree(world):
    application = EligibilityApplicationFactory(
        organisation=world.org_a, status="submitted", answered=True
    )
    url = reverse("diagnostics:officer_application_detail", args=[application.pk])
    html = client_for(world.officer).get(url).content.decode()
    assert "is not the organisation" not in html
    assert "registered outside" not in html

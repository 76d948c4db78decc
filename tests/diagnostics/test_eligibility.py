"""The eligibility application: every transition, every illegal one, and the pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from diagnostics.eligibility_services import (
    EligibilityError,
    ask_for_more_information,
    find_eligible,
    find_not_eligible,
    save_answer,
    start_application,
    submit_application,
)
from diagnostics.models import EligibilityApplication, EligibilityDecision
from diagnostics.selectors import eligibility_on
from diagnostics.services import default_valid_until
from notifications.models import Notification

from ..conftest import client_for
from ..factories import EligibilityApplicationFactory, MembershipFactory

Status = EligibilityApplication.Status


@pytest.fixture
def complete(world):
    """Organisation A's draft with every question answered and every file uploaded."""
    return EligibilityApplicationFactory(
        organisation=world.org_a, created_by=world.org_a_admin, answered=True, with_evidence=True
    )


@pytest.fixture
def submitted(world, complete):
    return submit_application(application=complete, by=world.org_a_admin, declaration_name="A")


def _emails_to(address, kind):
    return Notification.objects.filter(recipient=address, kind=kind)


def test_it_submits_a_complete_application_and_tells_the_admins(world, complete):
    application = submit_application(
        application=complete, by=world.org_a_admin, declaration_name="Amina Okafor"
    )
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.declaration_name == "Amina Okafor"
    assert _emails_to(world.org_a_admin.email, "eligibility:submitted").count() == 1
    # Members who are not administrators are not emailed.
    assert not Notification.objects.filter(recipient=world.org_a_member.email).exists()
    event = AuditEvent.objects.get(action="eligibility_application.submitted")
    assert (event.from_state, event.to_state, event.actor) == (
        "draft",
        "submitted",
        world.org_a_admin,
    )


def test_it_refuses_an_incomplete_application_and_says_what_is_missing(world):
    application = EligibilityApplicationFactory(organisation=world.org_a)
    with pytest.raises(EligibilityError) as refused:
        submit_application(application=application, by=world.org_a_admin, declaration_name="A")
    assert "Answer the question: Benefits local communities" in refused.value.problems
    assert "Upload the governing document" in refused.value.problems
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_failed_automatic_check_stops_submission(world, complete):
    bank = complete.criteria_version.criteria.get(slug="bank-account")
    save_answer(application=complete, criterion=bank, value="no", detail="", by=world.org_a_admin)
    with pytest.raises(EligibilityError) as refused:
        submit_application(application=complete, by=world.org_a_admin, declaration_name="A")
    assert "An organisation must have a bank account in its own name." in refused.value.problems


def test_finding_eligible_writes_the_decision_packages_rely_on(world, submitted):
    decision = find_eligible(application=submitted, by=world.officer)
    today = timezone.localdate()
    assert decision.application == submitted
    assert decision.outcome == EligibilityDecision.Outcome.ELIGIBLE
    assert decision.valid_until == default_valid_until(today)
    assert decision.valid_until == today.replace(year=today.year + 3) - timedelta(days=1)
    assert eligibility_on(world.org_a, today)
    submitted.refresh_from_db()
    assert submitted.status == Status.ELIGIBLE
    assert _emails_to(world.org_a_admin.email, "eligibility:eligible").count() == 1


def test_the_eligibility_period_is_configurable(world, submitted, settings):
    settings.ELIGIBILITY_VALID_YEARS = 1
    decision = find_eligible(application=submitted, by=world.officer)
    today = timezone.localdate()
    assert decision.valid_until == today.replace(year=today.year + 1) - timedelta(days=1)


def test_an_officer_may_set_another_expiry(world, submitted):
    until = timezone.localdate() + timedelta(days=100)
    assert (
        find_eligible(application=submitted, by=world.officer, valid_until=until).valid_until
        == until
    )


def test_not_eligible_needs_reasons_which_the_organisation_reads(world, submitted):
    with pytest.raises(EligibilityError):
        find_not_eligible(application=submitted, by=world.officer, reasons="  ")
    find_not_eligible(application=submitted, by=world.officer, reasons="No governing document.")
    assert not eligibility_on(world.org_a, timezone.localdate())
    email = _emails_to(world.org_a_admin.email, "eligibility:not_eligible").get()
    assert "No governing document." in email.body_text
    page = client_for(world.org_a_admin).get(reverse("diagnostics:eligibility"))
    assert "No governing document." in page.content.decode()


def test_after_not_eligible_the_organisation_applies_again_from_its_answers(world, submitted):
    find_not_eligible(application=submitted, by=world.officer, reasons="Outside the city.")
    again = start_application(organisation=world.org_a, by=world.org_a_admin)
    assert again.pk != submitted.pk and again.status == Status.DRAFT
    assert again.previous == submitted
    assert again.answers.count() == submitted.answers.count()
    assert again.evidence.count() == 3
    assert set(again.evidence.values_list("stored_name", flat=True)).isdisjoint(
        submitted.evidence.values_list("stored_name", flat=True)
    )


def test_more_information_returns_the_application_with_answers_kept(world, submitted):
    answers = submitted.answers.count()
    ask_for_more_information(
        application=submitted, by=world.officer, message="Upload this year's accounts."
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.MORE_INFO
    assert submitted.answers.count() == answers
    assert submitted.is_editable
    assert not EligibilityDecision.objects.filter(organisation=world.org_a).exists()
    assert _emails_to(world.org_a_admin.email, "eligibility:more_info").count() == 1
    resent = submit_application(application=submitted, by=world.org_a_admin, declaration_name="A")
    assert resent.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("status", "verb"),
    [
        ("draft", "find_eligible"),
        ("draft", "find_not_eligible"),
        ("draft", "ask_for_more_information"),
        ("more_info", "find_eligible"),
        ("eligible", "find_not_eligible"),
        ("not_eligible", "find_eligible"),
        ("eligible", "ask_for_more_information"),
        ("submitted", "submit"),
        ("eligible", "submit"),
        ("not_eligible", "submit"),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(world, status, verb):
    application = EligibilityApplicationFactory(
        organisation=world.org_a, status=status, answered=True, with_evidence=True
    )
    calls = {
        "find_eligible": lambda: find_eligible(application=application, by=world.officer),
        "find_not_eligible": lambda: find_not_eligible(
            application=application, by=world.officer, reasons="No."
        ),
        "ask_for_more_information": lambda: ask_for_more_information(
            application=application, by=world.officer, message="More."
        ),
        "submit": lambda: submit_application(
            application=application, by=world.org_a_admin, declaration_name="A"
        ),
    }
    with pytest.raises(EligibilityError) as refused:
        calls[verb]()
    assert refused.value.reason.startswith("This application ")
    application.refresh_from_db()
    assert application.status == status
    assert not EligibilityDecision.objects.exists()
    assert not Notification.objects.exists()


def test_a_submitted_application_cannot_be_edited(world, submitted):
    criterion = submitted.criteria_version.criteria.first()
    with pytest.raises(EligibilityError, match="cannot be changed"):
        save_answer(
            application=submitted, criterion=criterion, value="no", detail="", by=world.org_a_admin
        )
    assert submitted.answers.get(criterion=criterion).value == "yes"


def test_only_officers_decide(world, submitted):
    with pytest.raises(EligibilityError):
        find_eligible(application=submitted, by=world.org_a_admin)


def test_two_members_starting_get_one_application(world):
    first = start_application(organisation=world.org_a, by=world.org_a_admin)
    second = start_application(organisation=world.org_a, by=world.org_a_member)
    assert first.pk == second.pk


def test_an_expired_organisation_is_not_eligible_and_renews_from_its_answers(world, submitted):
    find_eligible(
        application=submitted,
        by=world.officer,
        valid_until=timezone.localdate() + timedelta(days=1),
    )
    later = timezone.localdate() + timedelta(days=2)
    assert "expired" in eligibility_on(world.org_a, later).reason
    renewal = start_application(organisation=world.org_a, by=world.org_a_admin)
    assert renewal.previous == submitted
    assert {a.value for a in renewal.answers.all()} == {a.value for a in submitted.answers.all()}


# --- Pages


def test_the_journey_through_the_question_pages(world):
    client = client_for(world.org_a_admin)
    response = client.post(reverse("diagnostics:eligibility_start"))
    assert response.url == reverse("diagnostics:eligibility_question", args=["local-benefit"])
    response = client.post(response.url, {"value": "yes", "detail": "Advice sessions."})
    assert response.url == reverse("diagnostics:eligibility_question", args=["equality"])
    application = EligibilityApplication.objects.get(organisation=world.org_a)
    assert application.answers.get().detail == "Advice sessions."
    # Saved between visits: the page shows the answer again.
    page = client.get(reverse("diagnostics:eligibility_question", args=["local-benefit"]))
    assert "Advice sessions." in page.content.decode()


def test_a_missing_answer_shows_a_specific_message(world):
    EligibilityApplicationFactory(organisation=world.org_a)
    response = client_for(world.org_a_admin).post(
        reverse("diagnostics:eligibility_question", args=["local-benefit"]),
        {"detail": "Typed but no choice"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select an answer" in html
    assert "Typed but no choice" in html  # nothing typed is lost


def test_a_postcode_outside_the_area_is_refused_with_a_clear_message(world):
    application = EligibilityApplicationFactory(organisation=world.org_a)
    response = client_for(world.org_a_admin).post(
        reverse("diagnostics:eligibility_question", args=["based-in-city"]), {"value": "le11 3tu"}
    )
    assert "LE11 3TU is outside the Leicester City Council area" in response.content.decode()
    assert not application.answers.exists()


def test_a_postcode_in_the_area_is_saved_in_its_standard_form(world):
    application = EligibilityApplicationFactory(organisation=world.org_a)
    client_for(world.org_a_admin).post(
        reverse("diagnostics:eligibility_question", args=["based-in-city"]), {"value": "le2 0ds"}
    )
    assert application.answers.get().value == "LE2 0DS"


def test_the_check_page_sends_the_application_with_the_declaration(world, complete):
    client = client_for(world.org_a_admin)
    page = client.get(reverse("diagnostics:eligibility_check"))
    assert "No, we do not work with children or adults at risk" in page.content.decode()
    response = client.post(
        reverse("diagnostics:eligibility_check"), {"confirm": "on", "full_name": "Amina Okafor"}
    )
    assert response.url == reverse("diagnostics:eligibility_sent")  # its confirmation page
    complete.refresh_from_db()
    assert complete.status == Status.SUBMITTED
    # Now it cannot be edited through the pages either.
    response = client.post(
        reverse("diagnostics:eligibility_question", args=["local-benefit"]), {"value": "no"}
    )
    assert response.url == reverse("diagnostics:eligibility")
    assert complete.answers.get(criterion__slug="local-benefit").value == "yes"


def test_a_member_who_is_not_an_administrator_may_look_but_not_change(world, complete):
    client = client_for(world.org_a_member)
    assert client.get(reverse("diagnostics:eligibility")).status_code == 200
    assert client.get(reverse("diagnostics:eligibility_check")).status_code == 403
    assert client.post(reverse("diagnostics:eligibility_start")).status_code == 403


def test_the_officer_decides_on_the_detail_page(world, submitted):
    client = client_for(world.officer)
    url = reverse("diagnostics:officer_application_detail", args=[submitted.pk])
    response = client.post(url, {"decision": "not_eligible"})
    assert "Enter the reasons the organisation is not eligible" in response.content.decode()
    response = client.post(url, {"decision": "eligible"})
    assert response.url == reverse("diagnostics:officer_applications")
    submitted.refresh_from_db()
    assert submitted.status == Status.ELIGIBLE
    # Deciding again is refused with a clear message.
    response = client.post(url, {"decision": "not_eligible", "message": "x"})
    assert response.status_code == 409
    assert "not waiting for a decision" in response.content.decode()


def test_the_queue_is_oldest_first_and_filters(world):
    old = EligibilityApplicationFactory(organisation=world.org_a, status="submitted")
    old.submitted_at = timezone.now() - timedelta(days=30)
    old.save(update_fields=["submitted_at"])
    other = MembershipFactory(organisation__postcode="LE4 6LF").organisation
    EligibilityApplicationFactory(organisation=other, status="submitted")
    client = client_for(world.officer)
    url = reverse("diagnostics:officer_applications")
    names = [a.organisation.name for a, _, _ in client.get(url).context["rows"]]
    assert names == ["Organisation A", other.name]
    assert [a.organisation for a, _, _ in client.get(url, {"age": "14"}).context["rows"]] == [
        world.org_a
    ]
    assert [a.organisation for a, _, _ in client.get(url, {"district": "LE4"}).context["rows"]] == [
        other
    ]
    theme = world.org_a.priority_themes.first()
    filtered = client.get(url, {"theme": theme.pk}).context["rows"]
    assert world.org_a in [a.organisation for a, _, _ in filtered]
    assert client.get(url, {"status": "eligible"}).context["rows"] == []


def test_emails_render_with_the_message(world, submitted):
    from django.test import override_settings

    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        ask_for_more_information(application=submitted, by=world.officer, message="Send accounts.")
    assert (
        any("Send accounts." in m.body for m in mail.outbox)
        or Notification.objects.filter(body_text__contains="Send accounts.").exists()
    )


def test_an_absurd_year_in_the_expiry_date_is_a_message_not_a_crash(world, submitted):
    # date() raises OverflowError, not ValueError, for a year beyond a C long.
    url = reverse("diagnostics:officer_application_detail", args=[submitted.pk])
    response = client_for(world.officer).post(
        url,
        {
            "decision": "eligible",
            "valid_until_0": "1",
            "valid_until_1": "1",
            "valid_until_2": "9" * 30,
        },
    )
    assert response.status_code == 200
    assert "The date eligibility ends must be a real date" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED

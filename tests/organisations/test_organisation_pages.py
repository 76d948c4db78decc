"""Registering and editing an organisation, through its pages."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import Membership, Organisation, PriorityTheme

from ..conftest import client_for
from ..factories import OrganisationFactory, UserFactory


@pytest.fixture
def form_data(db):
    return {
        "name": "Westcotes Lunch Club",
        "legal_form": "registered_charity",
        "charity_number": "1 076 543",
        "address_line_1": "12 Narborough Road",
        "town": "Leicester",
        "postcode": "le3 0bq",
        "address_is_home": "no",
        "contact_name": "Pat Lee",
        "contact_email": "pat@example.org",
        "main_activities": "A lunch club for older people.",
        "beneficiaries": "Older people in Westcotes.",
        "income_band": "under_10k",
        "staff_count": "0",
        "volunteer_count": "8",
        "priority_themes": [PriorityTheme.objects.get(slug="care-and-support").pk],
    }


def test_a_person_registers_their_organisation_and_becomes_its_admin(db, form_data):
    person = UserFactory()
    response = client_for(person).post(reverse("organisations:register"), form_data)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Westcotes Lunch Club")
    assert organisation.charity_number == "1076543"
    assert organisation.postcode == "LE3 0BQ"
    assert organisation.postcode_district == "LE3"
    assert list(organisation.priority_themes.values_list("slug", flat=True)) == ["care-and-support"]
    assert Membership.objects.get(user=person).role == "admin"
    assert AuditEvent.objects.filter(action="organisation.registered", actor=person).count() == 1


def test_a_second_login_cannot_register_the_same_charity_again(db, form_data):
    OrganisationFactory(name="Already Here", charity_number="1076543")
    response = client_for(UserFactory()).post(reverse("organisations:register"), form_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "An organisation with charity number 1076543 is already registered." in html
    assert "Ask one of its administrators to invite you to join it." in html
    assert Organisation.objects.count() == 1
    # Nothing typed is lost.
    assert 'value="Westcotes Lunch Club"' in html
    assert "A lunch club for older people." in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"charity_number": ""}, "Enter the charity number – a registered charity must give one"),
        ({"charity_number": "12"}, "Enter a charity number in the correct format, like 1234567"),
        ({"postcode": "nowhere"}, "Enter a real postcode, like LE1 6ZG"),
        ({"name": ""}, "Enter your organisation&#x27;s name"),
        ({"staff_count": "lots"}, "Enter a whole number, like 3"),
        ({"staff_count": "-1"}, "Enter a number that is 0 or more"),
        ({"priority_themes": []}, "Select at least one council priority"),
        ({"contact_email": "pat@"}, "Enter an email address in the correct format"),
        ({"website": "not a site"}, "Enter a website address in the correct format"),
        ({"legal_form": "made-up"}, "Select a valid choice"),
    ],
)
def test_bad_answers_get_a_specific_message_and_keep_the_rest(db, form_data, change, message):
    response = client_for(UserFactory()).post(
        reverse("organisations:register"), {**form_data, **change}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    assert 'value="pat@example.org"' in html or "contact_email" in change
    assert not Organisation.objects.exists()


def test_an_admin_edits_the_profile_and_the_change_is_audited(world, form_data):
    form_data["charity_number"] = world.org_a.charity_number
    response = client_for(world.org_a_admin).post(reverse("organisations:edit"), form_data)
    assert response.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.name == "Westcotes Lunch Club"
    assert world.org_a.postcode_district == "LE3"
    event = AuditEvent.objects.get(action="organisation.updated")
    assert "name" in event.data["fields"]


def test_a_plain_member_may_look_but_not_edit(world, form_data):
    client = client_for(world.org_a_member)
    assert client.get(reverse("organisation_home")).status_code == 200
    assert client.get(reverse("organisations:edit")).status_code == 403
    assert client.post(reverse("organisations:edit"), form_data).status_code == 403
    world.org_a.refresh_from_db()
    assert world.org_a.name == "Organisation A"


def test_organisation_b_sees_only_its_own_organisation(world):
    html = client_for(world.org_b_admin).get(reverse("organisation_home")).content.decode()
    assert "Organisation B" in html
    assert "Organisation A" not in html

"""Open data never gives a home's full postcode: registration asks whether the
address is someone's home, and the privacy notice says what is published."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import Organisation, PriorityTheme
from organisations.rules import published_postcode

from ..conftest import client_for
from ..factories import OrganisationFactory, UserFactory

QUESTION = "Is this address someone's home?"
REQUIRED = "Select yes if this address is someone&#x27;s home"


def answer_checked(html: str) -> str | None:
    """The answer to the question that the page shows chosen, if any."""
    radios = re.findall(r'<input[^>]*name="address_is_home"[^>]*>', html)
    assert len(radios) == 2, "the question should be there, as Yes and No"
    checked = [re.search(r'value="(\w+)"', r).group(1) for r in radios if "checked" in r]
    return checked[0] if checked else None


@pytest.fixture
def form_data(db):
    return {
        "name": "Aylestone Knitters",
        "legal_form": "unincorporated",
        "address_line_1": "27 Canal Street",
        "town": "Leicester",
        "postcode": "le2 8lx",
        "address_is_home": "yes",
        "contact_name": "Pat Lee",
        "contact_email": "pat@example.org",
        "main_activities": "A knitting circle.",
        "beneficiaries": "Older people in Aylestone.",
        "income_band": "under_10k",
        "staff_count": "0",
        "volunteer_count": "8",
        "priority_themes": [PriorityTheme.objects.get(slug="care-and-support").pk],
    }


@pytest.mark.parametrize(
    ("postcode", "is_home", "published"),
    [
        ("LE2 0DS", False, "LE2 0DS"),
        ("LE2 0DS", True, "LE2"),
        ("le20ds", True, "LE2"),
        (" le2  0ds ", False, "LE2 0DS"),
        ("SW1A 1AA", True, "SW1A"),
        ("LE18 4PA", True, "LE18"),
        ("", True, ""),
        ("", False, ""),
        ("not a postcode", True, ""),  # a home: never more than a district, so nothing
    ],
)
def test_published_postcode_gives_only_the_district_of_a_home(postcode, is_home, published):
    assert published_postcode(postcode, is_home=is_home) == published


def test_the_registration_page_asks_and_says_what_is_published(db):
    html = client_for(UserFactory()).get(reverse("organisations:register")).content.decode()
    assert QUESTION in html
    assert "only the first half of the postcode (the postcode district, like LE2)" in html
    assert answer_checked(html) is None  # nothing chosen for the person
    assert reverse("privacy") in html


def test_the_question_must_be_answered(db, form_data):
    del form_data["address_is_home"]
    response = client_for(UserFactory()).post(reverse("organisations:register"), form_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_address_is_home' in html  # the error summary links to the question
    assert html.count(REQUIRED) == 2  # in the summary and by the question
    assert not Organisation.objects.exists()


def test_a_made_up_answer_is_refused(db, form_data):
    form_data["address_is_home"] = "maybe"
    response = client_for(UserFactory()).post(reverse("organisations:register"), form_data)
    assert "Select a valid choice" in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("answer", "stored", "published"), [("yes", True, "LE2"), ("no", False, "LE2 8LX")]
)
def test_the_answer_is_stored(db, form_data, answer, stored, published):
    form_data["address_is_home"] = answer
    response = client_for(UserFactory()).post(reverse("organisations:register"), form_data)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Aylestone Knitters")
    assert organisation.address_is_home is stored
    assert organisation.published_postcode == published


def test_the_details_page_shows_the_answer_and_changing_it_is_audited(world, form_data):
    client = client_for(world.org_a_admin)
    html = client.get(reverse("organisations:edit")).content.decode()
    assert answer_checked(html) == "no"  # Organisation A is a charity with premises
    form_data.update(charity_number="", legal_form="unincorporated", name=world.org_a.name)
    assert client.post(reverse("organisations:edit"), form_data).status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.address_is_home is True
    event = AuditEvent.objects.get(action="organisation.updated")
    assert "address_is_home" in event.data["fields"]
    home = client.get(reverse("organisation_home")).content.decode()
    assert "Yes: open data gives only the postcode district, LE2" in home


def test_the_privacy_notice_says_what_open_data_holds(client):
    html = client.get(reverse("privacy")).content.decode()
    assert "What we publish as open data" in html
    assert "only the first half of the postcode (the postcode district, like LE2)" in html
    assert "never the street or the full postcode" in html
    assert "We never publish any person's name, email address or phone number" in html


def test_organisations_registered_before_are_guessed_cautiously(db):
    migration = importlib.import_module("organisations.migrations.0005_address_is_home")
    group = OrganisationFactory(charity_number=None, legal_form="unincorporated")
    charity = OrganisationFactory(address_is_home=True)
    company = OrganisationFactory(charity_number=None, company_number="12345678")
    Organisation.objects.update(address_is_home=False)
    Organisation.objects.filter(pk=charity.pk).update(address_is_home=True)
    migration.guess_homes(apps, None)
    homes = dict(Organisation.objects.values_list("pk", "address_is_home"))
    assert homes == {group.pk: True, charity.pk: False, company.pk: False}

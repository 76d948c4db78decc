"""Registering outside the council's area: only with a note saying why, flagged to officers."""

import pytest
from django.urls import reverse

from organisations import listing
from organisations.models import Organisation, PostcodePrefix, PriorityTheme
from organisations.rules import registered_address_decision
from organisations.services import OrganisationError, register_organisation, update_organisation

from ..conftest import client_for, count_queries
from ..factories import OrganisationFactory, UserFactory
from ..listing import assert_bounded_list

pytestmark = pytest.mark.django_db

TABLE = {"LE1": True, "LE2": True, "LE2 4": False}
NEEDS_NOTE = (
    "Your postcode is outside Leicester. Tell us why your organisation should be registered "
    "here, or enter a Leicester postcode"
)
NOTE_LABEL = "Why should your organisation be registered in Leicester?"


@pytest.mark.parametrize(
    ("postcode", "note", "allowed"),
    [
        ("LE1 6ZG", "", True),
        ("LE2 1AA", "", True),
        ("LE2 4AB", "", False),  # a sector of a city district that is outside (Oadby)
        ("NG1 1AA", "", False),
        ("NG1 1AA", "   ", False),
        ("NG1 1AA", "Most of our members live in Braunstone.", True),
    ],
)
def test_an_address_outside_the_area_needs_a_note(postcode, note, allowed):
    decision = registered_address_decision(
        postcode=postcode, note=note, table=TABLE, area_name="Leicester"
    )
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason == NEEDS_NOTE


def test_the_postcode_table_now_lives_in_organisations():
    table = PostcodePrefix.objects.table()
    assert table["LE1"] is True
    assert table["LE2 4"] is False
    assert "NG1" not in table


@pytest.fixture
def form_data():
    return {
        "name": "Trent Side Lunch Club",
        "legal_form": "unincorporated",
        "address_line_1": "1 Market Square",
        "town": "Nottingham",
        "postcode": "ng1 1aa",
        "address_is_home": "no",
        "contact_name": "Pat Lee",
        "contact_email": "pat@example.org",
        "main_activities": "A lunch club.",
        "beneficiaries": "Older people.",
        "income_band": "under_10k",
        "staff_count": "0",
        "volunteer_count": "8",
        "priority_themes": [PriorityTheme.objects.first().pk],
    }


def test_the_registration_form_asks_nothing_about_the_area_at_first_and_knows_the_contact():
    person = UserFactory(full_name="Pat Lee", email="pat.lee@example.org")
    html = client_for(person).get(reverse("organisations:register")).content.decode()
    assert NOTE_LABEL not in html
    assert 'value="Pat Lee"' in html  # the contact is the person registering, to start with
    assert 'value="pat.lee@example.org"' in html


def test_an_address_outside_the_area_is_asked_why_and_nothing_typed_is_lost(form_data):
    response = client_for(UserFactory()).post(reverse("organisations:register"), form_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert NEEDS_NOTE in html
    assert NOTE_LABEL in html  # the box now shows, without any script
    assert 'value="Trent Side Lunch Club"' in html
    assert 'value="NG1 1AA"' in html or 'value="ng1 1aa"' in html
    assert not Organisation.objects.exists()


def test_with_a_note_it_is_registered_and_flagged_to_officers(world, form_data):
    form_data["outside_area_note"] = "We run our lunch club in Leicester's Braunstone ward."
    response = client_for(UserFactory()).post(reverse("organisations:register"), form_data)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Trent Side Lunch Club")
    assert organisation.outside_area_note == form_data["outside_area_note"]
    assert organisation.is_outside_area

    officer = client_for(world.officer)
    queue = officer.get(reverse("organisations:officer_queue")).content.decode()
    assert "Outside Leicester" in queue
    page = officer.get(reverse("officer_organisation_detail", args=[organisation.pk]))
    html = page.content.decode()
    assert "Outside Leicester" in html
    assert "Braunstone ward" in html


def test_an_address_in_the_area_carries_no_note_even_if_one_was_typed(world, form_data):
    form_data.update(postcode="LE1 6ZG", outside_area_note="Left over from before.")
    client_for(UserFactory()).post(reverse("organisations:register"), form_data)
    organisation = Organisation.objects.get(name="Trent Side Lunch Club")
    assert organisation.outside_area_note == ""
    html = client_for(world.officer).get(reverse("organisations:officer_queue")).content.decode()
    assert "Outside Leicester" not in html


def test_moving_outside_when_editing_asks_why_and_moving_back_clears_it(world, form_data):
    client = client_for(world.org_a_admin)
    form_data["name"] = world.org_a.name
    response = client.post(reverse("organisations:edit"), form_data)
    assert response.status_code == 200
    assert NEEDS_NOTE in response.content.decode()
    world.org_a.refresh_from_db()
    assert world.org_a.postcode == "LE1 6ZG"

    form_data["outside_area_note"] = "Our office moved; our work is all in the city."
    assert client.post(reverse("organisations:edit"), form_data).status_code == 302
    world.org_a.refresh_from_db()
    assert (world.org_a.postcode, world.org_a.is_outside_area) == ("NG1 1AA", True)
    # The note shows again when the details are next changed.
    assert "Our office moved" in client.get(reverse("organisations:edit")).content.decode()

    form_data.update(postcode="LE2 0DS", outside_area_note="Our office moved")
    assert client.post(reverse("organisations:edit"), form_data).status_code == 302
    world.org_a.refresh_from_db()
    assert (world.org_a.postcode, world.org_a.outside_area_note) == ("LE2 0DS", "")


def test_the_services_refuse_an_address_outside_without_a_note(world, form_data):
    data = {k: v for k, v in form_data.items() if k not in ("priority_themes",)}
    data.update(postcode="NG1 1AA", staff_count=0, volunteer_count=8)
    with pytest.raises(OrganisationError, match="outside Leicester"):
        register_organisation(user=UserFactory(), data=data, themes=[])
    with pytest.raises(OrganisationError, match="outside Leicester"):
        update_organisation(
            organisation=world.org_a, by=world.org_a_admin, data={"postcode": "NG1 1AA"}, themes=[]
        )


def test_the_registration_page_reads_the_area_once(db):
    client = client_for(UserFactory())
    url = reverse("organisations:register")
    client.get(url)
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    # 1 session, 2 user, 3 whether they act for a provider, 4 their membership (none),
    # 5 the area's postcode table, 6 and 7 the council priorities for the checkboxes
    # (counted, then read, as the field renders them).
    assert len(queries) == 7, "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_officer_list_flags_without_a_query_more_at_1_and_200(world):
    client = client_for(world.officer)
    count = assert_bounded_list(
        lambda n: OrganisationFactory.create_batch(
            n, postcode="NG1 1AA", outside_area_note="We work in the city."
        ),
        lambda: client.get(reverse("organisations:officer_queue")),
        page_size=listing.PAGE_SIZE,
    )
    assert count == 5  # as tests/organisations/test_officer_list.py: the flag is a column

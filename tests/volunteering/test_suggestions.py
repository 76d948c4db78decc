"""Brokers suggest a role to a volunteer, from the volunteer's page or the role's: the
volunteer is emailed and sees it; saying they are interested names the broker; each
refusal changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import Notification
from tests.conftest import assert_constant_queries, client_for
from tests.factories import UserFactory
from volunteering import volunteer_rules as vr
from volunteering.models import Suggestion
from volunteering.services import VolunteeringError
from volunteering.suggestion_services import suggest
from volunteering.volunteer_services import express_interest, save_profile

from . import matrix

pytestmark = pytest.mark.django_db


def refused(says, **call):
    with pytest.raises(VolunteeringError) as refusal:
        suggest(**call)
    assert says in refusal.value.reason
    assert not Suggestion.objects.exists()
    assert not AuditEvent.objects.filter(action="suggestion.made").exists()


def test_a_broker_suggests_a_role_and_the_volunteer_is_emailed(world):
    person, opportunity = matrix.suggestible(world)
    made = suggest(
        by=world.provider_user, volunteer=person, opportunity=opportunity, note="You live nearby."
    )
    [email] = Notification.objects.filter(
        idempotency_key__startswith=f"opportunity_suggested:{made.pk}:"
    )
    assert email.recipient == world.org_b_admin.email
    assert email.kind == "volunteering:to_volunteer"  # deleted with the volunteer's data
    assert "You live nearby." in email.body_text
    assert AuditEvent.objects.filter(action="suggestion.made").count() == 1
    home = client_for(world.org_b_admin).get(reverse("volunteering:volunteer_home"))
    assert "Suggested by the volunteer centre" in home.content.decode()
    interest = express_interest(
        volunteer=person, by=world.org_b_admin, opportunity=opportunity, message=""
    )
    assert interest.suggested_by == world.provider_user


def test_only_a_broker_suggests(world):
    person, opportunity = matrix.suggestible(world)
    refused(
        "Only the volunteer centre's brokers",
        by=world.org_a_admin,
        volunteer=person,
        opportunity=opportunity,
    )


def test_a_role_the_volunteer_is_too_young_for_is_not_suggested(world):
    person, opportunity = matrix.suggestible(world)
    person.age_band = "16-17"
    person.save(update_fields=["age_band"])
    refused(
        "You cannot suggest this role to this volunteer: this role is for people aged 18",
        by=world.provider_user,
        volunteer=person,
        opportunity=opportunity,
    )


def test_the_same_role_is_suggested_once_and_never_once_they_are_interested(world):
    person, opportunity = matrix.suggestible(world)
    suggest(by=world.provider_user, volunteer=person, opportunity=opportunity)
    with pytest.raises(VolunteeringError, match="already been suggested"):
        suggest(by=world.provider_user, volunteer=person, opportunity=opportunity)
    interest = matrix.interest(world)
    with pytest.raises(VolunteeringError, match="already said they are interested"):
        suggest(by=world.provider_user, volunteer=person, opportunity=interest.opportunity)
    assert Suggestion.objects.count() == 1


def test_ranked_volunteers_puts_the_best_suited_first_and_leaves_out_who_cannot():
    offer = vr.Offer(
        theme_id=1, theme_name="the environment", district="LE2", remote=False,
        schedule="flexible", hours_a_week=None, skills_wanted="", minimum_age=18,
        suitable_for_under_18=False, dbs_needed=False, status="published", ends_on=None,
    )  # fmt: skip

    def profile(district, interests=frozenset(), age="25-34"):
        return vr.Profile(
            age_band=age, district=district, interests=interests, skills="", hours_a_week=None
        )

    ranked = vr.ranked_volunteers(
        offer,
        [
            ("nearby", profile("LE3")),
            ("young", profile("LE2", frozenset({1}), age="16-17")),
            ("best", profile("LE2", frozenset({1}))),
            ("far", profile("NG1")),
        ],
        date(2026, 12, 7),
        limit=5,
    )
    assert [name for name, _found in ranked] == ["best", "nearby"]
    assert ranked[0][1].reasons[0] == "matches your interest in the environment"


def test_from_the_volunteers_page_a_broker_picks_a_role(world):
    person, opportunity = matrix.suggestible(world)
    client = client_for(world.provider_user)
    url = reverse("volunteering:broker_volunteer", args=[person.pk])
    page = client.get(url).content.decode()
    assert opportunity.title in page
    assert "nearby, in LE1" in page  # the reason it suits them
    nothing = client.post(url, {"note": "Have a look"})
    assert "Select a role to suggest" in nothing.content.decode()
    assert "Have a look" in nothing.content.decode()
    done = client.post(url, {"pick": str(opportunity.pk), "note": "Have a look"})
    assert done.url == url
    assert Suggestion.objects.get().note == "Have a look"


def test_from_the_roles_page_a_broker_picks_a_volunteer(world):
    person, opportunity = matrix.suggestible(world)
    client = client_for(world.provider_user)
    url = reverse("volunteering:broker_opportunity_volunteers", args=[opportunity.pk])
    assert "Matrix Volunteer (LE2)" in client.get(url).content.decode()
    client.post(url, {"pick": str(person.pk)})
    assert Suggestion.objects.get().volunteer == person
    # Suggested: no longer offered for this role.
    assert "Matrix Volunteer" not in client.get(url).content.decode()


def test_the_volunteers_list_takes_the_same_queries_however_many(world):
    matrix.as_broker(world)
    client = client_for(world.provider_user)
    counter = iter(range(1000))

    def more(n):
        for _ in range(n):
            user = UserFactory(email=f"v{next(counter)}@example.org")
            save_profile(
                user=user,
                name="A volunteer",
                fields={"postcode_district": "LE2", "age_band": "35-49", "contact_by": "email",
                        "hours_a_week": Decimal(2)},
                themes=[1],
            )  # fmt: skip

    assert_constant_queries(
        more, lambda: client.get(reverse("volunteering:broker_volunteers")), small=1, large=12
    )

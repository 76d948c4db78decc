"""Which providers an organisation may choose, and why not: the list and the one-provider check.

`choosable_providers` (the list) and `provider_can_be_chosen` (the check made
again when the request is sent) must agree on every provider; the reason is
the one the organisation reads.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from delivery import services
from delivery.rules import average_rating
from delivery.selectors import choosable_providers, provider_can_be_chosen, with_ratings
from providers.models import InsuranceCertificate, Provider

from ..factories import AgreedPackageFactory, MembershipFactory, ProviderMembershipFactory
from .support import Journey, approve_for, insure, make_ready

pytestmark = pytest.mark.django_db


def served(provider, provider_user, package, officer, to: str, **options) -> Journey:
    """Another organisation's package of `package`, walked to `to` with `provider`."""
    admin = MembershipFactory()
    agreed = AgreedPackageFactory(
        organisation=admin.organisation, package=package, agreed_by=officer
    )
    journey = Journey(
        agreed,
        org_admin=admin.user,
        provider=provider,
        provider_user=provider_user,
        officer=officer,
    )
    getattr(journey, to)(**options)
    return journey


def listed(agreed, on=None) -> list[Provider]:
    return list(choosable_providers(agreed, on or timezone.localdate()))


def reason(provider, agreed, on=None) -> str:
    decision = provider_can_be_chosen(provider, agreed, on=on or timezone.localdate())
    assert listed(agreed, on).count(provider) == (1 if decision else 0), "list and check disagree"
    return decision.reason


def test_both_approved_insured_providers_are_listed_and_can_be_chosen(
    agreed, provider, other_provider
):
    assert listed(agreed) == sorted([provider, other_provider], key=lambda p: p.name)
    assert provider_can_be_chosen(provider, agreed, on=timezone.localdate())
    assert reason(other_provider, agreed) == ""


@pytest.mark.parametrize("status", ["draft", "submitted", "more_info", "rejected", "suspended"])
def test_a_provider_not_approved_for_the_package_is_left_out(agreed, officer, status):
    membership = ProviderMembershipFactory()
    provider = membership.provider
    insure(provider, by=membership.user)
    approve_for(provider, agreed.package, by=officer, status=status)

    assert reason(provider, agreed) == "This provider is not approved to deliver this package."


def test_a_provider_approved_only_for_another_package_is_left_out(agreed, officer):
    membership = ProviderMembershipFactory()
    other = AgreedPackageFactory().package
    make_ready(membership.provider, other, by=membership.user, officer=officer)

    assert "not approved to deliver this package" in reason(membership.provider, agreed)


@pytest.mark.parametrize(
    ("kind", "days", "lapsed"),
    [
        ("pi", -1, True),  # ended yesterday
        ("pl", -1, True),
        ("pi", 0, False),  # its last day of cover is today: still in force
        ("pl", 0, False),
    ],
)
def test_a_provider_whose_insurance_has_ended_is_left_out(agreed, provider, kind, days, lapsed):
    today = timezone.localdate()
    InsuranceCertificate.objects.filter(provider=provider, kind=kind).update(
        expires_on=today + timedelta(days=days)
    )

    said = reason(provider, agreed, today)

    assert ("approval has lapsed" in said) is lapsed
    assert (said == "") is not lapsed


def test_a_provider_that_employs_staff_needs_employers_liability_insurance(agreed, provider):
    Provider.objects.filter(pk=provider.pk).update(employs_staff=True)
    provider.refresh_from_db()

    assert "approval has lapsed" in reason(provider, agreed)

    insure(provider, by=provider.memberships.get().user, kinds=["el"])
    assert reason(provider, agreed) == ""


def test_a_provider_missing_a_certificate_is_left_out(agreed, provider):
    InsuranceCertificate.objects.filter(provider=provider, kind="pl").delete()

    assert "approval has lapsed" in reason(provider, agreed)


def test_a_provider_with_the_organisation_s_charity_number_is_left_out(
    agreed, provider, other_provider
):
    Provider.objects.filter(pk=other_provider.pk).update(
        charity_number=agreed.organisation.charity_number
    )

    assert "linked to your organisation" in reason(other_provider, agreed)
    assert listed(agreed) == [provider]


def test_a_provider_with_the_organisation_s_company_number_is_left_out(agreed, provider):
    agreed.organisation.company_number = provider.company_number
    agreed.organisation.save(update_fields=["company_number"])

    assert "linked to your organisation" in reason(provider, agreed)


def test_a_provider_that_declared_a_conflict_with_the_organisation_is_left_out(
    agreed, provider, other_provider, world
):
    other_provider.declared_conflicts.add(world.org_b)  # another organisation: no effect
    assert reason(other_provider, agreed) == ""

    other_provider.declared_conflicts.add(agreed.organisation)

    assert "linked to your organisation" in reason(other_provider, agreed)
    assert listed(agreed) == [provider]


@pytest.mark.parametrize(
    ("other_work", "busy"),
    [
        ("requested", False),  # a request not yet accepted takes no room
        ("accepted", True),
        ("in_delivery", True),
        ("disputed", True),  # a dispute may send the work back to it
        ("delivered", False),
        ("confirmed", False),
        ("paid", False),
    ],
)
def test_a_provider_at_full_capacity_is_left_out(
    agreed, provider, provider_user, officer, other_work, busy
):
    Provider.objects.filter(pk=provider.pk).update(capacity=1)
    provider.refresh_from_db()
    served(provider, provider_user, agreed.package, officer, other_work)

    said = reason(provider, agreed)

    if busy:
        assert said == (
            "This provider is at full capacity: it is delivering 1 package and can take 1 at once."
        )
    else:
        assert said == ""


def test_capacity_counts_every_package_it_is_busy_with(agreed, provider, provider_user, officer):
    Provider.objects.filter(pk=provider.pk).update(capacity=3)
    provider.refresh_from_db()
    for to in ("accepted", "in_delivery"):
        served(provider, provider_user, agreed.package, officer, to)
    assert reason(provider, agreed) == ""

    served(provider, provider_user, agreed.package, officer, "accepted")

    assert "it is delivering 3 packages and can take 3 at once" in reason(provider, agreed)


def test_a_request_to_a_provider_that_cannot_be_chosen_is_refused_with_the_reason(
    agreed, org_admin, other_provider
):
    other_provider.declared_conflicts.add(agreed.organisation)

    with pytest.raises(services.DeliveryError) as refused:
        services.request_provider(agreed, provider=other_provider, message="Hi", by=org_admin)

    assert "linked to your organisation" in refused.value.reason
    assert agreed.provider_requests.count() == 0


def test_ratings_count_only_packages_the_provider_delivered_and_were_rated(
    agreed, provider, provider_user, other_provider, other_provider_user, officer
):
    package = agreed.package
    for score in (4, 4, 4, 5):
        served(provider, provider_user, package, officer, "paid", score=score)
    # Not rated: confirmed by an officer after a dispute, or not yet confirmed.
    disputed = served(provider, provider_user, package, officer, "disputed")
    disputed.confirmed()
    served(provider, provider_user, package, officer, "delivered")
    # Another provider's rating is its own.
    served(other_provider, other_provider_user, package, officer, "confirmed", score=1)

    rows = {p.pk: p for p in listed(agreed)}

    assert rows[provider.pk].rating_count == 4
    assert rows[provider.pk].rating_average == average_rating([4, 4, 4, 5])
    # As the page shows it: one decimal place, a half rounded up (4.25 → 4.3).
    assert str(rows[provider.pk].rating_average) == "4.3"
    assert (rows[other_provider.pk].rating_count, rows[other_provider.pk].rating_average) == (
        1,
        average_rating([1]),
    )


def test_a_provider_with_no_ratings_has_none(agreed, provider):
    [row] = with_ratings(Provider.objects.filter(pk=provider.pk))

    assert (row.rating_count, row.rating_average) == (0, None)


def test_a_hidden_comment_still_counts_in_the_rating(agreed, provider, provider_user, officer):
    first = served(provider, provider_user, agreed.package, officer, "confirmed", score=2)
    services.hide_rating_comment(first.confirmed(), by=officer, reason="Abusive")
    served(provider, provider_user, agreed.package, officer, "confirmed", score=5)

    [row] = with_ratings(Provider.objects.filter(pk=provider.pk))

    assert (row.rating_count, row.rating_average) == (2, average_rating([2, 5]))

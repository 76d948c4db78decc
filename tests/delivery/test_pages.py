"""The organisation's and the officer's pages of the delivery journey."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from allowances.models import AgreedStatus, LedgerEntry
from delivery.models import Claim, ProviderRequest
from diagnostics.rules import long_date
from notifications.deadlines import CHOOSE_PROVIDER, change_deadline
from notifications.models import Deadline
from notifications.rules import Period
from providers.models import Language

from ..conftest import assert_constant_queries, client_for
from ..factories import AgreedPackageFactory, PackageFactory, ProviderMembershipFactory
from .support import Journey, make_ready

S = AgreedStatus


def _ready_provider(package, officer, n):
    membership = ProviderMembershipFactory(
        provider__name=f"Provider {n:03d}", user__email=f"p{n}-{id(package)}@example.org"
    )
    return make_ready(membership.provider, package, by=membership.user, officer=officer)


# ---------------------------------------------------------------- choosing


def test_the_directory_lists_only_providers_that_can_be_chosen(
    world, agreed, org_admin, provider, other_provider, officer
):
    full = _ready_provider(agreed.package, officer, 900)
    full.capacity = 1
    full.save(update_fields=["capacity"])
    # `full` is busy with another organisation's package.
    elsewhere = AgreedPackageFactory(
        organisation=world.org_b, package=agreed.package, agreed_by=officer
    )
    Journey(
        elsewhere,
        org_admin=world.org_b_admin,
        provider=full,
        provider_user=full.memberships.get().user,
        officer=officer,
    ).accepted()
    linked = _ready_provider(agreed.package, officer, 901)
    linked.declared_conflicts.add(agreed.organisation)
    unapproved = ProviderMembershipFactory(provider__name="Not Approved Ltd").provider
    page = client_for(org_admin).get(reverse("delivery:choose", args=[agreed.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert provider.name in body and other_provider.name in body
    assert full.name not in body
    assert linked.name not in body and unapproved.name not in body


def test_the_directory_filters_by_language(agreed, org_admin, provider, other_provider):
    gujarati = Language.objects.get(name="Gujarati")
    other_provider.languages.add(gujarati)
    page = client_for(org_admin).get(
        reverse("delivery:choose", args=[agreed.pk]), {"language": gujarati.pk}
    )
    body = page.content.decode()
    assert other_provider.name in body
    assert provider.name not in body


def test_the_directory_runs_a_fixed_number_of_queries(agreed, org_admin, officer, provider):
    made = [0]

    def make_rows(n):
        for _ in range(n):
            made[0] += 1
            _ready_provider(agreed.package, officer, made[0])

    client = client_for(org_admin)
    assert_constant_queries(
        make_rows,
        lambda: client.get(reverse("delivery:choose", args=[agreed.pk])),
        small=1,
        large=20,
    )


def test_the_local_vcs_filter_is_one_checkbox_that_filters_only_when_ticked(
    agreed, org_admin, provider, other_provider
):
    type(provider).objects.filter(pk=provider.pk).update(is_local_vcs=True)
    url = reverse("delivery:choose", args=[agreed.pk])
    client = client_for(org_admin)
    unticked = client.get(url, {"q": ""}).content.decode()
    assert provider.name in unticked and other_provider.name in unticked
    assert 'type="checkbox" name="local_vcs"' in unticked
    assert 'class="govuk-checkboxes__input"' in unticked
    assert "Unknown" not in unticked
    ticked = client.get(url, {"local_vcs": "on"}).content.decode()
    assert provider.name in ticked and other_provider.name not in ticked
    assert 'name="local_vcs" class="govuk-checkboxes__input" id="id_local_vcs" checked' in ticked


def test_the_directory_says_when_a_provider_must_be_chosen_by(agreed, org_admin, provider):
    html = client_for(org_admin).get(reverse("delivery:choose", args=[agreed.pk])).content
    choose_by = agreed.agreed_on + timedelta(weeks=8)
    assert f"Send a request to a provider by {long_date(choose_by)}, 8 weeks after" in (
        html.decode()
    )


def test_the_package_leads_its_administrators_straight_to_the_providers(
    world, agreed, org_admin, journey
):
    detail = reverse("allowances:agreed_package_detail", args=[agreed.pk])
    choose, package = (
        reverse("delivery:choose", args=[agreed.pk]),
        reverse("delivery:package", args=[agreed.pk]),
    )
    html = client_for(org_admin).get(detail).content.decode()
    assert f'href="{choose}">Choose a provider</a>' in html and package not in html
    # A plain member and council staff cannot choose: they follow the journey instead.
    for user in (world.org_a_member, world.officer):
        html = client_for(user).get(detail).content.decode()
        assert choose not in html and f'href="{package}">Provider and delivery</a>' in html
    journey.requested()
    html = client_for(org_admin).get(detail).content.decode()
    assert choose not in html and package in html


def test_the_organisations_packages_say_when_to_choose_a_provider_by(
    world, agreed, org_admin, manager, journey, package
):
    waiting = AgreedPackageFactory(
        organisation=world.org_a, package=PackageFactory(), agreed_by=world.officer
    )
    journey.requested()
    change_deadline(
        Deadline.objects.get(code=CHOOSE_PROVIDER), by=manager, period=Period(6, "weeks")
    )
    html = client_for(org_admin).get(reverse("allowances:organisation_packages")).content
    choose_by = long_date(waiting.agreed_on + timedelta(weeks=6))
    # Once for the package still waiting; none for the one whose provider was asked.
    assert html.decode().count(f"Choose a provider by {choose_by}") == 1


def test_a_linked_providers_profile_is_not_found(agreed, org_admin, provider):
    provider.declared_conflicts.add(agreed.organisation)
    url = reverse("delivery:provider_profile", args=[agreed.pk, provider.pk])
    assert client_for(org_admin).get(url).status_code == 404


def test_sending_a_request_twice_makes_one_request(agreed, org_admin, provider):
    url = reverse("delivery:provider_profile", args=[agreed.pk, provider.pk])
    client = client_for(org_admin)
    first = client.post(url, {"message": "Could you start in January?"})
    assert first.status_code == 302
    second = client.post(url, {"message": "Could you start in January?"}, follow=True)
    assert "A provider has already been chosen." in second.content.decode()
    assert ProviderRequest.objects.filter(agreed_package=agreed).count() == 1


def test_an_empty_request_message_is_refused_and_nothing_is_sent(agreed, org_admin, provider):
    url = reverse("delivery:provider_profile", args=[agreed.pk, provider.pk])
    page = client_for(org_admin).post(url, {"message": "   "})
    assert "Enter a message to the provider" in page.content.decode()
    assert not ProviderRequest.objects.filter(agreed_package=agreed).exists()


def test_withdrawing_lets_the_organisation_choose_again(agreed, org_admin, journey):
    journey.requested()
    response = client_for(org_admin).post(reverse("delivery:withdraw", args=[agreed.pk]))
    assert response.status_code == 302
    agreed.refresh_from_db()
    assert agreed.status == S.AGREED


# ---------------------------------------------------------------- confirming, disputing


def test_confirming_without_a_rating_keeps_the_comment_and_says_what_to_do(
    agreed, org_admin, journey
):
    journey.delivered()
    url = reverse("delivery:confirm", args=[agreed.pk])
    page = client_for(org_admin).post(url, {"comment": "Very helpful sessions"})
    body = page.content.decode()
    assert "Choose a rating from 1 to 5" in body and "Very helpful sessions" in body
    agreed.refresh_from_db()
    assert agreed.status == S.DELIVERED


def test_confirming_with_a_rating(agreed, org_admin, journey):
    journey.delivered()
    url = reverse("delivery:confirm", args=[agreed.pk])
    response = client_for(org_admin).post(url, {"score": "5", "comment": "Excellent"})
    assert response.status_code == 302
    agreed.refresh_from_db()
    assert agreed.status == S.CONFIRMED
    assert ProviderRequest.objects.get(agreed_package=agreed, status="accepted").rating.score == 5


def test_an_organisation_that_was_not_served_cannot_rate(agreed, other_org_admin, journey):
    journey.delivered()
    url = reverse("delivery:confirm", args=[agreed.pk])
    assert client_for(other_org_admin).post(url, {"score": "1"}).status_code == 404
    agreed.refresh_from_db()
    assert agreed.status == S.DELIVERED


def test_disputing_needs_a_reason_then_reaches_the_officers(agreed, org_admin, officer, journey):
    journey.delivered()
    url = reverse("delivery:dispute", args=[agreed.pk])
    client = client_for(org_admin)
    assert "Enter what was not delivered as agreed" in client.post(url, {}).content.decode()
    client.post(url, {"reason": "Only one of the three workshops happened."})
    disputes = client_for(officer).get(reverse("delivery:disputes")).content.decode()
    assert agreed.organisation.name in disputes


def test_an_officer_resolves_a_dispute_back_to_delivery(agreed, officer, journey):
    dispute = journey.disputed()
    url = reverse("delivery:resolve_dispute", args=[dispute.pk])
    page = client_for(officer).post(url, {"outcome": "back_to_delivery"})
    assert "Enter the reason for your decision" in page.content.decode()
    client_for(officer).post(
        url, {"outcome": "back_to_delivery", "resolution": "Two workshops still to run."}
    )
    agreed.refresh_from_db()
    assert agreed.status == S.IN_DELIVERY


def test_an_officer_hides_an_abusive_comment_but_the_score_counts(agreed, officer, journey):
    rating = journey.confirmed()
    url = reverse("delivery:hide_rating", args=[rating.pk])
    client_for(officer).post(url, {"reason": "Personal abuse of a named trainer."})
    rating.refresh_from_db()
    assert rating.is_hidden and rating.score == 4


# ---------------------------------------------------------------- claims


def test_approving_a_claim_turns_the_commitment_into_spend(agreed, officer, journey):
    claim = journey.claimed()
    response = client_for(officer).post(
        reverse("delivery:approve_claim", args=[claim.pk]), {"amount": str(claim.amount)}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    spend = LedgerEntry.objects.get(agreed_package=agreed, kind="spend")
    assert spend.amount == claim.amount == agreed.value


def test_an_officer_cannot_pay_more_than_the_agreed_value(agreed, officer, journey):
    claim = journey.claimed()
    page = client_for(officer).post(
        reverse("delivery:approve_claim", args=[claim.pk]),
        {"amount": str(agreed.value + Decimal("100"))},
    )
    assert "Only a manager can approve it" in page.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert not LedgerEntry.objects.filter(agreed_package=agreed, kind="spend").exists()


def test_rejecting_needs_a_reason(agreed, officer, journey):
    claim = journey.claimed()
    url = reverse("delivery:reject_claim", args=[claim.pk])
    page = client_for(officer).post(url, {"reason": ""})
    assert "Enter why the claim is being rejected" in page.content.decode()
    client_for(officer).post(url, {"reason": "The invoice names the wrong organisation."})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED


def test_the_finance_export_has_one_row_per_approved_claim(agreed, officer, journey, provider):
    claim = journey.paid()
    response = client_for(officer).get(reverse("reports:claims_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Provider", "Registration number"]
    assert rows[1][0] == claim.reference and rows[1][1] == provider.name
    assert rows[1][4] == agreed.organisation.name
    assert Decimal(rows[1][5]) == claim.amount_paid
    assert len(rows) == 2


@pytest.mark.parametrize("status", ["submitted", ""])
def test_the_claim_queue_runs_a_fixed_number_of_queries(world, officer, status):
    from .support import package_at

    client = client_for(officer)

    def make_rows(n):
        for _ in range(n):
            agreed = package_at(world, "confirmed")
            from delivery.services import submit_claim

            submit_claim(
                agreed, by=world.provider_user, amount=agreed.value, invoice_reference="INV-1"
            )

    assert_constant_queries(
        make_rows,
        lambda: client.get(reverse("delivery:claims"), {"status": status}),
        small=1,
        large=10,
    )


def test_a_package_page_shows_the_journey_to_the_organisation(agreed, org_admin, journey):
    journey.in_delivery()
    page = client_for(org_admin).get(reverse("delivery:package", args=[agreed.pk]))
    body = page.content.decode()
    assert journey.provider.name in body
    assert "Sessions delivered: 1" in body


def test_with_no_approved_provider_the_directory_says_what_to_do(agreed, org_admin):
    PackageFactory(name="Unrelated package")
    page = client_for(org_admin).get(reverse("delivery:choose", args=[agreed.pk]))
    assert "No approved provider" in page.content.decode()

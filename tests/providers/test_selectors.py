"""The reads the lead's directory and the reminder job rely on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from providers.models import Provider
from providers.selectors import approved_for, insurance_expiring_between, lapsed_on

from ..factories import OrganisationFactory, PackageFactory, ProviderFactory
from .factories import PackageApplicationFactory, meet_essentials

pytestmark = pytest.mark.django_db


def approved(package, **provider_fields):
    provider = meet_essentials(ProviderFactory(**provider_fields))
    PackageApplicationFactory(provider=provider, package=package, status="approved")
    return provider


def test_approved_for_lists_only_current_unlapsed_approvals_of_the_package():
    today = timezone.localdate()
    package = PackageFactory()
    good = approved(package)
    lapsing = approved(package)
    lapsing.certificates.filter(kind="pi").update(expires_on=today + timedelta(days=5))
    suspended = meet_essentials(ProviderFactory())
    PackageApplicationFactory(provider=suspended, package=package, status="suspended")
    removed = meet_essentials(ProviderFactory())
    PackageApplicationFactory(provider=removed, package=package, status="removed")
    pending = meet_essentials(ProviderFactory())
    PackageApplicationFactory(provider=pending, package=package, status="submitted")
    approved(PackageFactory())  # another package

    assert set(approved_for(package, today)) == {good, lapsing}
    assert set(approved_for(package, today + timedelta(days=5))) == {good, lapsing}
    assert set(approved_for(package, today + timedelta(days=6))) == {good}


def test_employers_liability_counts_only_for_employers():
    today = timezone.localdate()
    package = PackageFactory()
    employer = approved(package, employs_staff=True)
    assert employer in approved_for(package, today)
    employer.certificates.filter(kind="el").delete()
    assert employer not in approved_for(package, today)
    assert lapsed_on(Provider.objects.get(pk=employer.pk), today)


def test_lapsed_on_is_computed_from_the_dates():
    today = timezone.localdate()
    provider = meet_essentials(ProviderFactory())
    provider.certificates.filter(kind="pl").update(expires_on=today)
    provider = Provider.objects.get(pk=provider.pk)
    assert not lapsed_on(provider, today)
    assert lapsed_on(provider, today + timedelta(days=1))
    assert Provider.objects.lapsed_on(today + timedelta(days=1)).filter(pk=provider.pk).exists()
    assert not Provider.objects.lapsed_on(today).filter(pk=provider.pk).exists()


def test_not_linked_to_excludes_the_same_registration_number_and_declared_conflicts():
    organisation = OrganisationFactory(charity_number="1100999", company_number="08123456")
    same_charity = ProviderFactory(provider_type="vcs", charity_number="1100999")
    same_company = ProviderFactory(company_number="08123456")
    declared = ProviderFactory()
    declared.declared_conflicts.add(organisation, OrganisationFactory())
    conflicted_elsewhere = ProviderFactory()
    conflicted_elsewhere.declared_conflicts.add(OrganisationFactory())
    free = ProviderFactory()

    chosen = set(Provider.objects.not_linked_to(organisation))
    assert {same_charity, same_company, declared}.isdisjoint(chosen)
    assert {conflicted_elsewhere, free} <= chosen


def test_not_linked_to_an_organisation_without_numbers():
    organisation = OrganisationFactory(charity_number=None, legal_form="unincorporated")
    unnumbered = ProviderFactory(provider_type="sole_trader", company_number=None)
    assert unnumbered in Provider.objects.not_linked_to(organisation)


def test_insurance_expiring_between_is_inclusive_and_only_for_providers_on_the_register():
    today = timezone.localdate()
    on_register = meet_essentials(ProviderFactory())
    not_joined = meet_essentials(ProviderFactory(), joined=False)
    for provider in (on_register, not_joined):
        provider.certificates.filter(kind="pi").update(expires_on=today + timedelta(days=30))
        provider.certificates.filter(kind="pl").update(expires_on=today + timedelta(days=31))
    found = list(insurance_expiring_between(today, today + timedelta(days=30)))
    assert [(c.provider, c.kind) for c in found] == [(on_register, "pi")]

"""seed_demo's register: every type, every stage, a lapsed approval, run twice."""

import io

import pytest
from django.utils import timezone

from organisations.models import User
from providers.demo import seed_providers
from providers.models import PackageApplication, Provider
from providers.selectors import essential_failures, lapsed_on
from vcs_support.management.commands.seed_demo import _person

pytestmark = pytest.mark.django_db


def test_the_demo_register_shows_every_type_and_stage():
    _person("officer@example.org", "Priya Officer", User.Role.OFFICER)
    seed_providers(io.StringIO(), _person)
    seed_providers(io.StringIO(), _person)  # idempotent, as seed_demo runs every time
    today = timezone.localdate()
    assert set(Provider.objects.values_list("provider_type", flat=True)) == {
        "vcs",
        "sole_trader",
        "company",
        "public_body",
    }
    for email in ("provider@example.org", "provider2@example.org"):
        provider = Provider.objects.get(memberships__user__email=email)
        assert provider.has_joined_register
        assert essential_failures(provider, today) == []
        assert provider.package_applications.filter(status="approved").count() >= 3
        assert not lapsed_on(provider, today)
    statuses = set(PackageApplication.objects.values_list("status", flat=True))
    assert {"approved", "submitted", "rejected", "more_info"} <= statuses
    lapsed = Provider.objects.get(name="Leicester College Community Learning")
    assert lapsed.package_applications.filter(status="approved").exists()
    assert lapsed_on(lapsed, today)
    assert PackageApplication.objects.filter(provider__name="Fosse Consulting").count() == 4

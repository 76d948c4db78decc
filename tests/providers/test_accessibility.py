"""axe (WCAG 2.2 AA) on the register's pages in the states the matrix's crawl does not
reach: a provider on the register with certificates expiring and expired, applications
in every state, and the officer's views of them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import (  # noqa: F401 - fixtures
    BROWSER_TEST,
    axe_violations,
    browser,
    context,
    insecure_cookies,
    load_axe,
    new_context,
    page,
    sign_in,
)

from ..conftest import build_world
from .factories import PackageApplicationFactory, meet_essentials

pytestmark = BROWSER_TEST

STATES = ["draft", "submitted", "more_info", "approved", "rejected", "suspended", "removed"]


def _provider_world():
    world = build_world()
    provider = meet_essentials(world.provider)
    today = timezone.localdate()
    provider.certificates.filter(kind="pi").update(expires_on=today + timedelta(days=10))
    provider.certificates.filter(kind="pl").update(expires_on=today - timedelta(days=1))
    applications = {s: PackageApplicationFactory(provider=provider, status=s) for s in STATES}
    return world, provider, applications


@pytest.mark.parametrize("role", ["provider", "officer"])
def test_register_pages_in_their_states_pass_axe(context, page, live_server, role):  # noqa: F811
    world, provider, applications = _provider_world()
    sign_in(context, live_server, world.user_for(role))
    load_axe(context)
    if role == "provider":
        urls = [reverse("providers:home"), reverse("providers:insurance", args=["pi"])]
        urls += [
            reverse("providers:application_detail", args=[a.pk]) for a in applications.values()
        ]
        urls.append(reverse("providers:application_edit", args=[applications["more_info"].pk]))
    else:
        urls = [
            reverse("providers:officer_register"),
            reverse("providers:officer_queue"),
            reverse("providers:officer_provider", args=[provider.pk]),
        ]
        urls += [
            reverse("providers:officer_application", args=[a.pk]) for a in applications.values()
        ]
        urls += [
            reverse("providers:officer_approval_change", args=[applications[s].pk])
            for s in ("approved", "suspended")
        ]
    problems = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        problems += axe_violations(page, url)
    assert not problems, "\n\n".join(problems)

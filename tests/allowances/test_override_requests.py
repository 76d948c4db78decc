"""An officer refused by a cap asks a manager; one manager decides; everyone is told."""

from functools import partial

import pytest
from django.urls import reverse
from django.utils import timezone

from allowances.models import AgreedPackage, OverrideRequest
from allowances.override_requests import (
    OverrideRequestRefused,
    ask_for_override,
    decide_override,
)
from audit.models import AuditEvent
from notifications.models import Notification

from ..conftest import client_for
from ..delivery.test_concurrency import run_together
from ..factories import AgreedPackageFactory, ManagerFactory, PackageFactory


def _at_the_cap(world):
    """Organisation A with this year's two packages agreed: a third needs an override."""
    for _ in range(2):
        AgreedPackageFactory(organisation=world.org_a, agreed_by=world.officer)
    return PackageFactory(name="Fund raising")


def _ask(world, package, reason="Their bid closes in March and they cannot wait."):
    return ask_for_override(
        organisation=world.org_a,
        package=package,
        by=world.officer,
        reason=reason,
        on=timezone.localdate(),
    )


@pytest.mark.django_db
def test_the_refused_officer_asks_from_the_check_page_and_lands_on_a_confirmation(world):
    package = _at_the_cap(world)
    client = client_for(world.officer)
    check = client.get(reverse("allowances:agree_confirm", args=[world.org_a.pk, package.pk]))
    ask_url = reverse("allowances:override_request_new", args=[world.org_a.pk, package.pk])
    assert ask_url in check.content.decode()
    empty = client.post(ask_url, {"reason": ""})
    assert "Enter why the package should be agreed anyway" in empty.content.decode()
    response = client.post(ask_url, {"reason": "Their bid closes in March."})
    made = OverrideRequest.objects.get()
    assert response.url == reverse("allowances:override_request_sent", args=[made.pk])
    page = client.get(response.url).content.decode()
    assert "Override requested" in page and made.reference in page
    assert "already has 2 packages" in made.refusals
    assert AuditEvent.objects.filter(action="override_request.sent", object_id=str(made.pk))
    assert Notification.objects.filter(
        recipient=world.manager.email, kind__contains="override"
    ).exists()
    # The manager's home page has it to decide.
    home = client_for(world.manager).get(reverse("home")).content.decode()
    assert "Override requests to decide (1)" in home


@pytest.mark.django_db
def test_no_request_when_nothing_needs_overriding_or_one_is_already_waiting(world):
    AgreedPackageFactory(organisation=world.org_a, agreed_by=world.officer)  # eligible, 1 of 2
    with pytest.raises(OverrideRequestRefused, match="No override is needed"):
        _ask(world, PackageFactory())
    AgreedPackageFactory(organisation=world.org_a, agreed_by=world.officer)  # 2 of 2
    package = PackageFactory()
    _ask(world, package)
    with pytest.raises(OverrideRequestRefused, match="already waiting"):
        _ask(world, package)
    assert OverrideRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_manager_agrees_it_with_their_reason_as_the_override(world):
    package = _at_the_cap(world)
    made = _ask(world, package)
    client = client_for(world.manager)
    url = reverse("allowances:override_request", args=[made.pk])
    response = client.post(url, {"decision": "agree", "reason": "The bid is worth it."})
    assert response.url == reverse("allowances:override_request_decided", args=[made.pk])
    made.refresh_from_db()
    agreed = made.agreed_package
    assert made.status == "agreed" and agreed.package == package
    assert agreed.cap_override and agreed.agreed_by == world.manager
    assert "The bid is worth it." in agreed.override_reason
    assert made.reference in agreed.override_reason  # the overrides report shows where it came from
    assert Notification.objects.filter(
        recipient=world.officer.email, subject__contains="agreed"
    ).exists()
    page = client.get(response.url).content.decode()
    assert "Package agreed with an override" in page
    overrides = client.get(reverse("allowances:overrides")).content.decode()
    assert "The bid is worth it." in overrides


@pytest.mark.django_db
def test_a_refusal_tells_the_officer_and_the_organisation_and_agrees_nothing(world):
    package = _at_the_cap(world)
    made = _ask(world, package)
    before = AgreedPackage.objects.count()
    decide_override(
        made.pk, by=world.manager, agree=False, reason="The budget is needed elsewhere."
    )
    made.refresh_from_db()
    assert made.status == "refused" and AgreedPackage.objects.count() == before
    assert Notification.objects.filter(
        recipient=world.officer.email, subject__startswith="Override refused"
    ).exists()
    to_organisation = Notification.objects.get(
        recipient=world.org_a.contact_email, kind__contains="refused"
    )
    assert "The budget is needed elsewhere." in to_organisation.body_text
    assert AuditEvent.objects.filter(action="override_request.refused").count() == 1


@pytest.mark.django_db
def test_only_managers_decide_and_an_officer_sees_only_their_own_requests(world):
    made = _ask(world, _at_the_cap(world))
    with pytest.raises(OverrideRequestRefused, match="Only managers"):
        decide_override(made.pk, by=world.officer, agree=True, reason="I say so.")
    officer = client_for(world.officer)
    assert (
        officer.post(
            reverse("allowances:override_request", args=[made.pk]),
            {"decision": "agree", "reason": "x"},
        ).status_code
        == 404
    )
    other_officer = client_for(ManagerFactory(role="officer"))
    assert (
        other_officer.get(reverse("allowances:override_request", args=[made.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_deciding_a_decided_request_says_who_decided_it(world):
    made = _ask(world, _at_the_cap(world))
    decide_override(made.pk, by=world.manager, agree=False, reason="Not this year.")
    with pytest.raises(OverrideRequestRefused, match="already decided this request"):
        decide_override(made.pk, by=ManagerFactory(), agree=True, reason="Yes this year.")


@pytest.mark.django_db(transaction=True)
def test_two_managers_deciding_at_once_one_wins_and_the_other_is_told(world):
    package = _at_the_cap(world)
    for round_ in range(5):
        made = _ask(world, package if round_ == 0 else PackageFactory())
        second = ManagerFactory()
        jobs = [
            partial(decide_override, made.pk, by=world.manager, agree=True, reason="Agree."),
            partial(decide_override, made.pk, by=second, agree=False, reason="Refuse."),
        ]
        results = run_together(jobs)
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        refused = next(value for kind, value in results if kind == "refused")
        assert "already decided this request" in refused
        made.refresh_from_db()
        assert AgreedPackage.objects.filter(override_request=made).count() == (
            1 if made.status == "agreed" else 0
        )
        decisions = AuditEvent.objects.filter(
            object_id=str(made.pk),
            action__in=["override_request.agreed", "override_request.refused"],
        )
        assert decisions.count() == 1

"""The package menu: public browsing, managers maintaining it, the seeded nine."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from packages.models import Package
from packages.services import PackageError, reinstate_package, withdraw_package

from ..conftest import assert_constant_queries, client_for
from ..factories import AgreedPackageFactory, PackageFactory

SEEDED = [
    "Professional Support: finance, HR and ICT",
    "Financial Sustainability",
    "Organisational Set-Up",
    "Marketing Support",
    "Fund Raising",
    "Procurement",
    "Outcomes and Values",
    "New Ways of Working",
    "Volunteering",
]


def test_the_nine_packages_from_the_proposals_are_on_the_menu(db):
    packages = Package.objects.filter(name__in=SEEDED)
    assert sorted(p.name for p in packages) == sorted(SEEDED)
    assert all(Decimal("1500") <= p.value <= Decimal("3000") for p in packages)
    assert all(p.is_active for p in packages)
    assert packages.get(name="Volunteering").strand == "volunteering"


def test_anyone_can_browse_the_active_menu_but_not_withdrawn_packages(world):
    withdrawn = PackageFactory(name="Old Package", status=Package.Status.WITHDRAWN)
    html = client_for(None).get(reverse("packages:menu")).content.decode()
    assert "Financial Sustainability" in html and "£2,500.00" in html
    assert "Old Package" not in html
    url = reverse("packages:detail", args=[withdrawn.slug])
    assert client_for(None).get(url).status_code == 404
    assert client_for(world.org_a_admin).get(url).status_code == 404
    staff_view = client_for(world.officer).get(url)
    assert staff_view.status_code == 200
    assert "This package has been withdrawn from the menu" in staff_view.content.decode()


def test_the_menu_runs_the_same_queries_for_1_and_50_packages(db):
    Package.objects.all().delete()
    client = client_for(None)
    count = assert_constant_queries(
        lambda n: PackageFactory.create_batch(n), lambda: client.get(reverse("packages:menu"))
    )
    # 1. the active packages, in menu order (an anonymous visitor has no session).
    assert count == 1


def test_a_manager_adds_a_package_typed_as_people_type_money(manager_client):
    response = manager_client.post(
        reverse("packages:create"),
        {
            "name": "Digital Skills",
            "summary": "Use digital tools well.",
            "what_you_get": "Training.",
            "outcomes": "Confident staff.",
            "typical_duration": "2 months",
            "value": "£2,750.50",
            "strand": "vcs_support",
        },
    )
    assert response.status_code == 302
    package = Package.objects.get(name="Digital Skills")
    assert (package.value, package.slug, package.status) == (
        Decimal("2750.50"),
        "digital-skills",
        "active",
    )
    assert AuditEvent.objects.filter(action="package.created", object_id=str(package.pk)).exists()


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Enter the value of the package"),
        (
            "two thousand",
            "Enter the value of the package in pounds and pence, like 2500 or 2500.00",
        ),
        ("２５００", "Enter the value of the package in pounds and pence"),
        ("£2,5٠٠", "Enter the value of the package in pounds and pence"),
        ("12.345", "Enter the value of the package to the nearest penny"),
        ("0", "The value of the package must be at least £0.01"),
        ("-5", "The value of the package must be at least £0.01"),
        ("99999999999", "The value of the package must be less than £10,000,000,000"),
    ],
)
def test_a_bad_value_gets_a_specific_message_and_keeps_what_was_typed(
    manager_client, value, message
):
    response = manager_client.post(
        reverse("packages:create"), {"name": "Kept Name", "value": value, "strand": "vcs_support"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Kept Name"' in html
    assert "Enter a one-line summary of the package" in html
    assert html.count("govuk-error-summary__list") == 1


def test_a_duplicate_name_is_refused_plainly(manager_client):
    response = manager_client.post(reverse("packages:create"), {"name": "fund raising"})
    assert "A package called fund raising is already on the menu" in response.content.decode()


def test_editing_the_value_changes_the_menu_not_agreed_packages(manager_client):
    agreed = AgreedPackageFactory(package__value=Decimal("2000.00"))
    package = agreed.package
    data = {
        "name": package.name,
        "summary": package.summary,
        "what_you_get": package.what_you_get,
        "outcomes": package.outcomes,
        "typical_duration": package.typical_duration,
        "value": "2200",
        "strand": package.strand,
    }
    assert manager_client.post(reverse("packages:edit", args=[package.pk]), data).status_code == 302
    package.refresh_from_db()
    agreed.refresh_from_db()
    assert (package.value, agreed.value) == (Decimal("2200.00"), Decimal("2000.00"))
    event = AuditEvent.objects.get(action="package.updated")
    assert event.data["changes"] == {"value": ["2000.00", "2200"]}


def test_withdrawing_and_reinstating_are_the_only_moves(manager_client, world):
    package = PackageFactory()
    response = manager_client.post(reverse("packages:withdraw", args=[package.pk]))
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.status == "withdrawn"
    with pytest.raises(PackageError, match="is already withdrawn"):
        withdraw_package(package=package, by=world.manager)
    reinstate_package(package=package, by=world.manager)
    with pytest.raises(PackageError, match="is already active"):
        reinstate_package(package=package, by=world.manager)
    actions = list(
        AuditEvent.objects.filter(object_id=str(package.pk), object_type="packages.package")
        .order_by("created_at", "id")
        .values_list("action", "from_state", "to_state")
    )
    assert actions == [
        ("package.withdrawn", "active", "withdrawn"),
        ("package.reinstated", "withdrawn", "active"),
    ]


def test_a_withdrawn_package_stays_on_the_records_that_used_it(world):
    agreed = AgreedPackageFactory(organisation=world.org_a)
    withdraw_package(package=agreed.package, by=world.manager)
    response = client_for(world.org_a_admin).get(reverse("allowances:organisation_packages"))
    assert agreed.package.name in response.content.decode()


def test_the_manage_page_lists_withdrawn_packages_too(manager_client):
    PackageFactory(name="Retired Package", status="withdrawn")
    html = manager_client.get(reverse("packages:manage")).content.decode()
    assert "Retired Package" in html and "Put back on the menu" in html

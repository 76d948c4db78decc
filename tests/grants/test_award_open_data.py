"""Representation grants in the open data: in the 360Giving file with their community of
interest as a classification, in the Transparency Code file, and gone once withdrawn."""

from decimal import Decimal

import pytest
from django.urls import reverse

from allowances.award_services import pay_instalment, release_unpaid
from grants import assessment_services as assessing
from grants.offer_services import accept_offer
from reports.open_data import (
    GRANTS_CSV_HEADER,
    award_stream,
    awards,
    grant_json,
    grants_csv_rows,
    transparency_rows,
)

from ..conftest import client_for
from ..factories import AgreedPackageFactory
from .assessing import ready_to_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(world):
    _, sent = ready_to_decide(world, applications=1)
    decision = assessing.offer_award(
        round_community=sent[0].round_community,
        application=sent[0],
        reasons="The only application, and it meets every must-have.",
        by=world.manager,
    )
    accept_offer(decision=decision, by=world.org_a_admin, declaration_name="Asha Patel")
    decision.refresh_from_db()
    return decision


def grant_of(decision):
    found = [
        g for g in map(grant_json, award_stream(awards())) if decision.award.reference in g["id"]
    ]
    assert len(found) == 1
    return found[0]


def test_an_accepted_grant_is_in_the_360giving_file_with_its_community(world, award):
    grant = grant_of(award)
    community = award.round_community.community
    assert grant["amountAwarded"] == int(award.amount)
    assert grant["amountDisbursed"] == 0
    assert grant["classifications"] == [
        {
            "vocabulary": grant["classifications"][0]["vocabulary"],
            "code": community.characteristic,
            "title": community.name,
        }
    ]
    assert grant["recipientOrganization"][0]["name"] == world.org_a.name
    round_ = award.round_community.round
    assert grant["plannedDates"] == [
        {
            "startDate": round_.period_starts_on.isoformat(),
            "endDate": round_.period_ends_on.isoformat(),
        }
    ]
    assert "community" in grant["grantProgramme"][0]["title"].lower()


def test_instalments_paid_are_disbursed_and_the_spreadsheet_has_the_classification(world, award):
    pay_instalment(award=award.award, amount=award.amount / 4, note="Q1", by=world.manager)
    assert Decimal(str(grant_of(award)["amountDisbursed"])) == award.amount / 4
    rows = [r for r in grants_csv_rows(awards()) if award.award.reference in r[0]]
    assert len(rows) == 1 and len(rows[0]) == len(GRANTS_CSV_HEADER)
    assert rows[0][-1] == award.round_community.community.name
    transparency = [r for r in transparency_rows(awards()) if award.award.reference in r[1]]
    assert "to represent the" in transparency[0][7]


def test_a_grant_withdrawn_before_anything_was_paid_is_left_out(world, award):
    release_unpaid(award=award.award, reason="Withdrawn", by=world.manager)
    ids = [g["id"] for g in map(grant_json, award_stream(awards()))]
    assert not [i for i in ids if award.award.reference in i]


# --------------------------------------------------------------- the reports


def test_the_breakdown_by_package_shows_grants_on_a_row_of_their_own_and_links_to_them(
    world, award
):
    AgreedPackageFactory(organisation=world.org_b)  # a package's entry, which the filter leaves
    client = client_for(world.manager)
    page = client.get(
        reverse("reports:breakdown_package"), {"year": award.award.strand.budget_year.start_year}
    )
    text = page.content.decode()
    assert "Grant awards (section B), not packages" in text
    ledger = client.get(reverse("reports:ledger"), {"awards": "true"})
    body = ledger.content.decode()
    assert award.award.reference in body and "Representation grant:" in body
    # The filter keeps to awards: one entry, the award's commitment.
    assert [e.award_id for e in ledger.context["page"]] == [award.award_id]
    by_district = client.get(reverse("reports:breakdown_district"))
    assert world.org_a.postcode_district in by_district.content.decode()

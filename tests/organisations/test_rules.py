"""Registration-number formats and invitation rules: pure functions, no database."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from organisations.rules import can_accept_invitation, required_registration_numbers
from organisations.validators import (
    normalise_charity_number,
    normalise_company_number,
    normalise_postcode,
    postcode_district,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234567", "1234567"),
        (" 1 234 567 ", "1234567"),
        ("212345", "212345"),
        ("1123456-1", "1123456-1"),
        ("sc012345", "SC012345"),
        ("NIC100123", "NIC100123"),
    ],
)
def test_valid_charity_numbers_are_normalised(typed, stored):
    assert normalise_charity_number(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12345", "12345678", "ABC1234", "SC12345", "1234567-", "charity", "１２３４５６７"]
)
def test_invalid_charity_numbers_say_what_a_good_one_looks_like(typed):
    with pytest.raises(ValidationError) as error:
        normalise_charity_number(typed)
    assert error.value.messages == [
        "Enter a charity number in the correct format, like 1234567 or SC012345"
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01234567", "01234567"),
        ("1234567", "01234567"),
        ("sc123456", "SC123456"),
        ("OC 301234", "OC301234"),
        ("NI012345", "NI012345"),
    ],
)
def test_valid_company_numbers_are_normalised(typed, stored):
    assert normalise_company_number(typed) == stored


@pytest.mark.parametrize(
    "typed", ["123456789", "S1234567", "SC1234567", "ABCDEFGH", "12-34567", "SC１２３４５６"]
)
def test_invalid_company_numbers_are_refused(typed):
    with pytest.raises(ValidationError, match="company number in the correct format"):
        normalise_company_number(typed)


@pytest.mark.parametrize(
    ("typed", "stored", "district"),
    [("le1 6zg", "LE1 6ZG", "LE1"), ("LE26DS", "LE2 6DS", "LE2"), ("EC1A 1BB", "EC1A 1BB", "EC1A")],
)
def test_postcodes_are_normalised_with_their_district(typed, stored, district):
    assert normalise_postcode(typed) == stored
    assert postcode_district(stored) == district


@pytest.mark.parametrize("typed", ["", "LE", "12345", "LE1 6Z", "LEI 6ZG", "LE١ 6ZG"])
def test_bad_postcodes_are_refused(typed):
    with pytest.raises(ValidationError, match="Enter a real postcode, like LE1 6ZG"):
        normalise_postcode(typed)


@pytest.mark.parametrize(
    ("legal_form", "numbers"),
    [
        ("registered_charity", ("charity_number",)),
        ("cio", ("charity_number",)),
        ("charitable_company", ("charity_number", "company_number")),
        ("cic", ("company_number",)),
        ("unincorporated", ()),
        ("faith_group", ()),
    ],
)
def test_which_legal_forms_must_give_which_numbers(legal_form, numbers):
    assert required_registration_numbers(legal_form) == numbers


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
GOOD = {
    "invited_email": "jo@example.org",
    "user_email": "Jo@Example.org",
    "expires_at": NOW + timedelta(days=1),
    "now": NOW,
    "accepted": False,
    "cancelled": False,
    "already_member_of": None,
}


@pytest.mark.parametrize(
    ("change", "allowed", "reason_contains"),
    [
        ({}, True, ""),
        ({"user_email": "someone-else@example.org"}, False, "sent to a different email address"),
        ({"expires_at": NOW}, False, "has expired"),
        ({"accepted": True}, False, "already been used"),
        ({"cancelled": True}, False, "withdrawn"),
        ({"already_member_of": "Other Group"}, False, "already a member of Other Group"),
    ],
)
def test_who_may_accept_an_invitation(change, allowed, reason_contains):
    decision = can_accept_invitation(**{**GOOD, **change})
    assert decision.allowed is allowed
    assert reason_contains in decision.reason

"""Every essential's rule, as pure functions: no database, no clock."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from providers.essentials import (
    BY_SLUG,
    ESSENTIALS,
    EXCLUSION_GROUNDS,
    Certificate,
    Facts,
    evaluate,
)

TODAY = date(2026, 6, 1)
MINIMUMS = {"pi": Decimal(1_000_000), "pl": Decimal(5_000_000), "el": Decimal(5_000_000)}
GOOD = Certificate(Decimal(5_000_000), date(2027, 5, 31))
PASSING = Facts(
    provider_type="company",
    company_number="01234567",
    employs_staff=True,
    certificates={"pi": GOOD, "pl": GOOD, "el": GOOD},
    policies=frozenset({"safeguarding", "data_protection"}),
    exclusion_answers={slug: "no" for slug, _, _ in EXCLUSION_GROUNDS},
    conflicts_answer="no",
)


def failing(facts):
    return {f.slug: f.message for f in evaluate(facts, today=TODAY, minimums=MINIMUMS)}


def test_a_provider_meeting_everything_has_no_failures():
    assert failing(PASSING) == {}


def test_every_essential_is_data_with_a_question_pass_values_and_a_message_per_failure():
    assert len({e.slug for e in ESSENTIALS}) == len(ESSENTIALS)
    for essential in ESSENTIALS:
        assert essential.question.endswith("?")
        assert essential.pass_values
        assert essential.failures
        assert not set(essential.failures) & essential.pass_values


@pytest.mark.parametrize(
    ("provider_type", "charity", "company", "fails"),
    [
        ("company", None, None, True),
        ("company", "1234567", None, True),  # a company's number is its company number
        ("company", None, "01234567", False),
        ("vcs", None, None, True),
        ("vcs", "1234567", None, False),
        ("vcs", None, "01234567", False),
        ("sole_trader", None, None, False),
        ("public_body", None, None, False),
    ],
)
def test_registration_number_where_the_type_has_one(provider_type, charity, company, fails):
    facts = replace(
        PASSING, provider_type=provider_type, charity_number=charity, company_number=company
    )
    assert ("registration-number" in failing(facts)) is fails


@pytest.mark.parametrize("kind", ["pi", "pl"])
def test_professional_indemnity_and_public_liability_are_always_required(kind):
    facts = replace(
        PASSING,
        employs_staff=False,
        certificates={k: v for k, v in PASSING.certificates.items() if k != kind},
    )
    assert failing(facts) == {f"insurance-{kind}": failing(facts)[f"insurance-{kind}"]}
    assert failing(facts)[f"insurance-{kind}"].startswith("Upload your")


@pytest.mark.parametrize(
    ("kind", "cover", "fails"),
    [
        ("pi", Decimal("999999.99"), True),
        ("pi", Decimal("1000000"), False),  # at the minimum passes
        ("pl", Decimal("4999999"), True),
        ("pl", Decimal("5000000"), False),
        ("el", Decimal("1000000"), True),
    ],
)
def test_cover_must_be_at_least_the_configured_minimum(kind, cover, fails):
    certificates = {**PASSING.certificates, kind: Certificate(cover, GOOD.expires_on)}
    result = failing(replace(PASSING, certificates=certificates))
    assert (f"insurance-{kind}" in result) is fails
    if fails:
        assert f"at least £{int(MINIMUMS[kind]):,}" in result[f"insurance-{kind}"]


@pytest.mark.parametrize(
    ("expires_on", "fails"),
    [(date(2026, 5, 31), True), (TODAY, True), (date(2026, 6, 2), False)],
)
def test_the_expiry_date_must_be_in_the_future(expires_on, fails):
    certificates = {**PASSING.certificates, "pl": Certificate(GOOD.cover, expires_on)}
    result = failing(replace(PASSING, certificates=certificates))
    assert ("insurance-pl" in result) is fails
    if fails:
        assert "expired" in result["insurance-pl"]


def test_employers_liability_only_when_the_provider_employs_staff():
    without_el = {k: v for k, v in PASSING.certificates.items() if k != "el"}
    assert "insurance-el" in failing(replace(PASSING, certificates=without_el))
    assert failing(replace(PASSING, certificates=without_el, employs_staff=False)) == {}


@pytest.mark.parametrize("kind", ["safeguarding", "data_protection"])
def test_both_policies_are_required(kind):
    result = failing(replace(PASSING, policies=PASSING.policies - {kind}))
    slug = f"policy-{kind.replace('_', '-')}"
    assert list(result) == [slug]
    assert result[slug].startswith("Upload your")


@pytest.mark.parametrize(("slug", "asks", "called"), EXCLUSION_GROUNDS)
def test_each_exclusion_ground_passes_only_on_no(slug, asks, called):
    essential = BY_SLUG[f"exclusion-{slug}"]
    assert essential.pass_values == {"no"}
    assert asks in essential.question
    for answer, expected in (("yes", "cannot join"), (None, "Answer the declaration")):
        answers = dict(PASSING.exclusion_answers)
        if answer is None:
            del answers[slug]
        else:
            answers[slug] = answer
        result = failing(replace(PASSING, exclusion_answers=answers))
        assert list(result) == [f"exclusion-{slug}"]
        assert expected in result[f"exclusion-{slug}"]


def test_the_grounds_include_those_the_brief_names():
    slugs = {slug for slug, _, _ in EXCLUSION_GROUNDS}
    assert {"fraud", "bribery", "corruption", "money-laundering", "terrorism"} <= slugs
    assert {"modern-slavery", "tax-evasion", "insolvency"} <= slugs


@pytest.mark.parametrize(("answer", "fails"), [("", True), ("no", False), ("yes", False)])
def test_conflicts_must_be_declared_either_way(answer, fails):
    assert ("conflicts-of-interest" in failing(replace(PASSING, conflicts_answer=answer))) is fails


def test_a_new_provider_is_told_everything_to_do_in_order():
    result = failing(Facts(provider_type="vcs"))
    assert list(result)[:3] == ["registration-number", "insurance-pi", "insurance-pl"]
    assert "insurance-el" not in result  # no staff, no employer's liability
    assert len(result) == 1 + 2 + 2 + len(EXCLUSION_GROUNDS) + 1

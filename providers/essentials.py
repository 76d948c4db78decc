"""The essentials a provider must meet to join the register, as data.

As on the GOV.UK Digital Marketplace, each essential is a question with the
answers that pass it. The provider's facts (its profile, certificates, policies
and declarations, already loaded) give each question an answer; an answer
outside the pass values is a failure, with the sentence that says what to fix.
`evaluate` is pure: no database, no clock (the day is passed in).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# Answers the derived questions can have.
GIVEN, MISSING, NOT_APPLICABLE = "given", "missing", "not_applicable"
VALID, TOO_SMALL, EXPIRED = "valid", "too_small", "expired"
YES, NO = "yes", "no"

# Which registration numbers each type of provider must give: any one of them.
REGISTRATION_NUMBERS = {
    "vcs": ("charity_number", "company_number"),
    "company": ("company_number",),
}

INSURANCE_NAMES = {
    "pi": "professional indemnity insurance",
    "pl": "public liability insurance",
    "el": "employer's liability insurance",
}

# The mandatory exclusion grounds (Procurement Act 2023, schedule 6, in short):
# (slug, what the question asks about, what it is called in a sentence).
EXCLUSION_GROUNDS = [
    ("fraud", "been convicted of fraud", "fraud"),
    ("bribery", "been convicted of bribery", "bribery"),
    ("corruption", "been convicted of corruption or misconduct in public office", "corruption"),
    ("money-laundering", "been convicted of money laundering", "money laundering"),
    (
        "terrorism",
        "been convicted of a terrorist offence or of funding terrorism",
        "terrorist offences",
    ),
    (
        "modern-slavery",
        "been convicted of a modern slavery or human trafficking offence",
        "modern slavery",
    ),
    ("tax-evasion", "been convicted of tax evasion or of failing to pay tax", "tax evasion"),
    (
        "insolvency",
        "been made bankrupt or insolvent, or entered administration or liquidation",
        "insolvency",
    ),
]


@dataclass(frozen=True)
class Certificate:
    cover: Decimal
    expires_on: date


@dataclass(frozen=True)
class Facts:
    """What the essentials are judged on, loaded beforehand (see selectors.facts_for)."""

    provider_type: str
    charity_number: str | None = None
    company_number: str | None = None
    employs_staff: bool = False
    certificates: dict[str, Certificate] = field(default_factory=dict)
    policies: frozenset[str] = frozenset()
    exclusion_answers: dict[str, str] = field(default_factory=dict)
    conflicts_answer: str = ""


@dataclass(frozen=True)
class Essential:
    """One question with the answers that pass it.

    `answer(facts, today, minimums)` gives the provider's answer; `failures`
    maps each failing answer to the sentence that tells the provider what to do.
    """

    slug: str
    group: str
    question: str
    pass_values: frozenset[str]
    failures: dict[str, str]
    answer: object  # Callable[[Facts, date, dict[str, Decimal]], str]


@dataclass(frozen=True)
class Failure:
    slug: str
    group: str
    question: str
    answer: str
    message: str


def _registration_answer(facts: Facts, today, minimums) -> str:
    fields = REGISTRATION_NUMBERS.get(facts.provider_type)
    if not fields:
        return NOT_APPLICABLE
    return GIVEN if any(getattr(facts, f) for f in fields) else MISSING


def _insurance_answer(kind: str, *, only_if_staff: bool = False):
    def answer(facts: Facts, today: date, minimums: dict) -> str:
        if only_if_staff and not facts.employs_staff:
            return NOT_APPLICABLE
        certificate = facts.certificates.get(kind)
        if certificate is None:
            return MISSING
        if certificate.cover < minimums[kind]:
            return TOO_SMALL
        # "An expiry date in the future": cover must outlast today, so that a
        # provider never joins on the last day of its cover.
        if certificate.expires_on <= today:
            return EXPIRED
        return VALID

    return answer


def _policy_answer(kind: str):
    return lambda facts, today, minimums: GIVEN if kind in facts.policies else MISSING


def _declared(slug: str):
    return lambda facts, today, minimums: facts.exclusion_answers.get(slug, MISSING)


def _insurance_essential(kind: str, *, only_if_staff: bool = False) -> Essential:
    name = INSURANCE_NAMES[kind]
    question = f"Do you hold {name} with at least the minimum cover, expiring in the future?"
    if only_if_staff:
        question = f"If you employ staff, do you hold {name} with at least the minimum cover?"
    return Essential(
        slug=f"insurance-{kind}",
        group="insurance",
        question=question,
        pass_values=frozenset({VALID, NOT_APPLICABLE}),
        failures={
            MISSING: f"Upload your {name} certificate",
            TOO_SMALL: f"Your {name} must cover at least £{{minimum:,}}. "
            "Upload a certificate for enough cover",
            EXPIRED: f"Your {name} has expired or ends today. Upload your current certificate",
        },
        answer=_insurance_answer(kind, only_if_staff=only_if_staff),
    )


ESSENTIALS: list[Essential] = [
    Essential(
        slug="registration-number",
        group="profile",
        question="Have you given your charity or company number, if your type of provider has one?",
        pass_values=frozenset({GIVEN, NOT_APPLICABLE}),
        failures={
            MISSING: "Enter your charity or company number in your profile. A voluntary or "
            "community organisation must give one of them, a private company its company number"
        },
        answer=_registration_answer,
    ),
    _insurance_essential("pi"),
    _insurance_essential("pl"),
    _insurance_essential("el", only_if_staff=True),
    Essential(
        slug="policy-safeguarding",
        group="policies",
        question="Have you uploaded your safeguarding policy?",
        pass_values=frozenset({GIVEN}),
        failures={MISSING: "Upload your safeguarding policy"},
        answer=_policy_answer("safeguarding"),
    ),
    Essential(
        slug="policy-data-protection",
        group="policies",
        question="Have you uploaded your data protection policy?",
        pass_values=frozenset({GIVEN}),
        failures={MISSING: "Upload your data protection policy"},
        answer=_policy_answer("data_protection"),
    ),
    *[
        Essential(
            slug=f"exclusion-{slug}",
            group="exclusions",
            question=f"In the last 5 years, has your organisation, or anyone who runs it, {asks}?",
            pass_values=frozenset({NO}),
            failures={
                MISSING: f"Answer the declaration about {called}",
                YES: f"A provider that declares {called} cannot join the register. "
                "Contact the council if you think this is wrong",
            },
            answer=_declared(slug),
        )
        for slug, asks, called in EXCLUSION_GROUNDS
    ],
    Essential(
        slug="conflicts-of-interest",
        group="conflicts",
        question="Have you declared any conflicts of interest?",
        pass_values=frozenset({YES, NO}),
        failures={MISSING: "Declare whether you have any conflicts of interest"},
        answer=lambda facts, today, minimums: facts.conflicts_answer or MISSING,
    ),
]

BY_SLUG = {e.slug: e for e in ESSENTIALS}


def evaluate(facts: Facts, *, today: date, minimums: dict[str, Decimal]) -> list[Failure]:
    """Every essential the facts fail, in order, with what to fix. Empty when all pass."""
    failures = []
    for essential in ESSENTIALS:
        answer = essential.answer(facts, today, minimums)
        if answer in essential.pass_values:
            continue
        kind = essential.slug.removeprefix("insurance-")
        message = essential.failures[answer].format(minimum=int(minimums.get(kind, 0)))
        failures.append(
            Failure(essential.slug, essential.group, essential.question, answer, message)
        )
    return failures

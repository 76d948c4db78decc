"""Seed the first eligibility criteria, Leicester's postcode table and the first questionnaire.

The criteria come from section A of the council's proposals (and the issue):
local benefit, equality of opportunity, based in or mainly working in the city,
not-for-profit with a governing document, a bank account in the organisation's
name, and safeguarding where it works with children or adults at risk.

Leicester's postcode table was seeded here too, into diagnostics' own table.
That table has moved to organisations (issue 12), which seeds it in its
0004_postcode_area; this seed no longer touches it, so replaying it with the
current models (tests/reference_data.py) works.
"""

from django.db import migrations
from django.utils import timezone

YES = ["yes"]
CRITERIA = [
    {
        "slug": "local-benefit",
        "title": "Benefits local communities",
        "question": "Does your organisation deliver services which benefit local communities "
        "in Leicester?",
        "help_text": "For example advice, activities, care, support or events open to people "
        "who live or work in the city.",
        "answer_type": "yes_no",
        "check_kind": "answer_in",
        "accepted_answers": YES,
        "fail_reason": "The scheme supports organisations that deliver services benefiting "
        "local communities.",
        "detail_prompt": "Describe the services and who benefits from them",
    },
    {
        "slug": "equality",
        "title": "Equality of opportunity",
        "question": "Does your organisation practise equality of opportunity, with a written "
        "equality policy?",
        "help_text": "You will be asked to upload the equality policy.",
        "answer_type": "yes_no",
        "check_kind": "answer_in",
        "accepted_answers": YES,
        "fail_reason": "An organisation must practise equality of opportunity and have an "
        "equality policy.",
    },
    {
        "slug": "based-in-city",
        "title": "Based in or mainly working in the city",
        "question": "What is the postcode of the place where your organisation is based or "
        "mainly works?",
        "help_text": "It must be in the Leicester City Council area.",
        "answer_type": "postcode",
        "check_kind": "postcode_in_area",
        "fail_reason": "",
    },
    {
        "slug": "not-for-profit",
        "title": "Not-for-profit with a governing document",
        "question": "Is your organisation not-for-profit, with a governing document such as a "
        "constitution, trust deed or articles of association?",
        "help_text": "You will be asked to upload the governing document.",
        "answer_type": "yes_no",
        "check_kind": "answer_in",
        "accepted_answers": YES,
        "fail_reason": "An organisation must be not-for-profit and have a governing document.",
    },
    {
        "slug": "bank-account",
        "title": "Bank account in the organisation's name",
        "question": "Does your organisation have a bank account in its own name?",
        "help_text": "The account must need at least two unrelated people to sign or approve "
        "payments.",
        "answer_type": "yes_no",
        "check_kind": "answer_in",
        "accepted_answers": YES,
        "fail_reason": "An organisation must have a bank account in its own name.",
    },
    {
        "slug": "safeguarding",
        "title": "Safeguarding",
        "question": "Does your organisation work with children or adults at risk?",
        "help_text": "Adults at risk include people who need care and support and cannot "
        "protect themselves from harm.",
        "answer_type": "choice",
        "choices": [
            ["not_applicable", "No, we do not work with children or adults at risk"],
            ["policy", "Yes, and we have a safeguarding policy"],
            ["no_policy", "Yes, but we do not have a safeguarding policy yet"],
        ],
        "check_kind": "answer_in",
        "accepted_answers": ["not_applicable", "policy"],
        "fail_reason": "An organisation that works with children or adults at risk must have a "
        "safeguarding policy.",
    },
]

THEMES = [
    ("governance", "Governance", ["organisational-set-up", "professional-support"], [
        ("Trustees or committee members understand their legal duties", "trustees' duties"),
        ("The governing document is up to date and followed", "governing document"),
        ("The board reviews risks and performance at least yearly", "risk and performance review"),
    ]),
    ("financial-management", "Financial management and sustainability",
     ["financial-sustainability", "professional-support"], [
        ("There is a budget that trustees approve and monitor", "budget monitoring"),
        ("Cash flow is forecast at least six months ahead", "cash-flow forecasting"),
        ("Services are priced to recover their full costs", "full cost recovery"),
    ]),
    ("hr-and-people", "HR and people", ["professional-support"], [
        ("Staff have written contracts and job descriptions", "contracts and job descriptions"),
        ("There are written HR policies that people know", "HR policies"),
        ("Staff and volunteers have regular supervision", "supervision"),
    ]),
    ("ict", "ICT", ["professional-support"], [
        ("Equipment and software are fit for the work", "equipment and software"),
        ("Data is backed up and kept secure", "data security and backup"),
        ("People have the digital skills they need", "digital skills"),
    ]),
    ("marketing", "Marketing", ["marketing-support"], [
        ("The organisation knows who its services are for", "target audiences"),
        ("There is a plan for telling people about the services", "marketing plan"),
        ("The website and social media are kept up to date", "online presence"),
    ]),
    ("fundraising", "Fundraising", ["fund-raising"], [
        ("There is a fundraising plan with several sources of income", "fundraising plan"),
        ("Bids are written and submitted successfully", "bid writing"),
        ("Income does not depend on one funder", "spread of income"),
    ]),
    ("procurement", "Procurement and contracts", ["procurement"], [
        ("The organisation knows how public contracts are advertised", "finding contracts"),
        ("Tenders are prepared and submitted", "tender writing"),
        ("Contracts are managed and reported on", "contract management"),
    ]),
    ("outcomes", "Outcomes and impact", ["outcomes-and-values"], [
        ("The difference the work makes is defined", "defined outcomes"),
        ("Outcomes are measured and recorded", "outcome measurement"),
        ("Impact is reported to funders and the community", "impact reporting"),
    ]),
    ("service-design", "Service design and new ways of working", ["new-ways-of-working"], [
        ("Service users help shape the services", "user involvement"),
        ("Services are reviewed and changed when needs change", "service review"),
        ("The organisation works with partners to reach more people", "partnership working"),
    ]),
    ("volunteering", "Volunteering", ["volunteering"], [
        ("There are written roles for volunteers", "volunteer roles"),
        ("Volunteers are recruited, inducted and trained", "volunteer recruitment and induction"),
        ("Volunteers are supported and thanked", "volunteer support"),
    ]),
]


def seed(apps, schema_editor):
    CriteriaVersion = apps.get_model("diagnostics", "CriteriaVersion")
    Criterion = apps.get_model("diagnostics", "Criterion")
    Questionnaire = apps.get_model("diagnostics", "Questionnaire")
    Theme = apps.get_model("diagnostics", "Theme")
    Statement = apps.get_model("diagnostics", "Statement")
    Package = apps.get_model("packages", "Package")
    now = timezone.now()

    version, created = CriteriaVersion.objects.get_or_create(
        number=1, defaults={"published_at": now}
    )
    if created:
        for position, spec in enumerate(CRITERIA, start=1):
            Criterion.objects.create(version=version, position=position, **spec)

    questionnaire, created = Questionnaire.objects.get_or_create(
        number=1, defaults={"published_at": now}
    )
    if created:
        for position, (slug, name, packages, statements) in enumerate(THEMES, start=1):
            theme = Theme.objects.create(
                questionnaire=questionnaire, slug=slug, name=name, position=position
            )
            theme.packages.set(Package.objects.filter(slug__in=packages))
            for order, (text, short) in enumerate(statements, start=1):
                Statement.objects.create(theme=theme, text=text, short=short, position=order)


def unseed(apps, schema_editor):
    apps.get_model("diagnostics", "Questionnaire").objects.filter(number=1).delete()
    apps.get_model("diagnostics", "CriteriaVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0002_applications_and_diagnostics"),
        ("packages", "0002_seed_menu"),
    ]
    operations = [migrations.RunPython(seed, unseed)]

"""The nine support packages proposed in section A of the council's proposals.

Values are the council's starting prices; managers change them on the menu
pages. A later change never alters a package already agreed.
"""

from decimal import Decimal

from django.db import migrations

PACKAGES = [
    (
        "professional-support",
        "Professional Support: finance, HR and ICT",
        "Expert help with finance, human resources and ICT.",
        "Up to 5 days of a specialist's time to review your finance, HR or ICT systems, "
        "fix what is most urgent and leave you with written procedures and templates.",
        "Finance, HR and ICT systems that are fit for purpose and that your staff and "
        "trustees understand.",
        "3 to 6 months",
        "3000.00",
        "vcs_support",
    ),
    (
        "financial-sustainability",
        "Financial Sustainability",
        "Business planning, pricing, cash-flow forecasting and full cost recovery.",
        "Help to write a business plan, price your services, forecast your cash flow and "
        "match income against expenditure so that you recover your full costs.",
        "A costed business plan, a cash-flow forecast and prices that recover full costs.",
        "3 to 6 months",
        "2500.00",
        "vcs_support",
    ),
    (
        "organisational-set-up",
        "Organisational Set-Up",
        "Decide what sort of organisation to be and the steps to become established.",
        "Advice on legal structures and governing documents, and a step-by-step plan to "
        "register and establish your organisation.",
        "A chosen legal structure, a governing document and a plan to become established.",
        "1 to 3 months",
        "1500.00",
        "vcs_support",
    ),
    (
        "marketing-support",
        "Marketing Support",
        "Reach the people and customers your services are for.",
        "Help to identify your target markets and customers, and a practical marketing "
        "plan with materials you can reuse.",
        "A marketing plan and materials that reach the people your services are for.",
        "2 to 4 months",
        "2000.00",
        "vcs_support",
    ),
    (
        "fund-raising",
        "Fund Raising",
        "Find sources of funding and bid for them successfully.",
        "Research into funders that fit your work, and hands-on support to write and "
        "submit bids, including to national and international funding streams.",
        "A funding plan and at least one strong bid submitted.",
        "3 to 6 months",
        "2500.00",
        "vcs_support",
    ),
    (
        "procurement",
        "Procurement",
        "Bid to win contracts to provide public services.",
        "Support to understand public-sector tendering, register on portals and write "
        "a competitive tender for a contract to provide public services.",
        "The ability to find, assess and bid for public-service contracts.",
        "2 to 4 months",
        "2500.00",
        "vcs_support",
    ),
    (
        "outcomes-and-values",
        "Outcomes and Values",
        "Identify and measure the value your work adds.",
        "Help to set outcomes, choose measures and collect evidence, so that commissioners "
        "and funders recognise the quality of your work.",
        "An outcomes framework and evidence of the difference your work makes.",
        "2 to 4 months",
        "2000.00",
        "vcs_support",
    ),
    (
        "new-ways-of-working",
        "New Ways of Working",
        "Make your services fit the people who use them.",
        "Expert support to review and redesign your services with the people who use them, "
        "so that they are appropriate and reflect your service users.",
        "Services redesigned with, and reflecting, the people who use them.",
        "3 to 6 months",
        "2500.00",
        "vcs_support",
    ),
    (
        "volunteering",
        "Volunteering",
        "Develop volunteering opportunities and recruit and manage volunteers.",
        "Help to design volunteer roles, recruit volunteers and put in place the policies "
        "and training to manage and keep them.",
        "New volunteering opportunities, and volunteers recruited and well managed.",
        "2 to 4 months",
        "2000.00",
        # Section C, option 2(b): volunteering support offered as a package draws
        # on the volunteering support strand.
        "volunteering",
    ),
]


def add_packages(apps, schema_editor):
    Package = apps.get_model("packages", "Package")
    for position, row in enumerate(PACKAGES, start=1):
        slug, name, summary, gets, outcomes, duration, value, strand = row
        Package.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "summary": summary,
                "what_you_get": gets,
                "outcomes": outcomes,
                "typical_duration": duration,
                "value": Decimal(value),
                "strand": strand,
                "position": position,
            },
        )


def remove_packages(apps, schema_editor):
    apps.get_model("packages", "Package").objects.filter(
        slug__in=[row[0] for row in PACKAGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("packages", "0001_initial")]
    operations = [migrations.RunPython(add_packages, remove_packages)]

"""Demo data for the register of providers, called by `seed_demo`.

Providers of all four types. The two demo logins (provider@, provider2@) are on
the register and approved for several packages, so the rest of the journey can
be tried with them; others show a pending application, a rejected one, one
sent back for more information, and a lapsed approval (expired insurance).
Idempotent: each step looks for what it would create first. Everything goes
through the services, so the audit trail, outbox and stored files are real;
only the lapsed provider's certificate date is moved back afterwards, as a
certificate cannot be uploaded already expired.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from organisations.models import User
from packages.models import Package

from . import services
from .essentials import EXCLUSION_GROUNDS
from .models import Area, InsuranceCertificate, Language, PackageApplication, Provider

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (login, person, provider data, profile, plan). Plan: [(package slug, state)].
PROVIDERS = [
    (
        ("provider@example.org", "Sam Patel"),
        {
            "name": "Fosse Consulting",
            "provider_type": Provider.Type.SOLE_TRADER,
            "description": "Finance and governance support for small charities: budgets, "
            "cash-flow forecasts and trustee training.",
            "contact_email": "provider@example.org",
        },
        {
            "areas": ["LE1", "LE2", "LE3"],
            "languages": ["English", "Gujarati"],
            "venue_accessibility": "Works at your premises or online. Step-free training room "
            "in the city centre with a hearing loop.",
            "capacity": 4,
            "employs_staff": False,
        },
        [
            ("financial-sustainability", "approved"),
            ("professional-support", "approved"),
            ("organisational-set-up", "approved"),
            ("procurement", "submitted"),
        ],
    ),
    (
        ("provider2@example.org", "Ruth Adeyemi"),
        {
            "name": "Voluntary Action Leicestershire Training",
            "provider_type": Provider.Type.VCS,
            "charity_number": "1091234",
            "company_number": "04321098",
            "description": "Volunteer management, fundraising and bid-writing support.",
            "contact_email": "provider2@example.org",
            "is_local_vcs": True,
        },
        {
            "areas": ["LE1", "LE2", "LE3", "LE4", "LE5"],
            "languages": ["English", "Punjabi", "Urdu", "Polish"],
            "venue_accessibility": "Ground-floor rooms with step-free access and an accessible "
            "toilet; BSL interpreters on request.",
            "capacity": 6,
            "employs_staff": True,
        },
        [
            ("volunteering", "approved"),
            ("fund-raising", "approved"),
            ("marketing-support", "approved"),
            ("new-ways-of-working", "rejected"),
        ],
    ),
    (
        ("provider3@example.org", "Ollie Chen"),
        {
            "name": "Charnwood Digital Ltd",
            "provider_type": Provider.Type.COMPANY,
            "company_number": "11223344",
            "description": "Websites, social media and digital skills for community groups.",
            "contact_email": "provider3@example.org",
        },
        {
            "areas": ["LE4", "LE5"],
            "languages": ["English", "Hindi"],
            "venue_accessibility": "Delivers online or at the organisation's premises.",
            "capacity": 2,
            "employs_staff": True,
        },
        [
            ("marketing-support", "approved"),
            ("new-ways-of-working", "more_info"),
            ("outcomes-and-values", "submitted"),
        ],
    ),
    (
        ("provider4@example.org", "Helen Briggs"),
        {
            "name": "Leicester College Community Learning",
            "provider_type": Provider.Type.PUBLIC_BODY,
            "description": "Courses in governance, bookkeeping and outcome measurement for "
            "voluntary organisations.",
            "contact_email": "provider4@example.org",
        },
        {
            "areas": ["LE1", "LE2", "LE3", "LE4", "LE5", "LE7"],
            "languages": ["English", "Somali", "Arabic", "British Sign Language"],
            "venue_accessibility": "Fully accessible college campus with lifts and parking.",
            "capacity": 3,
            "employs_staff": True,
        },
        [("outcomes-and-values", "approved")],
    ),
]
LAPSED = "Leicester College Community Learning"

ANSWERS = {
    "experience": "Ten years supporting small Leicester charities, including 40 pieces of "
    "work like this one for organisations with incomes under £100,000.",
    "approach": "An initial meeting to agree goals, three working sessions with staff and "
    "trustees, written materials to keep, and a follow-up call after three months.",
    "example_1": "A neighbourhood centre in Belgrave: we rebuilt its budget and cash-flow "
    "forecast, and it secured two years of funding.",
    "example_2": "A youth project in Braunstone: trustee training and a new reserves policy, "
    "adopted at its AGM.",
}


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _profile(provider, user, profile) -> None:
    if provider.areas.exists():
        return
    data = {
        "venue_accessibility": profile["venue_accessibility"],
        "capacity": profile["capacity"],
        "employs_staff": profile["employs_staff"],
    }
    services.update_profile(
        provider=provider,
        by=user,
        data=data,
        areas=Area.objects.filter(code__in=profile["areas"]),
        languages=Language.objects.filter(name__in=profile["languages"]),
    )


def _essentials(provider, user) -> None:
    if provider.has_joined_register:
        return
    provider.refresh_from_db()
    today = timezone.localdate()
    kinds = ["pi", "pl"] + (["el"] if provider.employs_staff else [])
    cover = {"pi": Decimal("2000000"), "pl": Decimal("5000000"), "el": Decimal("10000000")}
    for kind in kinds:
        services.upload_certificate(
            provider=provider,
            kind=kind,
            cover=cover[kind],
            expires_on=today + timedelta(days=90 + 60 * kinds.index(kind)),
            upload=_pdf(f"{kind}-certificate.pdf"),
            by=user,
        )
    for kind in ("safeguarding", "data_protection"):
        services.upload_policy(provider=provider, kind=kind, upload=_pdf(f"{kind}.pdf"), by=user)
    services.declare_exclusions(
        provider=provider, answers={slug: "no" for slug, _, _ in EXCLUSION_GROUNDS}, by=user
    )
    services.declare_conflicts(
        provider=provider, answer="no", statement="", organisations=[], by=user
    )
    services.submit_register_application(
        provider=provider, by=user, declaration_name=user.full_name
    )


def _apply(provider, user, officer, slug, state) -> None:
    package = Package.objects.filter(slug=slug).first()
    if (
        package is None
        or PackageApplication.objects.filter(provider=provider, package=package).exists()
    ):
        return
    application = services.start_package_application(provider=provider, package=package, by=user)
    services.save_package_application(application=application, by=user, data=ANSWERS)
    services.submit_package_application(application=application, by=user)
    if state == "approved":
        services.approve_application(application=application, by=officer)
    elif state == "rejected":
        services.reject_application(
            application=application,
            by=officer,
            reason="The examples do not show work on service design. Apply again with "
            "examples of helping organisations redesign a service.",
        )
    elif state == "more_info":
        services.ask_for_more_information(
            application=application,
            by=officer,
            question="Please say who would deliver the sessions and their qualifications.",
        )


def seed_providers(stdout, person) -> None:
    """The register: providers of every type at each stage. `person` is seed_demo's
    get-or-create for a demo login."""
    officer = User.objects.get(email="officer@example.org")
    for login, data, profile, plan in PROVIDERS:
        user = person(*login)
        provider = Provider.objects.filter(name=data["name"]).first()
        if provider is None:
            provider = services.register_provider(user=user, data=data)
        _profile(provider, user, profile)
        _essentials(provider, user)
        for slug, state in plan:
            _apply(provider, user, officer, slug, state)
    # The lapsed approval: its public liability certificate ended last week.
    InsuranceCertificate.objects.filter(provider__name=LAPSED, kind="pl").update(
        expires_on=timezone.localdate() - timedelta(days=7)
    )
    stdout.write("\nProviders on the register:")
    for provider in Provider.objects.filter(name__in=[d["name"] for _, d, _, _ in PROVIDERS]):
        states = ", ".join(
            f"{a.package.name} {a.get_status_display().lower()}"
            for a in provider.package_applications.select_related("package")
        )
        stdout.write(f"  {provider.name} ({provider.get_provider_type_display()}): {states}")

"""Demo data for the provider journey, called by `seed_demo` after the providers' demo.

Four more organisations have packages agreed this year, and each package is
walked through the real services to one state of the journey, so that every
state from "agreed" to "paid" (and one expired unused) can be seen, with
ratings and a reply.
Idempotent: an organisation that already has packages is left alone.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from allowances.models import AgreedPackage, AgreedStatus
from allowances.services import agree_package, expire_agreed_package
from diagnostics.models import EligibilityDecision
from diagnostics.services import record_eligibility_decision
from organisations.models import Organisation, PriorityTheme, User
from organisations.services import register_organisation
from providers.models import Provider
from providers.selectors import approved_for

from . import services
from .models import ProviderRequest, RequestStatus

S = AgreedStatus

ORGANISATIONS = [
    (
        ("org11@example.org", "Grace Okafor"),
        {
            "name": "Saffron Lane Food Bank",
            "legal_form": Organisation.LegalForm.CIO,
            "charity_number": "1167788",
            "address_line_1": "Saffron Lane",
            "postcode": "LE2 6TG",
            "address_is_home": False,
            "contact_name": "Grace Okafor",
            "contact_email": "org11@example.org",
            "main_activities": "A weekly food bank and advice drop-in.",
            "beneficiaries": "Families on low incomes in Saffron and Eyres Monsell.",
            "income_band": Organisation.IncomeBand.TO_100K,
            "staff_count": 1,
            "volunteer_count": 40,
        },
        # (state, provider login, rating, comment)
        [
            (S.EXPIRED, "provider@example.org", None, ""),
            (S.PAID, "provider@example.org", 5, "Clear, practical and patient with our trustees."),
            (S.PROVIDER_REQUESTED, "provider2@example.org", None, ""),
        ],
    ),
    (
        ("org12@example.org", "Tom Hughes"),
        {
            "name": "Clarendon Park Carers Group",
            "legal_form": Organisation.LegalForm.UNINCORPORATED,
            "address_line_1": "Howard Road",
            "postcode": "LE2 1XG",
            "address_is_home": False,
            "contact_name": "Tom Hughes",
            "contact_email": "org12@example.org",
            "main_activities": "Peer support and short breaks for unpaid carers.",
            "beneficiaries": "Unpaid carers in the south of the city.",
            "income_band": Organisation.IncomeBand.UNDER_10K,
            "staff_count": 0,
            "volunteer_count": 12,
        },
        [
            (S.CLAIMED, "provider2@example.org", 4, "Good sessions; the handbook helped."),
            (S.ACCEPTED, "provider@example.org", None, ""),
        ],
    ),
    (
        ("org13@example.org", "Amina Yusuf"),
        {
            "name": "Spinney Hill Sports Club",
            "legal_form": Organisation.LegalForm.CIO,
            "charity_number": "1178899",
            "address_line_1": "St Saviours Road",
            "postcode": "LE5 3SH",
            "address_is_home": False,
            "contact_name": "Amina Yusuf",
            "contact_email": "org13@example.org",
            "main_activities": "Football and cricket for young people.",
            "beneficiaries": "Young people aged 8 to 18 in Spinney Hills.",
            "income_band": Organisation.IncomeBand.TO_100K,
            "staff_count": 2,
            "volunteer_count": 25,
        },
        [
            (S.CONFIRMED, "provider@example.org", 3, "Useful, but the last session was rushed."),
            (S.IN_DELIVERY, "provider2@example.org", None, ""),
        ],
    ),
    (
        ("org14@example.org", "Priya Shah"),
        {
            "name": "New Parks Arts Collective",
            "legal_form": Organisation.LegalForm.CIC,
            "company_number": "12345678",
            "address_line_1": "Aikman Avenue",
            "postcode": "LE3 9PL",
            "address_is_home": False,
            "contact_name": "Priya Shah",
            "contact_email": "org14@example.org",
            "main_activities": "Community arts workshops and an annual festival.",
            "beneficiaries": "Residents of New Parks and Beaumont Leys.",
            "income_band": Organisation.IncomeBand.UNDER_10K,
            "staff_count": 0,
            "volunteer_count": 9,
        },
        [
            (S.DISPUTED, "provider@example.org", None, ""),
            (S.DELIVERED, "provider2@example.org", None, ""),
        ],
    ),
]


def _walk(agreed, target, *, admin, provider, provider_user, officer, score, comment):
    """Move `agreed` through the real services until it reaches `target`."""
    today = timezone.localdate()
    services.request_provider(
        agreed,
        provider=provider,
        message="We would like to start in the new year. Weekday evenings suit our volunteers.",
        by=admin,
    )
    if target == S.PROVIDER_REQUESTED:
        return
    request = ProviderRequest.objects.get(agreed_package=agreed, status=RequestStatus.PENDING)
    services.accept_request(
        request, by=provider_user, planned_start=today, planned_end=today + timedelta(days=60)
    )
    if target == S.ACCEPTED:
        return
    request.refresh_from_db()
    services.log_session(
        request,
        by=provider_user,
        data={
            "held_on": today,
            "hours": Decimal("2.5"),
            "mode": "in_person",
            "topics": "Roles of trustees, the annual return and a cash-flow forecast.",
            "attendees": "The chair, the treasurer and two volunteers.",
            "notes": "",
        },
    )
    if target == S.IN_DELIVERY:
        return
    services.mark_delivered(
        request,
        by=provider_user,
        outcome_summary="Trustees have a one-year budget and a cash-flow forecast they update "
        "monthly, and know their duties.",
    )
    if target == S.DELIVERED:
        return
    if target == S.DISPUTED:
        services.dispute_delivery(
            agreed, by=admin, reason="Two of the three workshops we agreed did not happen."
        )
        return
    rating = services.confirm_delivery(agreed, by=admin, score=score, comment=comment)
    if score >= 4:
        services.reply_to_rating(
            rating, by=provider_user, reply="Thank you: it was a pleasure to work with you."
        )
    if target == S.CONFIRMED:
        return
    claim = services.submit_claim(
        agreed, by=provider_user, amount=agreed.value, invoice_reference=f"INV-{agreed.pk:05d}"
    )
    if target == S.CLAIMED:
        return
    services.approve_claim(claim, by=officer)


def seed_delivery(stdout, person) -> None:
    """Organisations with a package at each state of the provider journey."""
    officer = User.objects.get(email="officer@example.org")
    today = timezone.localdate()
    providers = {
        email: Provider.objects.filter(memberships__user__email=email).first()
        for email in ("provider@example.org", "provider2@example.org")
    }
    stdout.write("\nProvider journey (an agreed package at each state):")
    for admin_spec, data, plan in ORGANISATIONS:
        admin = person(*admin_spec)
        if not Organisation.objects.filter(name=data["name"]).exists():
            themes = PriorityTheme.objects.filter(slug="neighbours-and-communities")
            register_organisation(user=admin, data=data, themes=themes)
        organisation = Organisation.objects.get(name=data["name"])
        if not EligibilityDecision.objects.filter(organisation=organisation).exists():
            record_eligibility_decision(
                organisation=organisation,
                outcome=EligibilityDecision.Outcome.ELIGIBLE,
                decided_by=officer,
                reasons="Serves Leicester residents, not for profit, governing document and "
                "equality policy seen.",
                valid_from=today - timedelta(days=60),
                valid_until=today + timedelta(days=670),
            )
        if AgreedPackage.objects.filter(organisation=organisation).exists():
            continue
        for target, login, score, comment in plan:
            provider = providers[login]
            approved = provider and provider.package_applications.filter(
                status="approved"
            ).values_list("package", flat=True)
            taken = organisation.agreed_packages.values_list("package", flat=True)
            choosable = approved_for_any(approved, provider, today, exclude=set(taken))
            if choosable is None:
                stdout.write(f"  (skipped {target}: {login} is not approved for any package)")
                continue
            agreed = agree_package(
                organisation=organisation,
                package=choosable,
                agreed_by=officer,
                on=today - timedelta(days=21),
            )
            if target == S.EXPIRED:
                # Agreed, but no provider chosen in time: the slot and the money came back.
                expire_agreed_package(
                    agreed, reason="No provider was chosen within 8 weeks of agreement."
                )
                continue
            _walk(
                agreed,
                target,
                admin=admin,
                provider=provider,
                provider_user=provider.memberships.first().user,
                officer=officer,
                score=score,
                comment=comment,
            )
    for admin_spec, data, _plan in ORGANISATIONS:
        states = ", ".join(
            AgreedStatus(s).label.lower()
            for s in AgreedPackage.objects.filter(organisation__name=data["name"]).values_list(
                "status", flat=True
            )
        )
        stdout.write(f"  {admin_spec[0]:<24} admin of {data['name']}: {states}")


def approved_for_any(package_ids, provider, today, *, exclude=()):
    """A package the provider is approved (and not lapsed) for today, or None."""
    from packages.models import Package

    packages = Package.objects.filter(pk__in=list(package_ids or []), status="active")
    for package in packages.exclude(pk__in=exclude).order_by("pk"):
        if approved_for(package, today).filter(pk=provider.pk).exists():
            return package
    return None

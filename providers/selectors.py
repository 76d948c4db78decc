"""Reads other apps and pages rely on: who is approved, lapsed, linked, insured."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from . import essentials
from .models import (
    ApplicationStatus,
    InsuranceCertificate,
    PackageApplication,
    Provider,
    required_insurance,
)
from .rules import insurance_lapsed


def people_of(provider) -> list:
    """Everyone who acts for the provider, oldest first: whom to email."""
    return [m.user for m in provider.memberships.select_related("user").order_by("pk")]


def minimum_cover() -> dict[str, Decimal]:
    """The least cover accepted for each kind of insurance, from settings."""
    return {
        "pi": Decimal(settings.PROVIDER_MIN_COVER_PI),
        "pl": Decimal(settings.PROVIDER_MIN_COVER_PL),
        "el": Decimal(settings.PROVIDER_MIN_COVER_EL),
    }


def approved_for(package, on: date) -> QuerySet[Provider]:
    """Providers approved for `package` (not suspended or removed) and not lapsed on `on`."""
    approved = PackageApplication.objects.filter(
        provider=OuterRef("pk"), package=package, status=ApplicationStatus.APPROVED
    )
    return Provider.objects.filter(Exists(approved)).not_lapsed_on(on)


def lapsed_on(provider: Provider, day: date) -> bool:
    """Whether the provider's approvals have lapsed on `day`: a required certificate has
    ended or is missing. Uses prefetched certificates when the caller loaded them."""
    expiries = {c.kind: c.expires_on for c in provider.certificates.all()}
    return insurance_lapsed(
        expiries=expiries, required=required_insurance(provider.employs_staff), on=day
    )


def insurance_expiring_between(start: date, end: date) -> QuerySet[InsuranceCertificate]:
    """Certificates whose last day of cover falls between `start` and `end`, inclusive,
    of providers on the register (for the reminder job), with their provider."""
    return (
        InsuranceCertificate.objects.filter(
            expires_on__gte=start,
            expires_on__lte=end,
            provider__register_submitted_at__isnull=False,
        )
        .select_related("provider")
        .order_by("expires_on", "pk")
    )


def facts_for(provider: Provider) -> essentials.Facts:
    """What the essentials are judged on. Three queries (certificates, policies),
    fewer when the caller prefetched them."""
    return essentials.Facts(
        provider_type=provider.provider_type,
        charity_number=provider.charity_number,
        company_number=provider.company_number,
        employs_staff=provider.employs_staff,
        certificates={
            c.kind: essentials.Certificate(c.cover, c.expires_on)
            for c in provider.certificates.all()
        },
        policies=frozenset(p.kind for p in provider.policies.all()),
        exclusion_answers=dict(provider.exclusion_answers or {}),
        conflicts_answer=provider.conflicts_answer,
    )


def essential_failures(provider: Provider, today: date) -> list[essentials.Failure]:
    return essentials.evaluate(facts_for(provider), today=today, minimums=minimum_cover())


def with_profile(queryset: QuerySet[Provider]) -> QuerySet[Provider]:
    """Everything the public profile partial (_profile.html) shows, in four queries."""
    return queryset.prefetch_related(
        "areas",
        "languages",
        Prefetch(
            "package_applications",
            queryset=PackageApplication.objects.approved().select_related("package"),
            to_attr="approvals",
        ),
        "certificates",
    )

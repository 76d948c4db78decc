"""Factories for the register: certificates, policies, package applications, and a
provider that meets every essential."""

import secrets
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from providers.essentials import EXCLUSION_GROUNDS
from providers.models import InsuranceCertificate, PackageApplication, PolicyDocument

from ..factories import PDF_BYTES, PackageFactory, ProviderFactory, UserFactory

COVER = {"pi": Decimal("1000000.00"), "pl": Decimal("5000000.00"), "el": Decimal("5000000.00")}
ANSWER = "We have run finance workshops for twelve small charities in the city since 2019."


def _stored_pdf() -> str:
    from diagnostics.uploads import path_of

    name = secrets.token_hex(24)
    path_of(name).write_bytes(PDF_BYTES)
    return name


class CertificateFactory(factory.django.DjangoModelFactory):
    """A current certificate with the minimum cover, ending in a year."""

    class Meta:
        model = InsuranceCertificate

    provider = factory.SubFactory(ProviderFactory)
    kind = "pi"
    cover = factory.LazyAttribute(lambda o: COVER[o.kind])
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    original_name = "certificate.pdf"
    stored_name = factory.LazyFunction(_stored_pdf)
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyDocument

    provider = factory.SubFactory(ProviderFactory)
    kind = "safeguarding"
    original_name = "policy.pdf"
    stored_name = factory.LazyFunction(_stored_pdf)
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)


def meet_essentials(provider, *, joined=True, expires_on=None):
    """Give `provider` everything the essentials ask for; `joined` also sends its
    application to join the register. Returns the provider, fresh from the database."""
    from providers.models import Provider

    kinds = ["pi", "pl"] + (["el"] if provider.employs_staff else [])
    for kind in kinds:
        CertificateFactory(
            provider=provider,
            kind=kind,
            **({"expires_on": expires_on} if expires_on else {}),
        )
    for kind in ("safeguarding", "data_protection"):
        PolicyFactory(provider=provider, kind=kind)
    fields = {
        "exclusion_answers": {slug: "no" for slug, _, _ in EXCLUSION_GROUNDS},
        "conflicts_answer": "no",
    }
    if joined:
        fields.update(
            register_submitted_at=timezone.now(),
            register_submitted_by=UserFactory(),
            declaration_name="Sam Patel",
        )
    Provider.objects.filter(pk=provider.pk).update(**fields)
    return Provider.objects.get(pk=provider.pk)


class PackageApplicationFactory(factory.django.DjangoModelFactory):
    """An application with every answer given. Set `status` for one further along;
    the dates and the officer's words each state needs are filled in."""

    class Meta:
        model = PackageApplication

    provider = factory.SubFactory(ProviderFactory)
    package = factory.SubFactory(PackageFactory)
    status = "draft"
    experience = ANSWER
    approach = "Three workshops, then one-to-one support with the treasurer."
    example_1 = "A budget and cash-flow forecast for a lunch club."
    example_2 = "Trustee training on financial duties for a youth project."
    created_by = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == "draft" else timezone.now() - timedelta(days=2)
    )
    approved_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in ("approved", "suspended", "removed") else None
    )
    officer_message = factory.LazyAttribute(
        lambda o: (
            "A reason." if o.status in ("more_info", "rejected", "suspended", "removed") else ""
        )
    )

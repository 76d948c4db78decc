"""Section B's factories: communities of interest and rounds, made through the services."""

from datetime import time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from grants import services
from grants.models import CommunityOfInterest, GrantRound
from grants.rules import london_datetime
from packages.models import Strand

from ..factories import BudgetYearFactory, ManagerFactory


class CommunityFactory(factory.django.DjangoModelFactory):
    """A community above the threshold (more than 3,298 people at the 2011 census)."""

    class Meta:
        model = CommunityOfInterest

    characteristic = "religion_or_belief"
    name = factory.Sequence(lambda n: f"Faith community {n}")
    population = 5000
    population_source = "2011 census, table KS209EW"


def cohesion_strand():
    """This financial year's community cohesion strand (£150,000)."""
    return BudgetYearFactory().strands.get(kind=Strand.COMMUNITY_COHESION)


def round_data(**overrides) -> dict:
    """Valid details for a round: opening tomorrow at 9am for four weeks, £60,000 in all."""
    opens_on = timezone.localdate() + timedelta(days=1)
    closes_on = opens_on + timedelta(weeks=4)
    starts = closes_on + timedelta(days=60)
    data = {
        "name": "Representation 2026",
        "summary": "Grants to represent a community of interest.",
        "strand": cohesion_strand(),
        "opens_at": london_datetime(opens_on, time(9)),
        "closes_at": london_datetime(closes_on, time(17)),
        "total": Decimal("60000.00"),
        "amount_per_community": Decimal("12000.00"),
        "period_starts_on": starts,
        "period_ends_on": starts + timedelta(days=364),
        "payment_schedule": "quarterly",
    }
    data.update(overrides)
    return data


def draft_round(*, by=None, communities=0, **overrides) -> GrantRound:
    """A draft from the template, open to `communities` new communities."""
    by = by or ManagerFactory()
    grant_round = services.create_round(by=by, data=round_data(**overrides))
    if communities:
        services.set_round_communities(
            grant_round=grant_round, by=by, communities=CommunityFactory.create_batch(communities)
        )
    return grant_round


def published_round(*, by=None, communities=2, **overrides) -> GrantRound:
    by = by or ManagerFactory()
    grant_round = draft_round(by=by, communities=communities, **overrides)
    return services.publish_round(grant_round=grant_round, by=by)


def open_round(*, by=None, communities=2, **overrides) -> GrantRound:
    """A published round that opened yesterday (published, then its opening moved back)."""
    grant_round = published_round(by=by, communities=communities, **overrides)
    yesterday = timezone.now() - timedelta(days=1)
    GrantRound.objects.filter(pk=grant_round.pk).update(opens_at=yesterday)
    grant_round.refresh_from_db()
    return grant_round


# --------------------------------------------------------------- applications


def pdf(name="document.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..factories import PDF_BYTES

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def start(grant_round, admin, *, community=None, proposal=None):
    """A draft from `admin`'s organisation for the round's first community (or `community`)."""
    from grants.application_services import start_application

    organisation = admin.membership.organisation
    if proposal is None and community is None:
        community = grant_round.round_communities.select_related("community").first()
    return start_application(
        grant_round=grant_round,
        organisation=organisation,
        by=admin,
        round_community=community,
        proposal=proposal,
    )


def fill_in(application, admin, *, evidence=True, words=3):
    """Answer every question the applicant answers, and upload every required file."""
    from grants import application_rules as moves
    from grants.application_services import REQUIRED_EVIDENCE, attach_evidence, save_answer

    for criterion in application.round.criteria.all():
        if moves.needs_answer(criterion.automatic_check):
            save_answer(
                application=application,
                criterion=criterion,
                text=" ".join(["word"] * words),
                by=admin,
            )
    if evidence:
        for kind in REQUIRED_EVIDENCE:
            attach_evidence(application=application, kind=kind, upload=pdf(), by=admin)
    return application


def complete_application(grant_round, admin, **kwargs):
    return fill_in(start(grant_round, admin, **kwargs), admin)


def sent_application(grant_round, admin, **kwargs):
    from grants.application_services import submit_application

    application = complete_application(grant_round, admin, **kwargs)
    return submit_application(application=application, by=admin, declaration_name="Asha Patel")


def close(grant_round):
    """Move the round's closing time into the past (as the clock would)."""
    past = timezone.now() - timedelta(minutes=1)
    GrantRound.objects.filter(pk=grant_round.pk).update(
        opens_at=past - timedelta(days=7), closes_at=past
    )
    grant_round.refresh_from_db()
    return grant_round


def quick_fill(application, admin):
    """What fill_in does, written straight to the tables: for the permission matrix's worlds."""
    from diagnostics import uploads
    from grants import application_rules as moves
    from grants.application_services import REQUIRED_EVIDENCE
    from grants.models import Answer, ApplicationEvidence

    Answer.objects.bulk_create(
        Answer(
            application=application,
            criterion=criterion,
            text="Our answer, with evidence.",
            word_count=4,
            updated_by=admin,
        )
        for criterion in application.round.criteria.all()
        if moves.needs_answer(criterion.automatic_check)
    )
    for kind in REQUIRED_EVIDENCE:
        upload = pdf(f"{kind.value}.pdf")
        stored_name, sha256 = uploads.store(upload)
        ApplicationEvidence.objects.create(
            application=application,
            kind=kind,
            original_name=upload.name,
            stored_name=stored_name,
            content_type="application/pdf",
            size=upload.size,
            sha256=sha256,
            uploaded_by=admin,
        )
    return application

"""Reads for the delivery journey: who can be chosen, what a provider is doing, ratings."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Round

from allowances.models import AgreedStatus
from notifications.deadlines import COMPLETE_DELIVERY, deadline
from organisations.rules import Decision
from providers.models import PackageApplication, Provider
from providers.rules import provider_can_take
from providers.selectors import approved_for, lapsed_on, with_profile

from .models import Claim, DeliverySession, Dispute, ProviderRequest, Rating, RequestStatus

# A provider is busy with a package from acceptance until the work is marked
# delivered (or again while a dispute sends it back): these count against its capacity.
BUSY = [AgreedStatus.ACCEPTED, AgreedStatus.IN_DELIVERY, AgreedStatus.DISPUTED]


def delivery_deadline(agreed) -> date:
    """The latest end date for delivery: the manager-set period from agreement (6 months)."""
    return deadline(COMPLETE_DELIVERY).due_on(agreed.agreed_on)


def _count(queryset) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("provider").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def busy_count():
    """An annotation: how many packages the provider (OuterRef pk) is busy with now."""
    return _count(
        ProviderRequest.objects.filter(
            provider=OuterRef("pk"),
            status=RequestStatus.ACCEPTED,
            agreed_package__status__in=BUSY,
        )
    )


def with_ratings(queryset: QuerySet[Provider]) -> QuerySet[Provider]:
    """Annotate `rating_average` and `rating_count`: only organisations it delivered to rate."""
    ratings = (
        Rating.objects.filter(request__provider=OuterRef("pk"))
        .order_by()
        .values("request__provider")
    )
    one_place = DecimalField(max_digits=3, decimal_places=1)
    return queryset.annotate(
        # Rounded in the database, half away from zero like rules.average_rating:
        # unrounded, PostgreSQL's AVG gives 4.2500000000000000 to the page.
        rating_average=Subquery(
            ratings.annotate(a=Round(Avg("score", output_field=one_place), 1)).values("a")[:1],
            output_field=one_place,
        ),
        rating_count=Coalesce(
            Subquery(ratings.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
            Value(0),
        ),
    )


def choosable_providers(agreed, on: date) -> QuerySet[Provider]:
    """The providers the organisation may choose for this agreed package on `on`.

    Approved for the package, not lapsed, not linked to the organisation, with
    room for another package; with their ratings and the profile's related rows.
    A fixed number of queries however many providers there are.
    """
    queryset = (
        approved_for(agreed.package, on)
        .not_linked_to(agreed.organisation)
        .annotate(busy=busy_count())
        .filter(busy__lt=F("capacity"))
    )
    return with_profile(with_ratings(queryset)).order_by("name")


def provider_can_be_chosen(provider: Provider, agreed, *, on: date) -> Decision:
    """The same test as `choosable_providers`, for one provider, with the reason if not."""
    approved = PackageApplication.objects.approved().filter(
        provider=provider, package_id=agreed.package_id
    )
    linked = not Provider.objects.filter(pk=provider.pk).not_linked_to(agreed.organisation).exists()
    busy = (
        Provider.objects.filter(pk=provider.pk)
        .annotate(busy=busy_count())
        .values_list("busy", flat=True)[0]
    )
    return provider_can_take(
        approved=approved.exists(),
        lapsed=lapsed_on(provider, on),
        linked=linked,
        active=busy,
        capacity=provider.capacity,
    )


def ratings_for(provider: Provider) -> QuerySet[Rating]:
    return (
        Rating.objects.filter(request__provider=provider)
        .select_related("request__agreed_package__package", "request__agreed_package__organisation")
        .order_by("-rated_at")
    )


def requests_for_provider(provider: Provider) -> QuerySet[ProviderRequest]:
    """Everything a provider sees in its list: only requests sent to it."""
    return (
        ProviderRequest.objects.filter(provider=provider)
        .select_related("agreed_package__organisation", "agreed_package__package")
        .annotate(session_count=Count("sessions"))
        .order_by("-requested_at", "-id")
    )


def accepted_request(agreed) -> ProviderRequest | None:
    return (
        ProviderRequest.objects.filter(agreed_package=agreed, status=RequestStatus.ACCEPTED)
        .select_related("provider")
        .first()
    )


@dataclass
class Journey:
    """What was recorded about one agreed package's delivery, read in a fixed number of queries."""

    requests: list = field(default_factory=list)
    accepted: ProviderRequest | None = None
    pending: ProviderRequest | None = None
    sessions: list = field(default_factory=list)
    rating: Rating | None = None
    disputes: list = field(default_factory=list)
    claims: list = field(default_factory=list)

    @property
    def hours(self):
        return sum((s.hours for s in self.sessions), start=0)

    @property
    def open_dispute(self):
        return next((d for d in self.disputes if d.is_open), None)


def journey_for(agreed) -> Journey:
    """The requests, sessions, rating, disputes and claims of one agreed package (5 queries)."""
    requests = list(
        ProviderRequest.objects.filter(agreed_package=agreed)
        .select_related("provider")
        .order_by("requested_at", "id")
    )
    journey = Journey(requests=requests)
    journey.accepted = next((r for r in requests if r.status == RequestStatus.ACCEPTED), None)
    journey.pending = next((r for r in requests if r.status == RequestStatus.PENDING), None)
    if journey.accepted is None:
        return journey
    journey.sessions = list(DeliverySession.objects.filter(request=journey.accepted))
    journey.rating = Rating.objects.filter(request=journey.accepted).first()
    journey.disputes = list(
        Dispute.objects.filter(request=journey.accepted).select_related("resolved_by")
    )
    journey.claims = list(Claim.objects.filter(request=journey.accepted).order_by("submitted_at"))
    return journey


def claim_queue() -> QuerySet[Claim]:
    """Claims with everything the queue shows, oldest first: one query."""
    return Claim.objects.select_related(
        "request__provider", "agreed_package__organisation", "agreed_package__package"
    ).order_by("submitted_at", "id")


def approved_claims_for_finance() -> QuerySet[Claim]:
    return (
        Claim.objects.filter(status=Claim.Status.APPROVED)
        .select_related(
            "request__provider",
            "decided_by",
            "agreed_package__organisation",
            "agreed_package__package",
        )
        .order_by("decided_at", "id")
    )


def open_disputes() -> QuerySet[Dispute]:
    return (
        Dispute.objects.filter(resolved_at__isnull=True)
        .select_related(
            "request__provider",
            "request__agreed_package__organisation",
            "request__agreed_package__package",
        )
        .order_by("raised_at", "id")
    )

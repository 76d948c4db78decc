"""Everything the council holds about one organisation, for the officer's view of it.

Each kind of record (eligibility applications, diagnostics, agreed packages,
provider requests, claims) is read as its latest few with the count of all in
one query, and the history of the organisation and its things in two, so the
page costs the same whatever the organisation has. Only this wiring layer may
import every app these come from.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Value, Window
from django.db.models.functions import Cast

from allowances.models import AgreedPackage
from audit.services import history_for_many
from delivery.models import Claim, ProviderRequest
from diagnostics.models import Diagnostic, EligibilityApplication
from organisations.models import Invitation

# How many of each kind the page lists; the count and a link reach the rest.
LATEST = 3
HISTORY_LENGTH = 20


@dataclass
class Latest:
    """The newest few of one kind of record, and how many there are in all."""

    rows: list = field(default_factory=list)
    count: int = 0


def latest(queryset, n: int = LATEST) -> Latest:
    """The first `n` rows of an ordered queryset and its full count, in one query.

    The count is a window over the whole filtered set, which the database works
    out before the LIMIT, so it counts every row, not only the ones fetched.
    """
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:n])
    return Latest(rows=rows, count=rows[0].total_rows if rows else 0)


@dataclass
class OrganisationRecords:
    applications: Latest
    diagnostics: Latest
    packages: Latest
    requests: Latest
    claims: Latest


def records_of(organisation) -> OrganisationRecords:
    """The latest few of each kind, with counts: five queries.

    Eligibility applications leave out drafts, like the officers' queue that
    lists them all: an organisation's unsent answers are its own.
    """
    return OrganisationRecords(
        applications=latest(
            EligibilityApplication.objects.filter(organisation=organisation)
            .exclude(status=EligibilityApplication.Status.DRAFT)
            .order_by("-submitted_at", "-pk")
        ),
        diagnostics=latest(
            Diagnostic.objects.filter(organisation=organisation).order_by("-started_at", "-pk")
        ),
        packages=latest(
            AgreedPackage.objects.filter(organisation=organisation)
            .select_related("package")
            .order_by("-agreed_at", "-pk")
        ),
        requests=latest(
            ProviderRequest.objects.filter(agreed_package__organisation=organisation)
            .select_related("provider", "agreed_package__package")
            .order_by("-requested_at", "-pk")
        ),
        claims=latest(
            Claim.objects.filter(agreed_package__organisation=organisation)
            .select_related("request__provider", "agreed_package__package")
            .order_by("-submitted_at", "-pk")
        ),
    )


def _things(model, subject=None, **filters):
    """(type, id as text, what to call it) for each of the organisation's `model` rows."""
    return (
        model.objects.filter(**filters)
        .order_by()
        .values_list(
            Value(model._meta.label_lower, output_field=CharField()),
            Cast("pk", output_field=CharField()),
            subject if subject is not None else Value("", output_field=CharField()),
        )
    )


def history_of(organisation, limit: int = HISTORY_LENGTH) -> list:
    """The newest events about the organisation and its things, each with its `subject`.

    Two queries: every thing of the organisation (its invitations, eligibility
    applications, diagnostics and agreed packages, with what to call each), then
    their events. Provider requests and claims are left out: each of their
    moves is also recorded on the agreed package, which the history names.
    """
    things = list(
        _things(Invitation, F("email"), organisation=organisation).union(
            _things(EligibilityApplication, organisation=organisation),
            _things(Diagnostic, organisation=organisation),
            _things(AgreedPackage, F("package__name"), organisation=organisation),
            all=True,
        )
    )
    subjects = {(object_type, object_id): subject for object_type, object_id, subject in things}
    ids_by_type = {organisation._meta.label_lower: [str(organisation.pk)]}
    for object_type, object_id, _ in things:
        ids_by_type.setdefault(object_type, []).append(object_id)
    events = list(history_for_many(ids_by_type)[:limit])
    for event in events:
        event.subject = subjects.get((event.object_type, event.object_id), "")
    return events

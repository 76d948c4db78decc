"""The facts each person's home page is built from, read in a fixed number of queries.

Each function reads what `next_steps` needs for one role, as plain values:
counts and the oldest item's date by aggregate queries, never a row per item,
so a home page costs the same with one thing waiting or a thousand.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from allowances.models import AgreedPackage, AgreedStatus, BudgetStrand, OverrideRequest
from allowances.rules import financial_year_of, highest_threshold_reached
from allowances.selectors import strands_with_figures
from allowances.services import allowance_summary
from delivery.models import Claim, ClaimStatus, Dispute, ProviderRequest, RequestStatus
from diagnostics.models import Diagnostic, EligibilityApplication, EligibilityDecision
from grants.appeal_selectors import waiting_appeals
from grants.assessment_selectors import assessor_to_do
from grants.concern_selectors import concerns_to_review
from grants.models import Application, GrantRound
from grants.monitoring_selectors import officer_counts
from grants.voice_selectors import comments_waiting
from notifications.deadlines import (
    CHOOSE_PROVIDER,
    COMPLETE_DELIVERY,
    CONFIRM_DELIVERY,
    ELIGIBILITY_FIRST_REMINDER,
    OFFICER_REVIEW,
    PROVIDER_RESPOND,
    deadlines,
)
from notifications.models import Notification
from providers.models import ApplicationStatus, PackageApplication
from providers.selectors import essential_failures

from .next_steps import GrantDraftFacts, OrganisationFacts, PackageFacts, ProviderFacts, Queue
from .staff_next_steps import ManagerFacts, OfficerFacts, StrandFacts

# The organisation's home lists this many open packages; the rest are counted.
PACKAGES_SHOWN = 6
OPEN = [
    AgreedStatus.AGREED,
    AgreedStatus.PROVIDER_REQUESTED,
    AgreedStatus.ACCEPTED,
    AgreedStatus.IN_DELIVERY,
    AgreedStatus.DELIVERED,
    AgreedStatus.DISPUTED,
]
INSURANCE_WARNING_DAYS = 30


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _local(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


# ------------------------------------------------------------------ organisation


def organisation_facts(organisation, membership, today: date) -> OrganisationFacts:
    rules = deadlines(
        CHOOSE_PROVIDER,
        PROVIDER_RESPOND,
        COMPLETE_DELIVERY,
        CONFIRM_DELIVERY,
        ELIGIBILITY_FIRST_REMINDER,
    )
    application = (
        EligibilityApplication.objects.filter(organisation=organisation)
        .order_by("-created_at", "-id")
        .values("status")
        .first()
    )
    decision = (
        EligibilityDecision.objects.filter(organisation=organisation)
        .order_by("-decided_at", "-id")
        .values("outcome", "valid_from", "valid_until")
        .first()
    )
    diagnostic = (
        Diagnostic.objects.filter(organisation=organisation)
        .order_by("-started_at", "-id")
        .values("pk", "status", "session_date", "session_time")
        .first()
    )
    open_packages = AgreedPackage.objects.filter(organisation=organisation, status__in=OPEN)
    open_count = open_packages.count()
    shown = list(
        open_packages.select_related("package").order_by("agreed_on", "pk")[:PACKAGES_SHOWN]
    )
    live = {
        r.agreed_package_id: r
        for r in ProviderRequest.objects.filter(
            agreed_package__in=shown,
            status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED],
        ).select_related("provider")
    }
    packages = [_package_facts(agreed, live.get(agreed.pk), rules) for agreed in shown]
    summary = allowance_summary(organisation, today)
    eligible = decision is not None and decision["outcome"] == EligibilityDecision.Outcome.ELIGIBLE
    eligible_now = eligible and decision["valid_from"] <= today <= decision["valid_until"]
    return OrganisationFacts(
        name=organisation.name,
        is_admin=membership.is_admin,
        application_status=application["status"] if application else None,
        decision_outcome=decision["outcome"] if decision else None,
        eligible_until=decision["valid_until"] if eligible else None,
        eligible_now=eligible_now,
        renew_from=rules[ELIGIBILITY_FIRST_REMINDER].remind_on(decision["valid_until"])
        if eligible
        else None,
        diagnostic_status=diagnostic["status"] if diagnostic else None,
        diagnostic_pk=diagnostic["pk"] if diagnostic else None,
        session_on=diagnostic["session_date"] if diagnostic else None,
        session_at=diagnostic["session_time"] if diagnostic else None,
        packages=packages,
        more_packages=open_count - len(shown),
        next_package=summary.next_sentence,
        can_have_package_now=summary.can_agree_now,
        grant_drafts=_grant_drafts(organisation),
    )


GRANT_DRAFTS_SHOWN = 5


def _grant_drafts(organisation) -> tuple[GrantDraftFacts, ...]:
    """Drafts in rounds still open, closing first: one query."""
    drafts = (
        Application.objects.filter(
            organisation=organisation,
            status=Application.Status.DRAFT,
            round__status=GrantRound.Status.PUBLISHED,
            round__closes_at__gt=timezone.now(),
        )
        .select_related("round", "round_community__community")
        .order_by("round__closes_at", "pk")[:GRANT_DRAFTS_SHOWN]
    )
    return tuple(
        GrantDraftFacts(pk=d.pk, community=d.community_name, closes_words=d.round.closes_words)
        for d in drafts
    )


def _package_facts(agreed, request, rules) -> PackageFacts:
    facts = {"pk": agreed.pk, "name": agreed.package.name, "status": agreed.status}
    if agreed.status == AgreedStatus.AGREED:
        facts["choose_by"] = rules[CHOOSE_PROVIDER].due_on(agreed.agreed_on)
    if request is not None:
        facts["provider"] = request.provider.name
        if request.status == RequestStatus.PENDING:
            facts["answer_by"] = rules[PROVIDER_RESPOND].due_on(_local(request.requested_at))
        elif request.planned_end:
            facts["deliver_by"] = min(
                request.planned_end, rules[COMPLETE_DELIVERY].due_on(agreed.agreed_on)
            )
        if request.delivered_at:
            facts["confirm_by"] = rules[CONFIRM_DELIVERY].due_on(_local(request.delivered_at))
    return PackageFacts(**facts)


# ---------------------------------------------------------------------- provider


def provider_facts(provider, today: date) -> ProviderFacts:
    rules = deadlines(PROVIDER_RESPOND, COMPLETE_DELIVERY, CONFIRM_DELIVERY)
    answer_cut = _start_of(rules[PROVIDER_RESPOND].counted_back_from(today))
    deliver_cut = rules[COMPLETE_DELIVERY].counted_back_from(today)
    new = Q(status=RequestStatus.PENDING, agreed_package__status=AgreedStatus.PROVIDER_REQUESTED)
    delivering = Q(
        status=RequestStatus.ACCEPTED,
        delivered_at__isnull=True,
        agreed_package__status__in=[AgreedStatus.ACCEPTED, AgreedStatus.IN_DELIVERY],
    )
    to_confirm = Q(status=RequestStatus.ACCEPTED, agreed_package__status=AgreedStatus.DELIVERED)
    to_claim = Q(status=RequestStatus.ACCEPTED, agreed_package__status=AgreedStatus.CONFIRMED)
    r = ProviderRequest.objects.filter(provider=provider).aggregate(
        new=Count("pk", filter=new),
        new_oldest=Min("requested_at", filter=new),
        new_overdue=Count("pk", filter=new & Q(requested_at__lt=answer_cut)),
        delivering=Count("pk", filter=delivering),
        delivering_end=Min("planned_end", filter=delivering),
        delivering_agreed=Min("agreed_package__agreed_on", filter=delivering),
        delivering_overdue=Count(
            "pk",
            filter=delivering
            & (Q(planned_end__lt=today) | Q(agreed_package__agreed_on__lt=deliver_cut)),
        ),
        to_confirm=Count("pk", filter=to_confirm),
        to_confirm_oldest=Min("delivered_at", filter=to_confirm),
        to_claim=Count("pk", filter=to_claim),
    )
    claims = Claim.objects.filter(request__provider=provider, status=ClaimStatus.SUBMITTED)
    c = claims.aggregate(n=Count("pk"), oldest=Min("submitted_at"))
    applications = PackageApplication.objects.filter(provider=provider).aggregate(
        waiting=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
        to_finish=Count(
            "pk", filter=Q(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.MORE_INFO])
        ),
    )
    delivering_due = None
    if r["delivering"]:
        delivering_due = rules[COMPLETE_DELIVERY].due_on(r["delivering_agreed"])
        if r["delivering_end"]:
            delivering_due = min(delivering_due, r["delivering_end"])
    warn_until = today + timedelta(days=INSURANCE_WARNING_DAYS)
    certificates = [
        (c.get_kind_display().lower().removesuffix(" insurance") + " insurance", c.expires_on)
        for c in provider.certificates.filter(expires_on__lte=warn_until).order_by("expires_on")
    ]
    return ProviderFacts(
        name=provider.name,
        on_register=provider.has_joined_register,
        essentials_missing=len(essential_failures(provider, today))
        if not provider.has_joined_register
        else 0,
        new_requests=Queue(
            r["new"],
            r["new_oldest"],
            r["new_overdue"],
            rules[PROVIDER_RESPOND].due_on(_local(r["new_oldest"])) if r["new"] else None,
        ),
        delivering=Queue(
            r["delivering"], r["delivering_agreed"], r["delivering_overdue"], delivering_due
        ),
        awaiting_confirmation=Queue(
            r["to_confirm"],
            r["to_confirm_oldest"],
            0,
            rules[CONFIRM_DELIVERY].due_on(_local(r["to_confirm_oldest"]))
            if r["to_confirm"]
            else None,
        ),
        to_claim=Queue(r["to_claim"]),
        claims_waiting=Queue(c["n"], c["oldest"]),
        insurance_ending=certificates if provider.has_joined_register else [],
        applications_waiting=applications["waiting"],
        applications_to_finish=applications["to_finish"],
    )


# ----------------------------------------------------------------------- officer


def _queue(queryset, started: str, overdue_before=None) -> Queue:
    figures = queryset.aggregate(
        n=Count("pk"),
        oldest=Min(started),
        overdue=Count("pk", filter=Q(**{f"{started}__lt": overdue_before}))
        if overdue_before is not None
        else Count("pk", filter=Q(pk__in=[])),
    )
    return Queue(figures["n"], figures["oldest"], figures["overdue"])


def officer_facts(officer, today: date) -> OfficerFacts:
    rules = deadlines(OFFICER_REVIEW, CHOOSE_PROVIDER)
    review = rules[OFFICER_REVIEW]
    reports = officer_counts(today)
    review_cut = _start_of(review.counted_back_from(today))
    diagnostics = Diagnostic.objects.aggregate(
        to_book=Count("pk", filter=Q(status=Diagnostic.Status.AWAITING_SESSION)),
        to_book_oldest=Min(
            "self_assessment_submitted_at", filter=Q(status=Diagnostic.Status.AWAITING_SESSION)
        ),
        to_book_overdue=Count(
            "pk",
            filter=Q(
                status=Diagnostic.Status.AWAITING_SESSION,
                self_assessment_submitted_at__lt=review_cut,
            ),
        ),
        to_complete=Count(
            "pk", filter=Q(status=Diagnostic.Status.SESSION_BOOKED, session_date__lte=today)
        ),
        to_complete_oldest=Min(
            "session_date",
            filter=Q(status=Diagnostic.Status.SESSION_BOOKED, session_date__lte=today),
        ),
    )
    return OfficerFacts(
        applications=_queue(
            EligibilityApplication.objects.filter(status=EligibilityApplication.Status.SUBMITTED),
            "submitted_at",
            review_cut,
        ),
        to_book=Queue(
            diagnostics["to_book"], diagnostics["to_book_oldest"], diagnostics["to_book_overdue"]
        ),
        to_complete=Queue(diagnostics["to_complete"], diagnostics["to_complete_oldest"]),
        claims=_queue(
            Claim.objects.filter(status=ClaimStatus.SUBMITTED), "submitted_at", review_cut
        ),
        disputes=_queue(Dispute.objects.filter(resolved_at__isnull=True), "raised_at"),
        provider_applications=_queue(
            PackageApplication.objects.filter(status=ApplicationStatus.SUBMITTED),
            "submitted_at",
            review_cut,
        ),
        failed_emails=Notification.objects.filter(status=Notification.Status.FAILED).count(),
        no_provider_overdue=AgreedPackage.objects.filter(
            status=AgreedStatus.AGREED,
            agreed_on__lt=rules[CHOOSE_PROVIDER].counted_back_from(today),
        ).count(),
        review_deadline=str(review.period),
        my_override_requests=_queue(
            OverrideRequest.objects.waiting().filter(requested_by=officer), "requested_at"
        ),
        grant_assessments=_queue(assessor_to_do(officer), "round__closes_at"),
        grant_reports=Queue(reports["to_review"], reports["oldest"]),
        grant_reports_overdue=reports["overdue"],
        grant_concerns=_queue(concerns_to_review(today), "confirmed_at"),
        voice_comments=_queue(comments_waiting().order_by(), "confirmed_at"),
    )


# ----------------------------------------------------------------------- manager


def manager_facts(today: date) -> ManagerFacts:
    strands = list(
        strands_with_figures(
            BudgetStrand.objects.filter(
                budget_year__start_year=financial_year_of(today)
            ).select_related("budget_year")
        ).order_by("kind")
    )
    return ManagerFacts(
        year_label=strands[0].budget_year.label if strands else None,
        strands=[
            StrandFacts(
                name=s.get_kind_display(),
                amount=s.amount,
                used=s.committed + s.spent,
                available=s.available,
                alert_passed=highest_threshold_reached(amount=s.amount, used=s.committed + s.spent),
            )
            for s in strands
        ],
        override_requests=_queue(OverrideRequest.objects.waiting(), "requested_at"),
        failed_emails=Notification.objects.filter(status=Notification.Status.FAILED).count(),
        grant_appeals=_queue(waiting_appeals(), "lodged_at"),
    )

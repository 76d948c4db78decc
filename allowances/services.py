"""Agreeing packages and moving them through their life: the one place it happens.

Views, the admin, tasks, the seed command and other apps call these; nothing
else creates an agreed package or writes to the ledger.

Locks: every write that touches caps or money locks the budget strand row,
then the organisation row, always in that order. Two agreements on one strand
(different organisations) queue on the strand; two for one organisation
(different strands) queue on the organisation; because everyone takes the
locks in the same order, no two transactions can wait for each other in a
circle (deadlock). Figures are then read inside the lock, from the strand's
running totals, which `ledger.post` keeps with every entry.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from itertools import count

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from audit.services import record
from diagnostics.selectors import eligibility_on
from notifications.services import queue_templated_email
from organisations.models import Organisation
from packages.models import Package
from packages.money import format_money

from . import ledger
from .models import (
    MOVE_WORDS,
    TRANSITIONS,
    AgreedPackage,
    AgreedStatus,
    BudgetStrand,
    LedgerKind,
)
from .rules import (
    FINANCIAL_YEAR,
    AllowanceSummary,
    budget_decision,
    cap_decision,
    financial_year_of,
    no_budget_reason,
    policy_on,
    summarise,
)
from .selectors import (
    cap_policies,
    counting_dates,
    counting_packages,
    outstanding_commitment,
    strand_available,
)

# Sent inside the transaction that cancels or expires an agreed package, with
# `agreed`, `by` (None when the system acted) and `reason`. Lets the apps above
# this one (a provider's request) react without this app knowing them.
package_ended = Signal()

ONLY_MANAGERS_OVERRIDE = "Only a manager can agree a package past a cap or the budget."


class AllowanceError(Exception):
    """A refused change; `.reason` is the sentence shown to the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class AgreementRefused(AllowanceError):
    """The package cannot be agreed; `.reason` says why, with dates and figures."""


class CapRefused(AgreementRefused):
    """It would take the organisation over a cap."""


class BudgetRefused(AgreementRefused):
    """The strand has not enough left, or there is no budget for the year."""


class EligibilityRefused(AgreementRefused):
    """The organisation is not eligible on the agreement date."""


class IllegalTransition(AllowanceError):
    """The agreed package cannot make this move from where it is."""


def _lock_strand_then_organisation(strand_id: int, organisation_id: int):
    """Lock the strand row, then the organisation row: always this order (see module doc)."""
    strand = (
        BudgetStrand.objects.select_for_update(of=("self",))
        .select_related("budget_year")
        .get(pk=strand_id)
    )
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    return strand, organisation


def _strand_for(package: Package, on: date) -> BudgetStrand:
    year = financial_year_of(on)
    strand = BudgetStrand.objects.filter(budget_year__start_year=year, kind=package.strand).first()
    if strand is None:
        raise BudgetRefused(no_budget_reason(strand_name=package.get_strand_display(), year=year))
    return strand


def _free_slot(taken: set) -> int:
    return next(n for n in count(1) if n not in taken)


def agree_package(
    *, organisation, package, agreed_by, on: date | None = None, override_reason: str | None = None
) -> AgreedPackage:
    """Agree `package` for `organisation` on `on` (today by default).

    Guarantees, even when many officers agree at once: the organisation is
    eligible on `on`; no cap window is exceeded and no strand goes below zero,
    unless a manager gives `override_reason`; the package's value is committed
    in the ledger; the event is audited and the organisation emailed after commit.
    Raises AgreementRefused (CapRefused, BudgetRefused, EligibilityRefused).
    """
    on = on or timezone.localdate()
    override_reason = (override_reason or "").strip()
    if not agreed_by.is_officer:
        raise AgreementRefused("Only council officers and managers can agree packages.")
    with transaction.atomic():
        strand, organisation = _lock_strand_then_organisation(
            _strand_for(package, on).pk, organisation.pk
        )
        # Read again inside the lock: the value and status as they are now.
        package = Package.objects.get(pk=package.pk)
        if not package.is_active:
            raise AgreementRefused(
                f"{package.name} has been withdrawn from the menu, so it cannot be agreed."
            )
        if package.strand != strand.kind:
            # The strand was chosen (and locked) from the caller's copy of the package.
            raise AgreementRefused(
                f"{package.name} now draws on another budget strand. Check the agreement again."
            )
        eligible = eligibility_on(organisation, on)
        if not eligible:
            raise EligibilityRefused(eligible.reason)

        policies = cap_policies()
        counting = counting_packages(organisation)
        cap = cap_decision(
            organisation_name=organisation.name,
            dates=sorted(row[0] for row in counting),
            day=on,
            policies=policies,
        )
        budget = budget_decision(
            available=strand_available(strand),
            value=package.value,
            package_name=package.name,
            strand_name=strand.get_kind_display(),
            year=strand.budget_year.start_year,
        )
        _refuse_unless_overridden(cap, budget, agreed_by, override_reason)

        fy = financial_year_of(on)
        policy = policy_on(policies, on)
        slot = cap_limit = None
        if policy.basis == FINANCIAL_YEAR:
            slot = _free_slot({s for d, year, s in counting if year == fy and s is not None})
            cap_limit = policy.per_year
        agreed = AgreedPackage.objects.create(
            organisation=organisation,
            package=package,
            strand=strand,
            value=package.value,
            agreed_on=on,
            agreed_by=agreed_by,
            cap_override=not cap,
            budget_override=not budget,
            override_reason=override_reason if not (cap and budget) else "",
            financial_year=fy,
            year_slot=slot,
            year_cap=cap_limit,
        )
        ledger.post(
            agreed=agreed,
            kind=LedgerKind.COMMITMENT,
            amount=agreed.value,
            is_override=not budget,
            note=override_reason if not budget else "",
            created_by=agreed_by,
        )
        record(
            actor=agreed_by,
            action="agreed_package.agreed",
            obj=agreed,
            to_state=AgreedStatus.AGREED,
            reason=agreed.override_reason,
            data={
                "organisation": organisation.pk,
                "package": package.pk,
                "value": str(agreed.value),
                "strand": strand.pk,
                "cap_override": agreed.cap_override,
                "budget_override": agreed.budget_override,
            },
        )
        _notify(agreed, "package_agreed")
    return agreed


def _refuse_unless_overridden(cap, budget, agreed_by, override_reason: str) -> None:
    if cap and budget:
        return
    reason = " ".join(d.reason for d in (cap, budget) if not d)
    refusal = CapRefused if not cap else BudgetRefused
    if not override_reason:
        raise refusal(reason)
    if not agreed_by.is_manager:
        raise refusal(f"{reason} {ONLY_MANAGERS_OVERRIDE}")


def _notify(agreed: AgreedPackage, template: str) -> None:
    queue_templated_email(
        to=agreed.organisation.contact_email,
        template=template,
        context={"agreed": agreed, "organisation": agreed.organisation, "package": agreed.package},
        kind=f"allowances:{template}",
    )


def lock_agreed(agreed_package: AgreedPackage) -> AgreedPackage:
    """Lock strand, organisation, then the package row (see module doc); return it fresh."""
    ids = AgreedPackage.objects.values("strand_id", "organisation_id").get(pk=agreed_package.pk)
    _lock_strand_then_organisation(ids["strand_id"], ids["organisation_id"])
    return (
        AgreedPackage.objects.select_for_update(of=("self",))
        .select_related("organisation", "package", "strand")
        .get(pk=agreed_package.pk)
    )


def lock_for_move(agreed_package: AgreedPackage, to: str) -> AgreedPackage:
    """Lock the package (`lock_agreed`) and check the move to `to` is allowed from where it is."""
    locked = lock_agreed(agreed_package)
    if to not in TRANSITIONS[locked.status]:
        raise IllegalTransition(
            f"This package is {locked.get_status_display().lower()}, so it cannot be "
            f"{MOVE_WORDS[to]} now."
        )
    return locked


def move(agreed: AgreedPackage, to: str, *, by, action: str, reason: str = "", fields=()):
    from_state = agreed.status
    agreed.status = to
    agreed.save(update_fields=["status", *fields])
    record(actor=by, action=action, obj=agreed, from_state=from_state, to_state=to, reason=reason)
    return agreed


def _release_commitment(agreed: AgreedPackage, *, by, note: str) -> Decimal:
    outstanding = outstanding_commitment(agreed)
    if outstanding > 0:
        ledger.post(
            agreed=agreed,
            kind=LedgerKind.RELEASE,
            amount=outstanding,
            note=note,
            created_by=by,
        )
    return outstanding


def cancel_agreed_package(agreed_package, *, by, reason: str) -> AgreedPackage:
    """Cancel, releasing the committed money. Before delivery starts, the slot is given back."""
    reason = (reason or "").strip()
    if not reason:
        raise AllowanceError("Enter why the package is being cancelled")
    if not by.is_officer:
        raise AllowanceError("Only council officers and managers can cancel an agreed package.")
    return _end(
        agreed_package,
        AgreedStatus.CANCELLED,
        by=by,
        reason=reason,
        action="agreed_package.cancelled",
        note=f"Cancelled: {reason}",
        template="package_cancelled",
    )


def expire_agreed_package(agreed_package, *, reason: str) -> AgreedPackage:
    """The system ends a package not taken up in time: money and slot are given back."""
    return _end(
        agreed_package,
        AgreedStatus.EXPIRED,
        by=None,
        reason=reason,
        action="agreed_package.expired",
        note=f"Expired: {reason}",
        template="package_expired",
    )


def _end(agreed_package, status, *, by, reason, action, note, template) -> AgreedPackage:
    """End a package early: record why, release what it still commits, tell the organisation."""
    with transaction.atomic():
        agreed = lock_for_move(agreed_package, status)
        agreed.ended_at = timezone.now()
        agreed.ended_reason = reason
        move(
            agreed, status, by=by, action=action, reason=reason, fields=["ended_at", "ended_reason"]
        )
        _release_commitment(agreed, by=by, note=note)
        _notify(agreed, template)
        # Apps above (delivery) close what hangs from the package, in this transaction.
        package_ended.send(sender=AgreedPackage, agreed=agreed, by=by, reason=reason)
    return agreed


def start_delivery(agreed_package, *, by, on: date | None = None) -> AgreedPackage:
    """Delivery has begun: from now on the package counts even if later cancelled."""
    with transaction.atomic():
        agreed = lock_for_move(agreed_package, AgreedStatus.IN_DELIVERY)
        agreed.delivery_started_on = on or timezone.localdate()
        return move(
            agreed,
            AgreedStatus.IN_DELIVERY,
            by=by,
            action="agreed_package.delivery_started",
            fields=["delivery_started_on"],
        )


def transition(agreed_package, to: str, *, by, action: str, reason: str = "") -> AgreedPackage:
    """A move that touches neither caps nor money (a request, a confirmation, a dispute…).

    Callers (`delivery.services`) hold the transaction and lock their own rows
    after this one, so the lock order stays strand → organisation → package.
    """
    with transaction.atomic():
        agreed = lock_for_move(agreed_package, to)
        return move(agreed, to, by=by, action=action, reason=reason)


def record_spend(agreed_package, *, amount: Decimal, by, override_reason: str | None = None):
    """An approved claim: the commitment becomes spend. More than the value needs a manager."""
    override_reason = (override_reason or "").strip()
    if amount <= 0:
        raise AllowanceError("Enter a claim amount of at least £0.01")
    with transaction.atomic():
        agreed = lock_for_move(agreed_package, AgreedStatus.PAID)
        over = amount > agreed.value
        if over and not (by.is_manager and override_reason):
            then = (
                "Give the reason for paying more."
                if by.is_manager
                else ("Only a manager can approve it.")
            )
            raise AllowanceError(
                f"The claim of {format_money(amount)} is more than the "
                f"{format_money(agreed.value)} agreed. {then}"
            )
        _release_commitment(agreed, by=by, note="Claim approved")
        ledger.post(
            agreed=agreed,
            kind=LedgerKind.SPEND,
            amount=amount,
            is_override=over,
            note=override_reason if over else "",
            created_by=by,
        )
        return move(
            agreed, AgreedStatus.PAID, by=by, action="agreed_package.paid", reason=override_reason
        )


def allowance_summary(organisation, on: date | None = None) -> AllowanceSummary:
    """Used this year, used in the period, the earliest date another may be agreed,
    and whether the organisation is eligible: "available now" only when both allow."""
    on = on or timezone.localdate()
    summary = summarise(counting_dates(organisation), on, cap_policies())
    return replace(summary, eligibility=eligibility_on(organisation, on))

"""Invariants of single entries, packages, claims and grant awards (L1, P1-P6, C1-C3, A1).

Each check is one query returning only what breaks it; see `reports.invariants`.
"""

from collections import defaultdict

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from allowances.models import (
    AgreedPackage,
    AgreedStatus,
    LedgerEntry,
    StrandAward,
)
from delivery.models import Claim, ClaimStatus
from packages.money import format_money

from .invariant_rules import (
    AWARD_KEPT,
    CLAIM_HAS_ONE_SPEND,
    CLAIMED_HAS_WAITING_CLAIM,
    COMMITMENT,
    ENTRY_ON_PACKAGE_STRAND,
    MONEY,
    PACKAGE_RULES,
    RELEASE,
    SPEND,
    SPEND_HAS_CLAIM,
    ZERO,
    Finding,
    kind_count,
    kind_sum,
)

# ----------------------------------------------------------- ledger and packages


def entry_strand_findings() -> list[Finding]:
    """L1: one query."""
    rows = (
        LedgerEntry.objects.filter(agreed_package__isnull=False)
        .exclude(
            strand_id=F("agreed_package__strand_id"),
            organisation_id=F("agreed_package__organisation_id"),
        )
        .order_by("pk")
        .values(
            "pk",
            "kind",
            "amount",
            "strand_id",
            "organisation_id",
            "agreed_package_id",
            "agreed_package__strand_id",
            "agreed_package__organisation_id",
        )
    )
    return [
        Finding(
            ENTRY_ON_PACKAGE_STRAND,
            "ledger entry",
            row["pk"],
            f"{row['kind']} of {format_money(row['amount'])} is on strand {row['strand_id']} "
            f"for organisation {row['organisation_id']}, but agreed package "
            f"{row['agreed_package_id']} draws on strand {row['agreed_package__strand_id']} "
            f"for organisation {row['agreed_package__organisation_id']}",
        )
        for row in rows
    ]


def _package_figures():
    """Every package with its ledger figures, one grouped query (filtered by the caller)."""
    return AgreedPackage.objects.order_by().annotate(
        n_commitments=kind_count(COMMITMENT),
        committed=kind_sum(COMMITMENT),
        n_commitment_overrides=kind_count(COMMITMENT, is_override=True),
        n_releases=kind_count(RELEASE),
        released=kind_sum(RELEASE),
        n_spends=kind_count(SPEND),
        spent=kind_sum(SPEND),
        n_spend_overrides=kind_count(SPEND, is_override=True),
    )


def package_findings() -> list[Finding]:
    """P1–P6: one query for the packages that break any rule, one for their entries."""
    flags = {f"breaks_{rule.code}": condition for rule, condition in PACKAGE_RULES.items()}
    broken = Q()
    for condition in PACKAGE_RULES.values():
        broken |= condition
    rows = list(
        _package_figures()
        .filter(broken)
        .annotate(**{name: _flag(condition) for name, condition in flags.items()})
        .order_by("pk")
        .values(
            "pk", "status", "value", "budget_override", "committed", "released", "spent", *flags
        )
    )
    entries = _entries_of([row["pk"] for row in rows])
    found = []
    for rule in PACKAGE_RULES:
        for row in rows:
            if row[f"breaks_{rule.code}"]:
                found.append(
                    Finding(rule, "agreed package", row["pk"], _package_detail(row, entries))
                )
    return found


def _flag(condition: Q):
    return ExpressionWrapper(condition, output_field=BooleanField())


def _entries_of(package_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        LedgerEntry.objects.filter(agreed_package_id__in=package_ids)
        .order_by("agreed_package_id", "created_at", "pk")
        .values_list("agreed_package_id", "pk", "kind", "amount", "is_override")
    )
    for package, pk, kind, amount, override in rows:
        out[package].append(
            f"{pk} {kind} {format_money(amount)}{' (override)' if override else ''}"
        )
    return out


def _package_detail(row: dict, entries: dict[int, list[str]]) -> str:
    listed = "; ".join(entries.get(row["pk"], [])) or "none"
    override = ", budget override" if row["budget_override"] else ""
    return (
        f"{row['status']}, value {format_money(row['value'])}{override}: committed "
        f"{format_money(row['committed'])}, released {format_money(row['released'])}, spent "
        f"{format_money(row['spent'])}; ledger entries: {listed}"
    )


# ----------------------------------------------------------------- claims


def claim_findings() -> list[Finding]:
    """C1: every approved claim against its package's spend entries, one query."""
    # Join only the package's spend entries (the join's ON clause), not all its rows.
    rows = (
        Claim.objects.filter(status=ClaimStatus.APPROVED)
        .alias(
            spend=FilteredRelation(
                "agreed_package__ledger", condition=Q(agreed_package__ledger__kind=SPEND)
            )
        )
        .annotate(
            n_spends=Count("spend"),
            n_matching=Count(
                "spend",
                filter=Q(spend__amount=F("amount_paid"))
                & Q(spend__strand_id=F("agreed_package__strand_id")),
            ),
            spent=Coalesce(Sum("spend__amount"), Value(ZERO), output_field=MONEY),
        )
        .filter(~Q(n_spends=1) | ~Q(n_matching=1) | ~Q(agreed_package__status=AgreedStatus.PAID))
        .order_by("pk")
        .values_list("pk", "agreed_package_id", "agreed_package__status", "amount_paid",
                     "n_spends", "n_matching", "spent")
    )  # fmt: skip
    return [Finding(CLAIM_HAS_ONE_SPEND, "claim", row[0], _claim_detail(*row[1:])) for row in rows]


def _claim_detail(package, status, paid, n_spends, n_matching, spent) -> str:
    problems = [] if status == AgreedStatus.PAID else [f"the package is {status}, not paid"]
    if n_spends != 1:
        problems.append(f"it has {n_spends} spend entries totalling {format_money(spent)}")
    elif n_matching != 1:
        problems.append(
            f"its one spend entry, of {format_money(spent)}, is not of the amount paid on the "
            "package's strand"
        )
    return f"approved for {format_money(paid)} on agreed package {package}: " + "; ".join(problems)


def spend_findings() -> list[Finding]:
    """C2: spend entries with no approved claim on their package, one query."""
    approved = Claim.objects.filter(
        agreed_package_id=OuterRef("agreed_package_id"), status=ClaimStatus.APPROVED
    )
    rows = (
        LedgerEntry.objects.filter(kind=SPEND, agreed_package__isnull=False)
        .filter(~Exists(approved))
        .order_by("pk")
        .values_list("pk", "amount", "agreed_package_id", "agreed_package__status", "strand_id")
    )
    return [
        Finding(
            SPEND_HAS_CLAIM,
            "ledger entry",
            pk,
            f"spend of {format_money(amount)} on agreed package {package} ({status}), strand "
            f"{strand}: the package has no approved claim",
        )
        for pk, amount, package, status, strand in rows
    ]


def claimed_findings() -> list[Finding]:
    """C3: two queries, each way round."""
    claimed = (
        AgreedPackage.objects.filter(status=AgreedStatus.CLAIMED)
        .annotate(n_waiting=Count("claims", filter=Q(claims__status=ClaimStatus.SUBMITTED)))
        .exclude(n_waiting=1)
        .order_by("pk")
        .values_list("pk", "n_waiting")
    )
    stray = (
        Claim.objects.filter(status=ClaimStatus.SUBMITTED)
        .exclude(agreed_package__status=AgreedStatus.CLAIMED)
        .order_by("pk")
        .values_list("pk", "agreed_package_id", "agreed_package__status")
    )
    return [
        Finding(
            CLAIMED_HAS_WAITING_CLAIM,
            "agreed package",
            pk,
            f"payment claimed, with {n} claims waiting for approval",
        )
        for pk, n in claimed
    ] + [
        Finding(
            CLAIMED_HAS_WAITING_CLAIM,
            "claim",
            pk,
            f"waiting for approval, but agreed package {package} is {status}",
        )
        for pk, package, status in stray
    ]


# ----------------------------------------------------------- grant awards


def award_findings() -> list[Finding]:
    """A1: one grouped query for the awards that break it."""
    rows = (
        StrandAward.objects.order_by()
        .annotate(
            n_commitments=kind_count(COMMITMENT),
            committed=kind_sum(COMMITMENT),
            released=kind_sum(RELEASE),
            spent=kind_sum(SPEND),
            off_strand=Count(
                "ledger",
                filter=~Q(ledger__strand_id=F("strand_id"))
                | Q(organisation__isnull=False)
                & (
                    ~Q(ledger__organisation_id=F("organisation_id"))
                    | Q(ledger__organisation__isnull=True)
                )
                # An award that pays a named payee: its entries name no organisation.
                | Q(organisation__isnull=True, ledger__organisation__isnull=False),
            ),
        )
        .filter(
            ~Q(n_commitments=1)
            | ~Q(committed=F("amount"))
            | Q(off_strand__gt=0)
            # Each instalment is released from the commitment and spent (award_services), so
            # neither releases nor spends pass the commitment, and no spend goes unreleased.
            | Q(released__gt=F("committed"))
            | Q(spent__gt=F("released"))
        )
        .order_by("pk")
        .values_list("pk", "reference", "amount", "n_commitments", "committed", "released", "spent")
    )
    return [
        Finding(
            AWARD_KEPT,
            "grant award",
            pk,
            f"{reference} of {format_money(amount)}: {n} commitment(s) of "
            f"{format_money(committed)}, {format_money(released)} released and "
            f"{format_money(spent)} paid",
        )
        for pk, reference, amount, n, committed, released, spent in rows
    ]

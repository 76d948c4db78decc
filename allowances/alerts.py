"""Budget threshold alerts: managers hear once when a strand passes 75%, 90% and 100%.

"Used" is committed + spent, from each strand's running totals (selectors.strands_with_figures),
which `ledger.post` keeps with every ledger entry.
Each manager's email carries an idempotency key per strand and threshold, which
the outbox makes unique in the database: the hourly job can run twice, or on two
workers at once, and each manager still gets each alert once. A strand belongs
to one budget year, so "per strand" is also "per year".
"""

from django.urls import reverse
from django.utils import timezone

from notifications.services import absolute_url, queue_for_each
from organisations.models import User
from packages.money import format_money

from .models import BudgetStrand
from .rules import financial_year_of, highest_threshold_reached, percent_used
from .selectors import strands_with_figures


def queue_for_managers(*, template: str, context: dict, kind: str, key: str, attachments=None):
    """One email per manager; each key gets the manager's id, so each hears once."""
    queue_for_each(
        User.objects.managers(),
        template=template,
        context=context,
        kind=kind,
        key=key,
        attachments=attachments,
    )


def strand_ids_to_check(today=None) -> list[int]:
    """Strands of this financial year and any later one already budgeted."""
    year = financial_year_of(today or timezone.localdate())
    return list(
        BudgetStrand.objects.filter(budget_year__start_year__gte=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def alert_if_past_threshold(strand_id: int) -> int | None:
    """Queue the alert for the highest threshold the strand has reached; return it.

    Only the highest: a strand that leaps from 70% to 95% in an hour tells
    managers about 90%, not 75% and 90% at once. Returns None below 75%.
    """
    strand = (
        strands_with_figures(BudgetStrand.objects.select_related("budget_year"))
        .filter(pk=strand_id)
        .first()
    )
    if strand is None:
        return None
    used = strand.committed + strand.spent
    threshold = highest_threshold_reached(amount=strand.amount, used=used)
    if threshold is None:
        return None
    context = {
        "strand": strand,
        "strand_name": strand.get_kind_display(),
        "year_label": strand.budget_year.label,
        "threshold": threshold,
        "percent": percent_used(amount=strand.amount, used=used),
        "amount": format_money(strand.amount),
        "committed": format_money(strand.committed),
        "spent": format_money(strand.spent),
        "available": format_money(strand.available),
        "link": absolute_url(reverse("allowances:strand_ledger", args=[strand.pk])),
    }
    queue_for_managers(
        template="budget_threshold",
        context=context,
        kind="allowances:budget_threshold",
        key=f"budget-alert:{strand.pk}:{threshold}",
    )
    return threshold

"""Section C's equality monitoring figures (issue 14): for each optional equality question,
how many volunteers gave each answer, "Prefer not to say" among them, and how many did not
answer (no consent, so no answers kept, or the question left blank).

Two groups of volunteers, as the volunteering figures count them: those who signed up in
the period (every volunteer when there is no period) and those active in the last 12
months. One query, whatever the number of volunteers: the volunteers joined to their
answers (one row each at most), counted in each group for each combination of answers.

The answers are never shown one volunteer at a time; `table` hides the counts that could
identify someone (reports.small_numbers).
"""

from django.db.models import Count, Q
from django.utils import timezone

from volunteering import volunteer_rules as vr
from volunteering.models import Volunteer

from .small_numbers import FEWER_THAN_5, WITHHELD, protected, small_number
from .volunteering_figures import ACTIVE_WITHIN, Period

NOT_ANSWERED = "Not answered"
GROUPS = {
    "signed_up": "Signed up in the period",
    "active": "Active in the last 12 months",
}


def equality_counts(period: Period) -> dict:
    """{group: {"total": n, field: [n for each answer, then not answered]}}: one query,
    grouped by the three answers together (a few hundred rows at most, however many
    volunteers); no answers kept, a blank one or one no longer asked is "not answered"."""
    fields = [f"equality__{field}" for field, _label, _answers in vr.EQUALITY_QUESTIONS]
    rows = (
        Volunteer.objects.values(*fields)
        .annotate(
            signed_up=Count("id", filter=period.at("created_at")),
            active=Count("id", filter=Q(last_active_at__gte=timezone.now() - ACTIVE_WITHIN)),
        )
        .order_by()
    )
    counts = {
        group: {
            "total": 0,
            **{field: [0] * (len(answers) + 1) for field, _label, answers in vr.EQUALITY_QUESTIONS},
        }
        for group in GROUPS
    }
    for row in rows:
        for group, figures in counts.items():
            figures["total"] += row[group]
            for field, _label, answers in vr.EQUALITY_QUESTIONS:
                given = row[f"equality__{field}"]
                at = answers.index(given) if given in answers else len(answers)
                figures[field][at] += row[group]
    return counts


def table(counts: dict, fewer: str = FEWER_THAN_5, withheld: str = WITHHELD) -> dict:
    """What may be shown: each group's total (1 to 4 as `fewer`), and for each question its
    answers, each with a count per group that no one can be identified from."""
    shown = {
        group: {
            field: protected(counts[group][field], fewer, withheld)
            for field, _label, _answers in vr.EQUALITY_QUESTIONS
        }
        for group in GROUPS
    }
    return {
        "totals": {group: small_number(counts[group]["total"], fewer) for group in GROUPS},
        "questions": [
            {
                "field": field,
                "label": label,
                "rows": [
                    {"answer": answer, **{group: shown[group][field][n] for group in GROUPS}}
                    for n, answer in enumerate([*answers, NOT_ANSWERED])
                ],
            }
            for field, label, answers in vr.EQUALITY_QUESTIONS
        ],
    }

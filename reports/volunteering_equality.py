"""Section C's equality monitoring figures (issue 14): for each optional equality question,
how many volunteers gave each answer, "Prefer not to say" among them, and how many did not
answer (no consent, so no answers kept, or the question left blank).

Two groups of volunteers, as the volunteering figures count them: those who signed up in
the period (every volunteer when there is no period) and those active in the last 12
months. One query, whatever the number of volunteers: a count for each answer in each
group, over the volunteers joined to their answers (one row each at most).

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
    """{group: {"total": n, field: [n for each answer, then not answered]}}: one query."""
    within = {
        "signed_up": period.at("created_at"),
        "active": Q(last_active_at__gte=timezone.now() - ACTIVE_WITHIN),
    }
    aggregates, names = {}, {}
    for group, where in within.items():
        aggregates[f"{group}_total"] = Count("id", filter=where)
        for field, _label, answers in vr.EQUALITY_QUESTIONS:
            for n, answer in enumerate(answers):
                name = f"{group}_{field}_{n}"
                names[group, field, n] = name
                aggregates[name] = Count("id", filter=where & Q(**{f"equality__{field}": answer}))
    row = Volunteer.objects.aggregate(**aggregates)
    counts = {}
    for group in within:
        total = row[f"{group}_total"]
        counts[group] = {"total": total}
        for field, _label, answers in vr.EQUALITY_QUESTIONS:
            given = [row[names[group, field, n]] for n in range(len(answers))]
            counts[group][field] = [*given, total - sum(given)]
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

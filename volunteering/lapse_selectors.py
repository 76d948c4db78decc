"""Reads about closing dates for the organisation's pages."""

from django.core.paginator import Page

from .lapse_rules import closes_in


def mark_closing_soon(page: Page, today) -> None:
    """Give each opportunity on the page `.closes_in` (days, or None), for the "Closes in N
    days" tag. No query: it reads the page's rows, which the template then reuses."""
    for opportunity in page:
        opportunity.closes_in = closes_in(
            status=opportunity.status, ends_on=opportunity.ends_on, today=today
        )

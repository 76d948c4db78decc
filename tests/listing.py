"""Long lists stay the same size: the same queries and about the same HTML at 1 row and 200.

A list page shows at most one page of rows, so once it has a full page, more
rows change only the numbers ("Page 1 of 4", "200 found") and add the
pagination links. `assert_bounded_list` measures the page at 1 row, at a full
page and at `large` rows: the queries must be the same at all three, and the
HTML at `large` rows within `slack` bytes of the full page's.
"""

from .conftest import count_queries

# The pagination links, a longer count, row names a digit longer: well under
# one row of any list's table (a row is 300 bytes or more).
SLACK = 1200


def assert_bounded_list(make_rows, fetch, *, page_size, large=200, slack=SLACK):
    """`make_rows(n)` adds n rows; `fetch()` returns the response. Returns the query count."""
    assert large > page_size, "the large list must be longer than a page"
    make_rows(1)
    fetch()  # warm per-process caches (content types, sessions) out of the count
    with count_queries() as at_one:
        one = fetch()
    make_rows(page_size - 1)
    with count_queries() as at_full:
        full = fetch()
    make_rows(large - page_size)
    with count_queries() as at_large:
        many = fetch()
    for response in (one, full, many):
        assert response.status_code == 200
    counts = [len(at_one), len(at_full), len(at_large)]
    assert len(set(counts)) == 1, (
        f"queries at 1, {page_size} and {large} rows: {counts}\n"
        + "\n".join(q["sql"] for q in at_large.captured_queries)
    )
    grown = len(many.content) - len(full.content)
    assert abs(grown) <= slack, (
        f"the page is {len(full.content)} bytes with {page_size} rows and "
        f"{len(many.content)} with {large}: it should show one page of rows"
    )
    assert len(one.content) < len(full.content)  # the rows are on the page at all
    return counts[0]

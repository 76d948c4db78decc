"""The equality monitoring figures: each answer counted over the volunteers who signed up in
the period and those active in the last 12 months, "not answered" for those without
consent or who left a question blank, small numbers hidden on the page and in the
downloads, in a fixed number of queries."""

import csv
import io
from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.small_numbers import FEWER_THAN_5, WITHHELD
from reports.volunteering_equality import equality_counts, table
from reports.volunteering_figures import Period
from tests.conftest import assert_constant_queries, client_for
from tests.factories import UserFactory
from volunteering.models import EqualityMonitoring, Volunteer
from volunteering.volunteer_services import save_equality, save_profile

pytestmark = pytest.mark.django_db

URL = reverse("reports:volunteering_equality")
F, W = FEWER_THAN_5, WITHHELD
numbers = count(1)


def volunteers(how_many: int, *answers: str) -> list[Volunteer]:
    """`how_many` volunteers, each answering (gender, ethnic group, disabled) with consent,
    or without consent (no answers kept) when no answers are given."""
    made = []
    for _ in range(how_many):
        n = next(numbers)
        user = UserFactory(email=f"equality{n}@example.org")
        volunteer = save_profile(
            user=user,
            name=f"Volunteer {n}",
            fields={"postcode_district": "LE3", "age_band": "25-34", "contact_by": "email"},
            themes=[],
        )
        if answers:
            gender, ethnic_group, disabled = answers
            save_equality(
                volunteer=volunteer,
                by=user,
                consent=True,
                answers={"gender": gender, "ethnic_group": ethnic_group, "disabled": disabled},
            )
        else:
            save_equality(volunteer=volunteer, by=user, consent=False, answers={})
        made.append(volunteer)
    return made


@pytest.fixture
def answered(db):
    """17 volunteers: 8 women (White, not disabled), 6 men (Asian or Asian British,
    disabled), 1 non-binary (no ethnic group given, preferred not to say if disabled), and
    2 who gave no consent."""
    return {
        "women": volunteers(8, "Woman", "White", "No"),
        "men": volunteers(6, "Man", "Asian or Asian British", "Yes"),
        "non_binary": volunteers(1, "Non-binary", "", "Prefer not to say"),
        "no_consent": volunteers(2),
    }


def test_each_answer_is_counted_with_those_not_answered(answered):
    counts = equality_counts(Period())
    for group in ("signed_up", "active"):
        assert counts[group]["total"] == 17
        # Woman, Man, Non-binary, In another way, Prefer not to say, not answered
        assert counts[group]["gender"] == [8, 6, 1, 0, 0, 2]
        # Asian, Black, Mixed, White, Another, Prefer not to say, not answered
        assert counts[group]["ethnic_group"] == [6, 0, 0, 8, 0, 0, 3]
        # Yes, No, Prefer not to say, not answered
        assert counts[group]["disabled"] == [6, 8, 1, 2]


def test_an_answer_no_longer_asked_counts_as_not_answered(answered):
    EqualityMonitoring.objects.filter(volunteer=answered["women"][0]).update(gender="Female")
    assert equality_counts(Period())["signed_up"]["gender"] == [7, 6, 1, 0, 0, 3]


def test_the_period_narrows_who_signed_up_and_active_is_the_last_12_months(answered):
    long_ago = timezone.now() - timedelta(days=400)
    men = [v.pk for v in answered["men"]]
    Volunteer.objects.filter(pk__in=men).update(created_at=long_ago)
    Volunteer.objects.filter(pk__in=men[:2]).update(last_active_at=long_ago)
    counts = equality_counts(Period(starts=timezone.localdate() - timedelta(days=30)))
    assert counts["signed_up"]["total"] == 11
    assert counts["signed_up"]["gender"] == [8, 0, 1, 0, 0, 2]
    assert counts["active"]["total"] == 15
    assert counts["active"]["gender"] == [8, 4, 1, 0, 0, 2]


def test_what_is_shown_hides_small_numbers_and_what_would_give_them_away(answered):
    shown = table(equality_counts(Period()))
    assert shown["totals"] == {"signed_up": 17, "active": 17}
    gender, ethnic_group, disabled = shown["questions"]
    assert [(r["answer"], r["signed_up"]) for r in gender["rows"]] == [
        ("Woman", 8),
        ("Man", W),
        ("Non-binary", F),
        ("In another way", 0),
        ("Prefer not to say", 0),
        ("Not answered", F),
    ]
    assert [r["signed_up"] for r in ethnic_group["rows"]] == [W, 0, 0, 8, 0, 0, F]
    assert [r["active"] for r in disabled["rows"]] == [W, 8, F, F]


def test_a_group_of_fewer_than_5_shows_no_answers(db):
    volunteers(3, "Woman", "White", "No")
    shown = table(equality_counts(Period()))
    assert shown["totals"] == {"signed_up": F, "active": F}
    for question in shown["questions"]:
        assert {row["signed_up"] for row in question["rows"]} == {F}


def test_the_page_shows_the_questions_and_the_rule(answered, world):
    page = client_for(world.manager).get(URL).content.decode()
    assert "Considers themselves disabled" in page
    assert "Non-binary" in page
    assert "fewer than 5" in page
    assert "withheld" in page
    assert "Not answered" in page


def test_the_volunteering_figures_link_to_it(world):
    page = client_for(world.manager).get(reverse("reports:volunteering")).content.decode()
    assert URL in page


def test_the_downloads_say_less_than_5(answered, world):
    client = client_for(world.manager)
    response = client.get(URL, {"download": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "Question",
        "Answer",
        "Signed up in the period",
        "Active in the last 12 months",
    ]
    assert rows[1:7] == [
        ["Gender", "Woman", "8", "8"],
        ["Gender", "Man", "withheld", "withheld"],
        ["Gender", "Non-binary", "<5", "<5"],
        ["Gender", "In another way", "0", "0"],
        ["Gender", "Prefer not to say", "0", "0"],
        ["Gender", "Not answered", "<5", "<5"],
    ]
    assert len(rows) == 1 + 6 + 7 + 4
    xlsx = client.get(URL, {"download": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[4]] == ["Gender", "Non-binary", "<5", "<5"]


def test_a_bad_period_says_what_is_wrong_and_keeps_what_was_typed(world):
    response = client_for(world.manager).get(
        URL, {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end of the period must be on or after its start" in page
    assert 'value="2026-05-02"' in page


def test_the_page_takes_the_same_queries_however_many_volunteers(world):
    client = client_for(world.manager)

    def more(n):
        volunteers(n // 2, "Woman", "White", "No")
        volunteers(n - n // 2)

    assert_constant_queries(more, lambda: client.get(URL), small=1, large=12)

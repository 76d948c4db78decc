"""Section C's figures: each worked out from a small set of rows made through the
services, narrowed by period, theme and district, downloaded, and in a fixed number of
queries; the value of an hour set by managers with its source."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from reports.volunteering_figures import REMOTE, Period, breakdown, summary
from tests.conftest import assert_constant_queries, client_for
from tests.factories import UserFactory
from tests.volunteering import matrix
from volunteering.models import Interest, Opportunity, VolunteerHourValue
from volunteering.services import VolunteeringError, set_hour_value
from volunteering.volunteer_services import (
    answer_hours,
    answer_interest,
    express_interest,
    log_hours,
    save_profile,
)

pytestmark = pytest.mark.django_db

URL = reverse("reports:volunteering")


def a_volunteer(n: int):
    user = UserFactory(email=f"volunteer{n}@example.org")
    return user, save_profile(
        user=user,
        name=f"Volunteer {n}",
        fields={"postcode_district": "LE3", "age_band": "25-34", "contact_by": "email"},
        themes=[],
    )


@pytest.fixture
def placed(world):
    """Organisation A's placement (org B's admin placed) with 2.5 hours confirmed, an
    unanswered interest from a second volunteer, and £12.50 an hour set."""
    interest = matrix.placed(world)
    entry = log_hours(
        placement=interest.placement, by=world.org_a_admin, on=timezone.localdate(), hours="2.5"
    )
    answer_hours(entry=entry, by=world.org_b_admin, confirm=True)
    user, other = a_volunteer(1)
    express_interest(volunteer=other, by=user, opportunity=interest.opportunity, message="")
    set_hour_value(by=world.manager, value=Decimal("12.50"), source="A study of 2026")
    return interest


def test_the_summary_counts_each_figure(placed):
    today = timezone.localdate()
    figures = summary(Period(), today)
    assert figures["volunteers"] == {"registered": 2, "joined": 2, "active": 2}
    assert figures["opportunities"]["published"] == 1
    assert figures["opportunities"]["open_now"] == 1
    assert figures["interest"]["sent"] == 2
    assert figures["interest"]["accepted"] == 1
    assert figures["interest"]["unanswered"] == 1
    assert figures["interest"]["conversion"] == Decimal("50.0")
    assert figures["interest"]["days_to_answer"] == Decimal("0.0")
    assert figures["placements"] == {"started": 1, "active": 1}
    assert figures["hours"]["confirmed"] == Decimal("2.5")
    assert figures["worth"] == Decimal("31.25")
    assert figures["hour_value"].source == "A study of 2026"


def test_the_time_to_a_first_answer_is_the_average_in_days(placed):
    Interest.objects.filter(pk=placed.pk).update(created_at=placed.answered_at - timedelta(days=3))
    assert summary(Period(), timezone.localdate())["interest"]["days_to_answer"] == Decimal("3.0")


def test_a_period_before_anything_happened_counts_nothing_in_it(placed):
    long_ago = timezone.localdate() - timedelta(days=400)
    figures = summary(Period(starts=long_ago, ends=long_ago), timezone.localdate())
    assert figures["volunteers"]["registered"] == 2  # "now" figures ignore the period
    assert figures["volunteers"]["joined"] == 0
    assert figures["interest"]["sent"] == 0
    assert figures["hours"]["confirmed"] == 0
    assert breakdown(Period(starts=long_ago, ends=long_ago), "theme") == []


def test_the_breakdown_by_district_and_by_theme(placed, world):
    opportunity = placed.opportunity
    [row] = breakdown(Period(), "district")
    assert row == {
        "label": opportunity.postcode_district,
        "sent": 2,
        "accepted": 1,
        "placements": 1,
        "hours": Decimal("2.5"),
    }
    [row] = breakdown(Period(), "theme")
    assert row["label"] == opportunity.theme.name
    Opportunity.objects.filter(pk=opportunity.pk).update(remote=True)
    assert [r["label"] for r in breakdown(Period(district=REMOTE), "district")] == [REMOTE]
    assert breakdown(Period(district="LE99"), "district") == []


def test_the_page_shows_the_figures_the_value_and_its_source(placed, world):
    page = client_for(world.manager).get(URL).content.decode()
    assert "£31.25" in page
    assert "A study of 2026" in page
    assert "50.0% of interest sent" in page


def test_a_bad_filter_says_what_is_wrong_and_keeps_what_was_typed(placed, world):
    response = client_for(world.manager).get(
        URL, {"district": "Narnia", "date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a postcode district like LE2, or Remote" in page
    assert "The end of the period must be on or after its start" in page
    assert 'value="Narnia"' in page


def test_the_downloads_have_a_row_each(placed, world):
    client = client_for(world.manager)
    response = client.get(URL, {"by": "district", "download": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "Postcode district",
        "Interest sent",
        "Accepted",
        "Placements started",
        "Confirmed hours",
        "Value of the hours (£)",
    ]
    assert rows[1] == [placed.opportunity.postcode_district, "2", "1", "1", "2.50", "31.25"]
    xlsx = client.get(URL, {"download": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_page_takes_the_same_queries_however_much_volunteering(placed, world):
    client = client_for(world.manager)
    made = iter(range(2, 1000))

    def more(n):
        for _ in range(n):
            user, volunteer = a_volunteer(next(made))
            interest = express_interest(
                volunteer=volunteer, by=user, opportunity=placed.opportunity, message=""
            )
            answer_interest(interest=interest, by=world.org_a_admin, to="accepted")

    assert_constant_queries(more, lambda: client.get(URL), small=1, large=8)


def test_a_manager_sets_the_value_of_an_hour_and_it_is_audited(world):
    client = client_for(world.manager)
    response = client.post(
        reverse("reports:hour_value"), {"value": "11.44", "source": "National Living Wage"}
    )
    assert response.url == URL
    value = VolunteerHourValue.objects.get()
    assert (value.value, value.source, value.set_by) == (
        Decimal("11.44"),
        "National Living Wage",
        world.manager,
    )
    assert AuditEvent.objects.filter(action="volunteer_hour_value.set").count() == 1


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("", "Enter the value of an hour, like 12.50"),
        ("twelve", "Enter the value of an hour as an amount of money, like 12.50"),
        ("0", "Enter the value of an hour, more than £0, like 12.50"),
        ("5000", "The value of an hour must be £1,000 or less"),
    ],
)
def test_a_bad_value_is_refused_with_what_was_typed_kept(world, value, says):
    response = client_for(world.manager).post(
        reverse("reports:hour_value"), {"value": value, "source": "My source"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert says in page
    assert 'value="My source"' in page
    assert not VolunteerHourValue.objects.exists()


def test_only_a_manager_sets_the_value(world):
    with pytest.raises(VolunteeringError):
        set_hour_value(by=world.officer, value=Decimal(10), source="x")
    assert not VolunteerHourValue.objects.exists()


def test_the_page_shows_this_years_volunteering_strand_and_the_other_reports(world):
    from tests.factories import BudgetYearFactory

    page = client_for(world.manager).get(URL).content.decode()
    assert "The volunteering support strand" not in page  # no budget year yet
    BudgetYearFactory(strands={"volunteering": Decimal("50000.00")})
    page = client_for(world.manager).get(URL).content.decode()
    assert "The volunteering support strand" in page
    assert "£50,000.00" in page
    assert reverse("reports:volunteering_events") in page
    assert reverse("reports:volunteering_advice") in page

"""The round report: its pure sections (no database), the report read from a real round,
its page and CSV, who may see them, and a constant number of queries at two sizes."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import assessment_services as assessing
from grants import round_report as report
from grants.application_services import withdraw_application
from grants.rules import CityPopulation

from ..conftest import client_for
from ..factories import MembershipFactory, StaffFactory
from .assessing import (
    another_admin,
    closed_round,
    declared,
    marks,
    must_haves,
    on_panel,
    scored,
    send,
    sent_marks,
)
from .assessing import moderated as moderate_all
from .factories import close, open_round, start

CITY = CityPopulation(329_839, "the 2011 census", Decimal("1"))
IN_AREA = {"LE1": True}


def app(
    pk, community="Sikh community", status="submitted", sent=True, postcode="LE1 1AA", size=5000
):
    return report.AppRow(pk, f"VCS-GRA-{pk:06d}", community, status, sent, postcode, size)


AREA = report.CriterionRow(1, "Based in the city", "must_have", "based_in_area")
SIZE = report.CriterionRow(2, "More than 1% of the city", "must_have", "community_size")
COMPACT = report.CriterionRow(3, "Signed up to the Compact", "must_have", "")
REACH = report.CriterionRow(4, "Reach into the community", "scored", "")
VOICE = report.CriterionRow(5, "Feeding back", "scored", "")
CRITERIA = [AREA, SIZE, COMPACT, REACH, VOICE]


# --------------------------------------------------------------- pure sections


def test_applications_are_counted_per_community_with_drafts_apart():
    rows = [
        app(1),
        app(2),
        app(3, status="withdrawn"),  # sent, then withdrawn
        app(4, status="draft", sent=False),
        app(5, status="withdrawn", sent=False),  # a draft given up: not an application
        app(6, community=report.PROPOSED),
    ]
    counts = report.community_counts(["Sikh community", "Jewish community"], rows)
    assert counts == [
        report.CommunityCount("Sikh community", 2, 1, 2),
        report.CommunityCount("Jewish community", 0, 0, 0),
        report.CommunityCount(report.PROPOSED, 1, 0, 0),
    ]
    assert counts[0].received == 3


def test_must_have_failures_come_from_the_services_checks_and_the_panels_not_met():
    rows = [
        app(1),
        app(2, postcode="NG1 1AA"),  # sent, but the organisation has since moved out
        app(3, status="draft", sent=False, postcode="NG1 1AA", size=100),
        app(4, status="withdrawn", postcode="NG1 1AA"),  # withdrawn: not counted
        app(5),
    ]
    moderated = [(1, 3, 1), (5, 3, 0), (4, 3, 0), (1, 4, 0)]  # a 0 on a scored one is a score
    failures = report.must_have_failures(
        CRITERIA, rows, moderated, area_table=IN_AREA, area_name="Leicester", city=CITY
    )
    assert failures == [
        report.MustHaveFailure(AREA.title, "The service", ("VCS-GRA-000002",), ("VCS-GRA-000003",)),
        report.MustHaveFailure(SIZE.title, "The service", (), ("VCS-GRA-000003",)),
        report.MustHaveFailure(COMPACT.title, "The panel", ("VCS-GRA-000005",)),
    ]


def test_spreads_of_two_or_more_are_listed_by_application_then_criterion():
    rows = [app(1), app(2)]
    marks_given = [
        (2, 5, 0),
        (2, 5, 2),  # spread 2: listed
        (1, 4, 1),
        (1, 4, 2),
        (1, 4, 4),  # spread 3: listed
        (1, 5, 2),
        (1, 5, 3),  # spread 1: not
        (9, 4, 0),
        (9, 4, 4),  # not an application of this round
    ]
    spreads = report.score_spreads(CRITERIA, rows, marks_given)
    assert [(s.reference, s.criterion, s.marks, s.spread) for s in spreads] == [
        ("VCS-GRA-000001", REACH.title, (1, 2, 4), 3),
        ("VCS-GRA-000002", VOICE.title, (0, 2), 2),
    ]


def test_conflicts_are_counted_per_community_without_names():
    assert report.conflicts_per_community(["A", "B"], {"B": 2}) == [("A", 0), ("B", 2)]
    assert report.conflicts_per_community(["A"], {report.PROPOSED: 1}) == [
        ("A", 0),
        (report.PROPOSED, 1),
    ]


@pytest.mark.parametrize(
    "start, end, days",
    [
        (date(2026, 6, 12), date(2026, 6, 12), 0),  # decided the day it closed
        (date(2026, 6, 12), date(2026, 6, 15), 1),  # Friday to Monday
        (date(2026, 6, 12), date(2026, 6, 26), 10),
        (date(2025, 12, 19), date(2026, 1, 7), 10),  # Christmas and New Year skipped
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # Good Friday and Easter Monday skipped
    ],
)
def test_time_to_decision_counts_working_days(start, end, days):
    from notifications.calendar import BANK_HOLIDAYS

    assert report.working_days_between(start, end, BANK_HOLIDAYS) == days


def test_the_median_is_of_the_communities_decided():
    from notifications.calendar import BANK_HOLIDAYS

    closed = date(2026, 6, 12)
    times, median = report.decision_times(
        ["A", "B", "C", "D"],
        closed,
        {"A": date(2026, 6, 15), "B": date(2026, 6, 26), "C": date(2026, 6, 19)},
        BANK_HOLIDAYS,
    )
    assert [t.working_days for t in times] == [1, 10, 5, None]
    assert median == 5
    _, median = report.decision_times(
        ["A", "B"], closed, {"A": date(2026, 6, 15), "B": date(2026, 6, 16)}, BANK_HOLIDAYS
    )
    assert median == 1.5
    _, median = report.decision_times(["A"], closed, {}, BANK_HOLIDAYS)
    assert median is None


def test_the_csv_names_each_section_and_defuses_formulas():
    made = report.RoundReport(closed_on=date(2026, 6, 12))
    made.counts = [report.CommunityCount("=HYPERLINK(evil)", 1, 0, 2)]
    made.times = [report.DecisionTime("A", date(2026, 6, 15), 1)]
    made.median_working_days = 1
    rows = report.csv_rows(made)
    assert rows[0] == ["Applications", "'=HYPERLINK(evil)", "Sent", "1", ""]
    assert rows[-2] == ["Working days from closing to decision", "A", "2026-06-15", "1", ""]
    assert rows[-1] == ["Working days from closing to decision", "Median", "", "1", ""]


# --------------------------------------------------------------- a real round


@pytest.mark.django_db
def test_the_report_reads_a_round_through_every_section(world):
    grant_round = open_round(by=world.manager, communities=2)
    first, second = grant_round.round_communities.order_by(
        "community__characteristic", "community__name"
    )
    a = send(grant_round, world.org_a_admin, community=first)
    b = send(grant_round, another_admin(), community=first)
    away = MembershipFactory(organisation__postcode="NG1 1AA").user
    draft = start(grant_round, away, community=second)
    given_up = send(grant_round, another_admin(), community=second)
    withdraw_application(application=given_up, by=given_up.organisation.memberships.get().user)
    close(grant_round)
    officer = on_panel(grant_round, world)
    other = StaffFactory()
    on_panel(grant_round, world, other)
    reach = scored(grant_round)[0]
    sent_marks(a, officer, **{reach.title: 1})
    sent_marks(a, other, **{reach.title: 3})
    declared(b, other, conflict=True)
    sent_marks(b, officer)
    moderate_all(a, world.manager, score=4)
    must_have = must_haves(grant_round)[0]
    values = {pk: (mark, "Agreed.") for pk, (mark, _) in marks(grant_round).items()}
    values[must_have.pk] = ("0", "No evidence of it.")
    assessing.moderate(application=b, values=values, by=world.manager)
    assessing.offer_award(round_community=first, application=a, reasons="Best.", by=world.manager)

    made = report.read_round_report(grant_round)
    assert [(c.community, c.sent, c.withdrawn, c.not_sent) for c in made.counts] == [
        (first.community.name, 2, 0, 0),
        (second.community.name, 0, 1, 1),
    ]
    by_title = {f.criterion: f for f in made.failures}
    assert by_title[must_have.title].sent == (b.reference,)
    area = next(f for f in made.failures if f.checked_by == "The service" and f.not_sent)
    assert area.not_sent == (draft.reference,) and area.sent == ()
    assert [(s.reference, s.criterion, s.marks) for s in made.spreads] == [
        (a.reference, reach.title, (1, 3))
    ]
    assert made.conflicts == [(first.community.name, 1), (second.community.name, 0)]
    today = timezone.localdate()
    assert made.times[0].decided_on == today and made.times[0].working_days is not None
    assert made.times[1].decided_on is None and made.times[1].working_days is None
    assert made.median_working_days == made.times[0].working_days


# --------------------------------------------------------------- the page


def assessed_round(world, applications):
    """A closed round with `applications` sent, each scored by two assessors (spread on the
    first criterion), one conflict declared, everything moderated and the award offered."""
    grant_round, sent = closed_round(world, applications=applications)
    officer = on_panel(grant_round, world)
    other = StaffFactory()
    on_panel(grant_round, world, other)
    reach = scored(grant_round)[0]
    for application in sent:
        sent_marks(application, officer, **{reach.title: 4})
        if application is sent[-1] and len(sent) > 1:
            declared(application, other, conflict=True)
        else:
            sent_marks(application, other, **{reach.title: 1})
        moderate_all(application, world.manager, score=3)
    assessing.offer_award(
        round_community=sent[0].round_community,
        application=sent[0],
        reasons="Best.",
        by=world.manager,
    )
    return grant_round


# The session, the user and the second factor's record; the round with its strand; then
# the report's nine: the communities, the applications with their organisations and
# communities, the criteria, the postcode table, the moderated marks, the assessors'
# sent marks, the conflicts per community, the first decision per community, the days off.
REPORT_QUERIES = 13


@pytest.mark.django_db
@pytest.mark.parametrize("applications", [1, 12])
def test_the_page_reads_the_same_queries_with_one_application_or_many(
    world, applications, django_assert_num_queries
):
    grant_round = assessed_round(world, applications)
    client = client_for(world.manager)
    url = reverse("grants:round_report", args=[grant_round.pk])
    client.get(url)  # warm the per-process caches
    with django_assert_num_queries(REPORT_QUERIES):
        response = client.get(url)
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert "Applications per community" in page
    # One spread per application the second assessor scored (not the conflicted last one).
    spreads = applications if applications == 1 else applications - 1
    assert f"{spreads} criterion score{'s' if spreads > 1 else ''} where" in page
    assert "Median of the communities decided" in page
    with django_assert_num_queries(REPORT_QUERIES):
        client.get(reverse("grants:round_report_csv", args=[grant_round.pk]))


@pytest.mark.django_db
def test_the_csv_download_has_the_same_figures(world):
    grant_round = assessed_round(world, 2)
    response = client_for(world.manager).get(
        reverse("grants:round_report_csv", args=[grant_round.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(report.CSV_HEADER)
    assert ["Conflicts declared", rows[1][1], "Declarations", "1", ""] in rows
    assert any(r[0] == "Score spreads" and r[3] == "3" for r in rows)


@pytest.mark.django_db
def test_the_report_is_for_managers_and_linked_from_the_round(world):
    grant_round = assessed_round(world, 1)
    url = reverse("grants:round_report", args=[grant_round.pk])
    assert client_for(world.officer).get(url).status_code == 403
    for person in (world.org_a_admin, world.org_b_admin, world.provider_user):
        assert client_for(person).get(url).status_code == 404
    detail = client_for(world.manager).get(reverse("grants:round_detail", args=[grant_round.pk]))
    assert url in detail.content.decode()

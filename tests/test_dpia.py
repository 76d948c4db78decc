"""The DPIA for the community's voice states the figures the code uses, so the two cannot
drift: change one and this fails until the other is changed too."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from grants import rules, voice_rules
from grants.models import GrantRound

DPIA = Path(settings.BASE_DIR) / "docs" / "dpia-community-voices.md"


def key_figures() -> dict[str, str]:
    """The "Key figures" table, as {figure: value}."""
    section = DPIA.read_text().split("### Key figures", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", section, flags=re.MULTILINE)
    return {name: value for name, value in rows if name not in ("Figure",) and "---" not in name}


def default(field: str):
    return GrantRound._meta.get_field(field).default


@pytest.fixture(scope="module")
def figures():
    return key_figures()


def hours(value: str) -> timedelta:
    return timedelta(hours=int(re.fullmatch(r"(\d+) hours?", value).group(1)))


def test_the_table_is_there(figures):
    assert len(figures) == 13, figures


def test_the_link_and_the_windows(figures):
    assert hours(figures["Confirmation link valid for"]) == voice_rules.CONFIRM_WITHIN
    assert figures["Backing window (round default)"] == f"{default('backing_days')} days"
    least, most = rules.BACKING_DAYS
    assert figures["Backing window (allowed range)"] == f"{least} to {most} days"
    assert figures["Verdict asked (round default)"] == (
        f"{default('verdict_after_months')} months into each year of the grant"
    )
    assert Decimal(figures["Verdict review threshold (round default)"]) == default(
        "verdict_threshold"
    )


def test_the_comment_and_the_limits(figures):
    assert figures["Comment length"] == f"{voice_rules.COMMENT_WORDS} words"
    per_person = voice_rules.PERSON_WINDOW // timedelta(hours=1)
    assert figures["Responses per person, quietly refused beyond"] == (
        f"{voice_rules.PERSON_LIMIT} in {per_person} hours"
    )
    per_source = voice_rules.SOURCE_WINDOW // timedelta(hours=1)
    assert figures["Responses per network, refused beyond"] == (
        f"{voice_rules.SOURCE_LIMIT} in {per_source} hour"
    )
    burst = voice_rules.BURST_WINDOW // timedelta(hours=1)
    assert figures["Burst flag"] == f"{voice_rules.BURST} from one network in {burst} hour"
    assert figures["Domain flag"] == f"{voice_rules.DOMAIN_SHARE} addresses at one uncommon domain"
    assert figures["Assisted flag"] == (
        f"more than {voice_rules.ASSISTED_BURST} recorded by one officer in {burst} hour"
    )


@pytest.mark.django_db
def test_the_closing_job_runs_when_the_dpia_says(figures):
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.select_related("crontab").get(task="grants.tasks.run_consultations")
    assert (job.crontab.minute, job.crontab.hour) == ("5", "*")
    assert figures["Closing job"] == "every hour, at 5 past"
    assert figures["Kept after the grant period ends"] == (
        f"{voice_rules.KEPT_MONTHS_AFTER_GRANT} months"
    )


def test_the_text_says_the_same_as_the_table():
    text = DPIA.read_text()
    hours_valid = int(voice_rules.CONFIRM_WITHIN.total_seconds() // 3600)
    assert f"Link valid {hours_valid} hours" in text
    assert f"up to {voice_rules.COMMENT_WORDS} words" in text
    for basis in ("Article 6(1)(e)", "Article 9(2)(g)", "Schedule 1, Part 2, paragraph 6"):
        assert basis in text

"""The demo's concerns: one in each stage, made through the services, once."""

import pytest

from grants import demo_concerns
from grants.concern_selectors import concern_counts
from grants.models import Concern

from .concern_support import awarded

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_concern_closed_one_with_the_council_and_one_waiting(world):
    decision = awarded(world.manager, world.org_a_admin)
    line = demo_concerns.seed(decision, world.officer)
    concerns = Concern.objects.filter(representative=decision).order_by("pk")
    assert [c.status for c in concerns] == ["closed", "awaiting_review", "awaiting_response"]
    assert concerns[0].outcome == "advice" and concerns[0].response
    assert concerns[1].response and not concerns[2].response
    assert all(c.reference in line for c in concerns)
    counts = concern_counts(decision)
    assert (counts.open, counts.closed) == (2, 1)
    assert demo_concerns.seed(decision, world.officer) == "Concerns: already seeded"
    assert Concern.objects.filter(representative=decision).count() == 3

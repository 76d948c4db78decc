"""The bench's waiting work: what sits in a queue for someone, so every page has data.

Eligibility decisions for every organisation and applications waiting, repeat and
open diagnostics, providers' package applications and failed emails, inserted
in bulk by `manage.py seed_bench` after the agreed packages.
"""

import time
from datetime import timedelta

from django.utils import timezone

from diagnostics.models import (
    CriteriaVersion,
    Diagnostic,
    EligibilityApplication,
    EligibilityDecision,
    Questionnaire,
    Score,
    Statement,
)
from notifications.models import Notification
from providers.models import ApplicationStatus, PackageApplication

BATCH = 5000  # rows per INSERT, for every bulk insert of the bench
# Counts at --scale 1; each is multiplied by the scale.
REPEAT_DIAGNOSTICS = 500
WAITING_APPLICATIONS = 200
OPEN_DIAGNOSTICS = 200  # waiting for a session, booked, or in self-assessment
FAILED_EMAILS = 25


class WaitingWork:
    def __init__(self, *, rng, scale, officer, packages, started, stdout):
        self.rng, self.scale, self.officer, self.packages = rng, scale, officer, packages
        self.started, self.stdout = started, stdout

    def _say(self, what: str) -> None:
        self.stdout.write(f"  [{time.monotonic() - self.started:6.1f}s] {what}")

    def seed(self, orgs, providers) -> None:
        self._eligibility(orgs)
        self._diagnostics(orgs)
        self._provider_applications(providers)
        self._failed_emails()

    # --- the officers' other queues

    def _eligibility(self, orgs):
        """Every organisation eligible (the agree pages need it); some applying again."""
        now, today = timezone.now(), timezone.localdate()
        EligibilityDecision.objects.bulk_create(
            (
                EligibilityDecision(
                    organisation=o,
                    outcome=EligibilityDecision.Outcome.ELIGIBLE,
                    decided_by=self.officer,
                    decided_at=now - timedelta(days=700),
                    valid_from=today - timedelta(days=700),
                    valid_until=today + timedelta(days=395),
                    reasons="Bench",
                )
                for o in orgs
            ),
            batch_size=BATCH,
        )
        criteria = CriteriaVersion.objects.filter(published_at__isnull=False).first()
        waiting = EligibilityApplication.objects.bulk_create(
            (
                EligibilityApplication(
                    organisation=o,
                    criteria_version=criteria,
                    created_by=self.officer,
                    status=EligibilityApplication.Status.SUBMITTED,
                    submitted_at=now - timedelta(days=self.rng.randint(1, 30)),
                )
                for o in orgs[-WAITING_APPLICATIONS * self.scale :]
            ),
            batch_size=BATCH,
        )
        self._say(f"{len(orgs):,} eligibility decisions, {len(waiting):,} applications waiting")

    def _diagnostics(self, orgs):
        rng, now, n = self.rng, timezone.now(), self.scale
        questionnaire = Questionnaire.objects.filter(published_at__isnull=False).first()
        statements = list(Statement.objects.filter(theme__questionnaire=questionnaire))
        S = Diagnostic.Status
        completed = [
            Diagnostic(
                organisation=o,
                questionnaire=questionnaire,
                status=S.COMPLETED,
                started_by=self.officer,
                started_at=now - timedelta(days=400 - 300 * second),
                self_assessment_submitted_at=now - timedelta(days=399 - 300 * second),
                completed_at=now - timedelta(days=390 - 300 * second),
                session_held_on=(now - timedelta(days=390 - 300 * second)).date(),
                completed_by=self.officer,
            )
            for o in orgs[: REPEAT_DIAGNOSTICS * n]
            for second in (0, 1)
        ]
        # Open ones (one per organisation): 30% waiting for a session, 20% booked, 50% in
        # self-assessment; on organisations after those with completed ones.
        opened = orgs[REPEAT_DIAGNOSTICS * n : (REPEAT_DIAGNOSTICS + OPEN_DIAGNOSTICS) * n]
        open_ = []
        for i, o in enumerate(opened):
            share = i / len(opened)
            status = (
                S.AWAITING_SESSION
                if share < 0.3
                else S.SESSION_BOOKED
                if share < 0.5
                else S.SELF_ASSESSMENT
            )
            started = now - timedelta(days=rng.randint(5, 60))
            open_.append(
                Diagnostic(
                    organisation=o,
                    questionnaire=questionnaire,
                    status=status,
                    started_by=self.officer,
                    started_at=started,
                    self_assessment_submitted_at=(
                        None if status == S.SELF_ASSESSMENT else started + timedelta(days=2)
                    ),
                    session_date=(now + timedelta(days=rng.randint(1, 20))).date()
                    if status == S.SESSION_BOOKED
                    else None,
                    session_place="Bench Community Centre" if status == S.SESSION_BOOKED else "",
                    session_booked_by=self.officer if status == S.SESSION_BOOKED else None,
                )
            )
        diagnostics = Diagnostic.objects.bulk_create(completed + open_, batch_size=BATCH)
        Score.objects.bulk_create(
            (
                Score(diagnostic=d, statement=s, self_score=rng.randint(1, 4))
                for d in diagnostics
                if d.status != S.SELF_ASSESSMENT
                for s in statements
            ),
            batch_size=BATCH,
        )
        self._say(f"{len(completed):,} completed and {len(open_):,} open diagnostics, scored")

    def _provider_applications(self, providers):
        """Each provider approved for three packages; one in five waiting for assessment
        of a fourth."""
        now, packages = timezone.now(), self.packages
        approved_at = now - timedelta(days=300)
        rows = [
            PackageApplication(
                provider=p,
                package=packages[(i + k) % len(packages)],
                status=ApplicationStatus.APPROVED,
                experience="Bench",
                approach="Bench",
                created_by=self.officer,
                created_at=approved_at - timedelta(days=30),
                submitted_at=approved_at - timedelta(days=20),
                submitted_by=self.officer,
                approved_at=approved_at,
                decided_at=approved_at,
                decided_by=self.officer,
            )
            for i, p in enumerate(providers)
            for k in range(3)
        ]
        rows += [
            PackageApplication(
                provider=p,
                package=packages[(i + 3) % len(packages)],
                status=ApplicationStatus.SUBMITTED,
                experience="Bench",
                approach="Bench",
                created_by=self.officer,
                created_at=now - timedelta(days=20),
                submitted_at=now - timedelta(days=self.rng.randint(1, 19)),
                submitted_by=self.officer,
            )
            for i, p in enumerate(providers)
            if i % 5 == 0
        ]
        PackageApplication.objects.bulk_create(rows, batch_size=BATCH)
        self._say(f"{len(rows):,} providers' package applications")

    def _failed_emails(self):
        now = timezone.now()
        failed = Notification.objects.bulk_create(
            Notification(
                recipient=f"bench{i}@example.org",
                kind="bench",
                subject="Bench email",
                body_text="Bench",
                status=Notification.Status.FAILED,
                attempts=8,
                last_error="Connection refused",
                first_failed_at=now - timedelta(hours=3),
                failed_at=now - timedelta(hours=1),
            )
            for i in range(FAILED_EMAILS * self.scale)
        )
        self._say(f"{len(failed):,} failed emails for the officers")

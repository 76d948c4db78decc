"""Section C: advice and guidance. A volunteer or an organisation asks the volunteer centre a
short question; a broker answers it, recording the topic and the time spent, and closes it
(or closes it without an answer, saying why).

`AdviceRequest.asked_by` is a person, whoever they are: a member of an organisation (then
`organisation` names it, and every member of that organisation may read it) or a volunteer
(no organisation: only the asker reads it). Deleting the person keeps the request, without
them, so the centre's figures (requests and time by topic) stay whole. The moves are
`advice_rules.ADVICE_TRANSITIONS`, one service each (advice_services.py); the database
holds each state to what it must carry.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import advice_rules as rules


class AdviceStatus(models.TextChoices):
    OPEN = rules.OPEN, _("Waiting for an answer")
    ANSWERED = rules.ANSWERED, _("Answered")
    CLOSED = rules.CLOSED, _("Closed")


class ReplyBy(models.TextChoices):
    EMAIL = rules.EMAIL, _("By email")
    PHONE = rules.PHONE, _("By telephone")


# The topics are advice_rules.TOPICS (data); their words are translated where shown.
AdviceTopic = models.TextChoices(
    "AdviceTopic", [(key, (key, _(words))) for key, words in rules.TOPICS.items()]
)


class AdviceRequestQuerySet(models.QuerySet):
    def of_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def of_volunteer(self, user):
        """A person's own requests made as a volunteer (no organisation named)."""
        return self.filter(organisation__isnull=True, asked_by=user)

    def waiting(self):
        return self.filter(status=rules.OPEN)


class AdviceRequest(models.Model):
    """A short question to the volunteer centre, and the broker's answer."""

    Status = AdviceStatus
    Topic = AdviceTopic
    ReplyBy = ReplyBy

    # SET_NULL: deleting the person keeps the request, anonymised, in the figures.
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advice_requests",
    )
    # The organisation a member asked for; none when a volunteer asked for themselves.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_requests",
    )
    question = models.CharField(max_length=rules.QUESTION_LENGTH)
    # What the asker said it is about, then what the broker recorded when answering.
    topic = models.CharField(max_length=24, choices=AdviceTopic.choices)
    reply_by = models.CharField(
        "how to reply", max_length=5, choices=ReplyBy.choices, default=ReplyBy.EMAIL
    )
    phone = models.CharField(max_length=rules.PHONE_LENGTH, blank=True)

    status = models.CharField(
        max_length=10, choices=AdviceStatus.choices, default=AdviceStatus.OPEN
    )
    minutes = models.PositiveSmallIntegerField("time spent, in minutes", default=0)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # Why it was closed without an answer; empty when it was answered first.
    close_reason = models.CharField(max_length=rules.REASON_LENGTH, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    asked_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdviceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-id"]
        # The brokers' queue (by status, oldest first), an organisation's list, the report's
        # date range.
        indexes = [
            models.Index(fields=["status", "asked_at"], name="advice_status_asked"),
            models.Index(fields=["organisation", "asked_at"], name="advice_organisation_asked"),
            models.Index(fields=["asked_at"], name="advice_asked_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AdviceStatus.values), name="advice_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(topic__in=AdviceTopic.values), name="advice_topic_valid"
            ),
            models.CheckConstraint(
                condition=Q(reply_by=rules.EMAIL, phone="")
                | (Q(reply_by=rules.PHONE) & ~Q(phone="")),
                name="advice_phone_iff_reply_by_phone",
            ),
            models.CheckConstraint(condition=~Q(question=""), name="advice_question_given"),
            models.CheckConstraint(
                condition=Q(minutes__lte=rules.MAX_MINUTES), name="advice_minutes_at_most_480"
            ),
            # An answer is whole (who, when, what, and some time spent) or not there at all.
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answered_by__isnull=True, answer="")
                | (
                    Q(answered_at__isnull=False, answered_by__isnull=False, minutes__gte=1)
                    & ~Q(answer="")
                ),
                name="advice_answer_whole",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.OPEN)
                | Q(answered_at__isnull=True, closed_at__isnull=True),
                name="advice_open_untouched",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.ANSWERED) | Q(answered_at__isnull=False),
                name="advice_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(status=rules.CLOSED, closed_at__isnull=False, closed_by__isnull=False)
                | (~Q(status=rules.CLOSED) & Q(closed_at__isnull=True, closed_by__isnull=True)),
                name="advice_closed_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.CLOSED, answered_at__isnull=True) | ~Q(close_reason=""),
                name="advice_unanswered_closed_with_reason",
            ),
        ]

    def __str__(self):
        # Never the question: this is what the audit trail keeps of it.
        return self.reference

    @property
    def reference(self) -> str:
        """What the asker and the broker quote on the telephone."""
        return f"VCS-ADV-{self.pk:06d}" if self.pk else "VCS-ADV-(new)"

    @property
    def was_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def time_spent(self) -> str:
        return rules.hours_and_minutes(self.minutes)

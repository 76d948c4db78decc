"""The event log: who did what to which thing, when, and why."""

from django.conf import settings
from django.db import models

from . import wording


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system acted (a scheduled job).",
    )
    action = models.CharField(max_length=64)
    # The thing acted on, named by its model label and primary key so that the
    # log, the lowest layer, imports no other app.
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def __str__(self):
        who = self.actor or "system"
        return f"{self.created_at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_repr}"

    @property
    def in_words(self) -> str:
        """The event as a sentence (audit.wording). A history of several things sets
        `subject` on each event, naming the thing it is about."""
        return wording.in_words(self.action, actor=self.actor, subject=getattr(self, "subject", ""))

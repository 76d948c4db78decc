"""Assertions the delivery service tests share: audit events, queued emails, "nothing changed"."""

from allowances.models import AgreedPackage, LedgerEntry
from audit.models import AuditEvent
from delivery.models import Claim, DeliverySession, Dispute, ProviderRequest, Rating
from notifications.models import Notification


def event(action: str, obj) -> AuditEvent:
    """The latest audit event `action` about `obj`."""
    found = (
        AuditEvent.objects.filter(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
        .order_by("-id")
        .first()
    )
    assert found is not None, f"no {action!r} event about {obj!r}"
    return found


def assert_event(action, obj, *, actor, from_state="", to_state="", reason=""):
    found = event(action, obj)
    assert found.actor == actor
    assert (found.from_state, found.to_state) == (from_state, to_state)
    assert found.reason == reason
    return found


def emails(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=f"delivery:{kind}").order_by("recipient"))


def recipients(kind: str) -> list[str]:
    return [n.recipient for n in emails(kind)]


def snapshot() -> dict:
    """Everything a delivery service could write, to show a refused step wrote nothing."""
    return {
        "packages": list(
            AgreedPackage.objects.order_by("pk").values_list("pk", "status", "delivery_started_on")
        ),
        "requests": list(
            ProviderRequest.objects.order_by("pk").values_list(
                "pk",
                "status",
                "responded_at",
                "planned_start",
                "planned_end",
                "delivered_at",
                "outcome_summary",
            )
        ),
        "sessions": list(DeliverySession.objects.order_by("pk").values_list("pk", flat=True)),
        "ratings": list(
            Rating.objects.order_by("pk").values_list("pk", "score", "reply", "hidden_reason")
        ),
        "disputes": list(Dispute.objects.order_by("pk").values_list("pk", "outcome")),
        "claims": list(Claim.objects.order_by("pk").values_list("pk", "status", "amount_paid")),
        "ledger": list(LedgerEntry.objects.order_by("pk").values_list("pk", flat=True)),
        "audit": AuditEvent.objects.count(),
        "emails": Notification.objects.count(),
    }

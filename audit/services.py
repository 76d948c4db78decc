from .models import AuditEvent


def record(*, actor, action, obj, from_state="", to_state="", reason="", data=None) -> AuditEvent:
    """Append one event to the audit trail, in the caller's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def history_for(obj):
    """Events about one object, newest first."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")

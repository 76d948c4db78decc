from django.db.models import Q

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


def history_for_many(ids_by_type: dict[str, list[str]]):
    """Events about any of these objects, newest first, in one query.

    `ids_by_type` maps a model label ("allowances.agreedpackage") to the primary
    keys, as text, of its objects: the caller, which knows how its things hang
    together, gathers them, since the log imports no other app. The ids are
    literal lists rather than subqueries so that each type is an index lookup
    on (object_type, object_id): an OR of IN-subqueries would scan the log.
    """
    about = Q(pk__in=[])
    for object_type, ids in ids_by_type.items():
        if ids:
            about |= Q(object_type=object_type, object_id__in=ids)
    return AuditEvent.objects.filter(about).select_related("actor")

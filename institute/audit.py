from django.db import models

from .models import AuditRecord


def _object_key(target: models.Model) -> dict:
    return {"object_type": target._meta.label_lower, "object_id": str(target.pk)}


def audit_history(target: models.Model):
    """The audit records of one object, newest first, with who did it."""
    return AuditRecord.objects.filter(**_object_key(target)).select_related("actor__profile")


def audit_record_create(
    *, actor, action: str, target: models.Model, reason: str = "", data: dict | None = None
) -> AuditRecord:
    """Write an audit record; call it inside the transaction of the change it describes."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    record = AuditRecord(
        actor=actor,
        action=action,
        **_object_key(target),
        object_repr=str(target)[:255],
        reason=reason,
        data=data or {},
    )
    record.full_clean()
    record.save()
    return record

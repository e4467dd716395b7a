from __future__ import annotations

from typing import Any

from django.db import models

from sigap.core import audit
from sigap.core.models import AuditLog


def audit_record(
    *, actor: Any | None, action: str, target: models.Model, details: dict[str, Any] | None = None
) -> AuditLog:
    """Append one audit row; called by every service that changes or reveals something that matters."""
    return audit.append(
        actor=actor,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        details=details,
    )

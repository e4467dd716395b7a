"""Publishing and cancelling public warnings (audited)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sigap.alerts.models import Alert
from sigap.core.services import audit_record
from sigap.public.models import PublicWarning
from sigap.regions.models import Region


class PublicWarningError(ValueError):
    pass


@transaction.atomic
def warning_publish(
    *,
    actor: Any,
    regions: Iterable[Region],
    level: int,
    headline: str,
    description: str,
    instruction: str,
    hours: int = 24,
    alert: Alert | None = None,
    at: datetime | None = None,
) -> PublicWarning:
    at = at or timezone.now()
    areas = list(regions)
    if not areas:
        raise PublicWarningError(gettext("A warning names the areas it is for"))
    if not (headline.strip() and description.strip() and instruction.strip()):
        raise PublicWarningError(gettext("A warning needs a headline, what is happening and what to do"))
    if not 1 <= hours <= 24 * 14:
        raise PublicWarningError(gettext("A warning is valid for 1 hour to 14 days"))
    warning = PublicWarning.objects.create(
        alert=alert,
        level=level,
        headline=headline.strip()[:160],
        description=description.strip(),
        instruction=instruction.strip(),
        issued_at=at,
        expires_at=at + timedelta(hours=hours),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    warning.regions.set(areas)
    audit_record(actor=actor, action="public_warning.published", target=warning)
    return warning


@transaction.atomic
def warning_cancel(*, warning: PublicWarning, actor: Any, note: str) -> PublicWarning:
    if warning.cancelled_at is not None:
        raise PublicWarningError(gettext("Already cancelled"))
    if not note.strip():
        raise PublicWarningError(gettext("Say why the warning is withdrawn"))
    warning.cancelled_at = timezone.now()
    warning.cancel_note = note.strip()[:300]
    warning.save()
    audit_record(actor=actor, action="public_warning.cancelled", target=warning)
    return warning

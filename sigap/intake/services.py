from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sigap.intake.choices import Channel
from sigap.intake.models import Report
from sigap.intake.receipts import receipt_new
from sigap.regions.models import Region
from sigap.regions.selectors import region_at_point


def report_receive(
    *,
    channel: Channel,
    description: str,
    region: Region | None = None,
    location_text: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    occurred_at: datetime | None = None,
    submitted_by: Any | None = None,
    raw: dict[str, Any] | None = None,
    received_at: datetime | None = None,
) -> Report:
    """Store one report as received. A report with coordinates but no region is placed by its point."""
    description = description.strip()
    if not description:
        raise ValueError("A report needs a description")
    if region is None and latitude is not None and longitude is not None:
        region = region_at_point(lat=latitude, lng=longitude)
    for _attempt in range(3):  # a receipt collision is astronomically rare; retry rather than fail
        try:
            with transaction.atomic():
                return Report.objects.create(
                    receipt=receipt_new(),
                    channel=channel,
                    description=description,
                    region=region,
                    location_text=location_text,
                    latitude=latitude,
                    longitude=longitude,
                    occurred_at=occurred_at,
                    received_at=received_at or timezone.now(),
                    submitted_by=submitted_by,
                    raw=raw or {},
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not allocate a unique receipt code")

"""`sigap clock`: the daily assessment without cron. `sigap serve` runs it beside the worker.

Every minute it checks whether the deployment's kabupaten/kota has been assessed for today (local date) and runs
the assessment when not, so that levels also fall when nothing happens. Off with SIGAP_RISK_DAILY=false (the demo,
whose month lies in 2020, sets it). Escalations of unacknowledged alerts run in `sigap notify work`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sigap.regions.models import Region
from sigap.risk.models import AreaRisk
from sigap.risk.services import risk_recompute

log = logging.getLogger(__name__)


def daily_assessment_due() -> bool:
    """Assess today if it has not been done yet; True when it ran."""
    if not settings.SIGAP_RISK_DAILY:
        return False
    city = Region.objects.filter(code=settings.SIGAP_DEPLOYMENT_REGION).first()
    today = timezone.localdate()
    if city is None or AreaRisk.objects.filter(region__code__startswith=f"{city.code}.", day=today).exists():
        return False
    risk_recompute(city, today, today)
    log.info("daily risk assessment of %s for %s done", city.name, today)
    return True


class Command(BaseCommand):
    help = "Run the daily risk assessment when it is due (every minute; --once for a single check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                ran = daily_assessment_due()
                if options["once"]:
                    self.stdout.write("assessed today" if ran else "nothing due")
                    return
            except Exception:  # the clock keeps ticking; the error is in the log
                log.exception("daily risk assessment failed")
                if options["once"]:
                    raise
            time.sleep(options["interval"])

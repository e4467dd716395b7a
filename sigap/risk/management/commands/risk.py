"""`sigap risk recompute`: assess every kelurahan of the deployment (or any kabupaten/kota) for a range of days."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date
from tqdm import tqdm

from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.services import risk_recompute


class Command(BaseCommand):
    help = "Recompute risk levels and alerts (run it daily, e.g. from cron at 00:05, and after imports)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("recompute", help="assess a kabupaten/kota for one or more days")
        rec.add_argument("--region", default=None, help="Kemendagri code of the kabupaten/kota (default: deployment)")
        rec.add_argument("--as-of", default=None, help="last day assessed, YYYY-MM-DD (default: today)")
        rec.add_argument("--days", type=int, default=1, help="how many days up to --as-of (default 1)")
        rec.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["region"] or settings.SIGAP_DEPLOYMENT_REGION
        city = Region.objects.filter(code=code, level=Level.KABUPATEN_KOTA).first()
        if city is None:
            raise CommandError(f"{code} is not a loaded kabupaten/kota; load it first: sigap regions load {code}")
        last = parse_date(options["as_of"]) if options["as_of"] else timezone.localdate()
        if last is None:
            raise CommandError(f"--as-of must be a date like 2020-12-09, not {options['as_of']!r}")
        if options["days"] < 1:
            raise CommandError("--days must be at least 1")
        first = last - timedelta(days=options["days"] - 1)
        started = time.perf_counter()

        def bar(days: Any) -> Any:
            return tqdm(days, desc=f"{city.name} {first}..{last}", unit="day", disable=options["quiet"])

        n = risk_recompute(city, first, last, progress=bar)
        self.stdout.write(
            self.style.SUCCESS(f"Assessed {city.name} for {n} day(s) in {time.perf_counter() - started:.1f} s.")
        )

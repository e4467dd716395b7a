"""`sigap notify work|escalate|test`: the delivery worker (started by `sigap serve`), escalation, a test message."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.notify.models import Channel
from sigap.notify.services import deliver_due, periodic_due, send_test

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Deliver queued notifications, escalate unacknowledged alerts, or send a test through a channel."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        work = sub.add_parser("work", help="deliver due notifications, forever (or --once)")
        work.add_argument("--once", action="store_true")
        work.add_argument("--interval", type=float, default=0.5, help="seconds between polls when idle")
        work.add_argument("--batch", type=int, default=20)
        sub.add_parser("escalate", help="queue escalations and reminders that are due")
        test = sub.add_parser("test", help="queue a test message through a channel")
        test.add_argument("channel_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "escalate":
            self.stdout.write(f"{periodic_due()} escalation and reminder message(s) queued")
        elif action == "test":
            channel = Channel.objects.filter(pk=options["channel_id"]).first()
            if channel is None:
                raise CommandError(f"No channel {options['channel_id']}")
            self.stdout.write(f"Test message #{send_test(channel, None).pk} queued for {channel}")
        else:
            next_escalation = 0.0
            while True:
                try:
                    if time.monotonic() >= next_escalation:  # escalations, digests, deadlines: once a minute
                        periodic_due()
                        next_escalation = time.monotonic() + 60
                    sent = deliver_due(options["batch"])
                except Exception:  # keep delivering; the error is in the log
                    log.exception("notification delivery failed")
                    sent = 0
                if options["once"]:
                    self.stdout.write(f"{sent} sent")
                    return
                if not sent:
                    time.sleep(options["interval"])

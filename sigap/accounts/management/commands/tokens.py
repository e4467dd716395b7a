"""`sigap tokens create|revoke|list`: bearer tokens for the staff API (GET /api/v1/alerts)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.accounts.auth import staff_token_create
from sigap.accounts.models import StaffToken, User


class Command(BaseCommand):
    help = "Create, revoke or list staff API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token for a user (shown once)")
        create.add_argument("username")
        create.add_argument("--name", default="api", help="what the token is for")
        revoke = sub.add_parser("revoke", help="disable a token by its id")
        revoke.add_argument("token_id", type=int)
        sub.add_parser("list", help="list tokens (never the secret)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}")
            token = staff_token_create(user, options["name"])
            self.stdout.write(f"Token for {user.username} (shown once; store it safely):\n{token}")
        elif action == "revoke":
            if not StaffToken.objects.filter(pk=options["token_id"]).update(active=False):
                raise CommandError(f"No token {options['token_id']}")
            self.stdout.write(f"Token {options['token_id']} revoked.")
        else:
            for t in StaffToken.objects.select_related("user").order_by("pk"):
                used = t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "never"
                state = "active" if t.active else "revoked"
                self.stdout.write(f"{t.pk}\t{t.user.username}\t{t.name}\t{state}\tlast used {used}")

"""`sigap partners add NAME`: a partner system's API token, shown once (only its SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.core.grading import Reliability
from sigap.intake.models import ApiPartner
from sigap.intake.partners import TRUSTED_FOR_S


class Command(BaseCommand):
    help = "Manage partner systems that send reports through POST /api/v1/reports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a partner and print its token once")
        add.add_argument("name")
        add.add_argument("--reliability", default="C", choices=[r.value for r in Reliability])
        rotate = sub.add_parser("rotate", help="issue a new token for a partner (the old one stops working)")
        rotate.add_argument("name")
        disable = sub.add_parser("disable", help="stop accepting a partner's token")
        disable.add_argument("name")
        sub.add_parser("list", help="list partners")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for partner in ApiPartner.objects.order_by("name"):
                state = "aktif" if partner.active else "nonaktif"
                self.stdout.write(f"{partner.name}\t{partner.reliability}\t{state}\t{partner.reports.count()} laporan")
            return
        if action == "add":
            if ApiPartner.objects.filter(name=options["name"]).exists():
                raise CommandError(f"Mitra {options['name']!r} sudah ada / partner exists; use rotate")
            token = secrets.token_urlsafe(32)
            ApiPartner.objects.create(
                name=options["name"],
                reliability=options["reliability"],
                token_sha256=hashlib.sha256(token.encode()).hexdigest(),
            )
            self._show(token)
            return
        found = ApiPartner.objects.filter(name=options["name"]).first()
        if found is None:
            raise CommandError(f"Mitra {options['name']!r} tidak ada / no such partner")
        partner = found
        if action == "disable":
            partner.active = False
            partner.save(update_fields=["active"])
            self.stdout.write(
                f"{partner.name}: token tidak lagi diterima (server yang berjalan: dalam {TRUSTED_FOR_S:.0f} detik)"
                f" / token disabled (running servers: within {TRUSTED_FOR_S:.0f} s)"
            )
            return
        token = secrets.token_urlsafe(32)
        partner.token_sha256 = hashlib.sha256(token.encode()).hexdigest()
        partner.active = True
        partner.save(update_fields=["token_sha256", "active"])
        self._show(token)

    def _show(self, token: str) -> None:
        self.stdout.write("Token (shown once; only its SHA-256 is stored / simpan sekarang):")
        self.stdout.write(token)

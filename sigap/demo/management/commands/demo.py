"""`sigap demo setup`: what `make run` does before serving: migrate, load Kota Pasuruan, seed the demo once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.core import clock
from sigap.demo.generator import CITY, STORY_CLOCK_START, Persona, seed_demo
from sigap.regions.models import Region


def _personas_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-personas.txt"


def demo_clock_spec() -> str:
    """The demo's story clock, fixed the first time it is asked for: the morning after the seeded month at that real
    moment. Kept beside the database, so that the story goes on where it was after a restart instead of going back
    in time; `make clean-demo` starts it again."""
    path = Path(settings.DATA_DIR) / "demo_clock"
    if path.exists():
        spec = path.read_text(encoding="utf-8").strip()
        try:
            clock.parse(spec)  # a damaged file is an error here, not a wrong clock later
        except ValueError as exc:
            raise CommandError(f"{path}: {exc} (remove the file to start the story's clock again)") from None
        return spec
    spec = clock.StoryClock(story=STORY_CLOCK_START, real=clock.real_now().replace(microsecond=0)).spec()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec + "\n", encoding="utf-8")
    return spec


class Command(BaseCommand):
    help = "Prepare the Kota Pasuruan demo (idempotent) and print the demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        setup = sub.add_parser("setup", help="migrate, load regions 35.75, seed the demo month, collect static")
        setup.add_argument("--seed", type=int, default=2020)
        setup.add_argument("--skip-model", action="store_true", help="do not train the text classifier")
        sub.add_parser("personas", help="print the demo accounts and their passwords")
        sub.add_parser("clock", help="print the demo's story clock (SIGAP_DEMO_CLOCK), fixing it the first time")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "clock":
            self.stdout.write(demo_clock_spec())
            return
        if options["action"] == "setup":
            self.skip_model = options["skip_model"]
            self._setup(options["seed"])
        self._print_personas()

    def _setup(self, seed: int) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        if not Region.objects.filter(code=CITY).exists():
            call_command("regions", "load", CITY, "--no-progress", stdout=self.stdout)
        if not self.skip_model:
            call_command("triage", "train", "--if-missing", stdout=self.stdout)
        result = seed_demo(seed=seed)
        if result.created:
            self._save_personas(result.personas)
            self.stdout.write(f"Demo month seeded: {result.reports} reports, {result.incidents} incidents.")
        else:
            self.stdout.write("Demo data already present; nothing added.")
        call_command("collectstatic", interactive=False, verbosity=0)

    def _save_personas(self, personas: list[Persona]) -> None:
        path = _personas_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"{p.username}\t{p.password}\t{p.role.label}\t{p.title}" for p in personas]
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")

    def _print_personas(self) -> None:
        path = _personas_file()
        if not path.exists():
            self.stdout.write("No demo accounts recorded here (demo-personas.txt is missing).")
            return
        self.stdout.write("\nDemo accounts (user / password / role):")
        for line in path.read_text(encoding="utf-8").splitlines():
            username, password, role, title = line.split("\t")
            self.stdout.write(f"  {username:<10} {password:<14} {role} ({title})")
        self.stdout.write("")

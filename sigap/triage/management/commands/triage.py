"""`sigap triage train`: build the text classifier from the data shipped in the repository."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sigap.triage import textmodel


class Command(BaseCommand):
    help = "Train the triage text classifier (about 20-30 s on two cores) and save it in the data folder."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train and save the model")
        train.add_argument("--rows", type=int, default=0, help="use only the first N rows (quick trial)")
        train.add_argument("--if-missing", action="store_true", help="do nothing when a model is already saved")

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.SIGAP_TEXT_MODEL_PATH
        if options["if_missing"] and path.exists():
            self.stdout.write(f"Text model present: {path}")
            return
        self.stdout.write("Training the triage text classifier from the shipped data...")
        started = time.perf_counter()
        texts, labels = textmodel.load_training_rows()
        if options["rows"]:
            texts, labels = texts[: options["rows"]], labels[: options["rows"]]
        model = textmodel.train(texts, labels)
        textmodel.save(model, path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Text model trained on {len(texts)} rows in {time.perf_counter() - started:.0f} s: {path}"
            )
        )

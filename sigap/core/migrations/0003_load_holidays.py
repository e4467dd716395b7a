"""A new deployment starts with the shipped national holidays (sigap/core/data/holidays-id.csv)."""

import csv
from datetime import date
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "holidays-id.csv"


def load(apps, schema_editor):
    holiday = apps.get_model("core", "PublicHoliday")
    with CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            holiday.objects.get_or_create(
                day=date.fromisoformat(row["date"]), defaults={"name": row["name"], "kind": row["kind"]}
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_publicholiday")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""Inbound texts at a kabupaten's scale and beyond: how long recognising the sender of a NIHIL takes, and the whole
NIHIL and PANTAU (recognition, the replay check, the write, the audit row) with N registered phones (directory people
with an SMS channel). The sender is found by the number kept on each gateway channel (an index); the first version
read every channel's configuration and took 1 s at 10,000 phones. Times are best of 5.

Usage (from the repository root, after `bash scripts/bootstrap.sh test`):
    SIGAP_DATA_DIR=$(mktemp -d) SECRET_KEY=x SIGAP_FIELD_KEYS=$(...) .venv/bin/python bench/sms_bench.py OUT.json
Writes OUT.json; bench/sms.sh runs it on SQLite and PostgreSQL and writes bench/results/sms.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")


def best_of(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--sizes", default="100,1000,10000,50000")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("regions", "load", "35.75", "--no-progress", verbosity=0)

    from django.db import connection

    from sigap.directory.choices import PersonRole
    from sigap.directory.models import Person
    from sigap.intake.choices import Channel as ReportChannel
    from sigap.intake.commands import TextMessage, monitors_by_phone, text_message_receive
    from sigap.notify.choices import ChannelKind
    from sigap.notify.models import Channel
    from sigap.regions.choices import Level
    from sigap.regions.models import Region

    kelurahan = list(Region.objects.filter(code__startswith="35.75.", level=Level.DESA_KELURAHAN))
    made = 0
    runs = []
    sent = 0
    for size in sorted(int(s) for s in args.sizes.split(",")):
        people = [
            Person(name=f"Ketua RW {n}", role=PersonRole.KETUA_RT_RW, region=kelurahan[n % len(kelurahan)])
            for n in range(made, size)
        ]
        Person.objects.bulk_create(people, batch_size=2000)
        created = Person.objects.filter(name__startswith="Ketua RW ").order_by("pk")[made:size]
        Channel.objects.bulk_create(
            [
                Channel(
                    name="SMS",
                    kind=ChannelKind.GATEWAY,
                    person=person,
                    config={"url": "http://127.0.0.1:9/", "phone": f"0857{10_000_000 + n:08d}"},
                    phone=f"62857{10_000_000 + n:08d}",  # what save() keeps; bulk_create does not call it
                )
                for n, person in enumerate(created, start=made)
            ],
            batch_size=2000,
        )
        made = size
        last = f"+62857{10_000_000 + size - 1:08d}"  # the newest channel: every one is read before it
        assert len(monitors_by_phone(last)) == 1

        def text(body: str, sender: str = last) -> None:
            nonlocal sent
            sent += 1
            text_message_receive(
                TextMessage(channel=ReportChannel.SMS, sender=sender, text=body, message_id=f"b{sent}", gateway="b")
            )

        runs.append(
            {
                "registered_phones": size,
                "recognise_ms": round(best_of(5, lambda last=last: monitors_by_phone(last)) * 1000, 2),
                "nihil_ms": round(best_of(5, lambda: text("NIHIL")) * 1000, 2),
                "pantau_ms": round(best_of(5, lambda: text("PANTAU 1 4 D2 massa kumpul di posko")) * 1000, 2),
                "unknown_number_ms": round(best_of(5, lambda: text("NIHIL", "+6281299999999")) * 1000, 2),
            }
        )
        print(runs[-1], flush=True)
    out = {"database": connection.vendor, "runs": runs}
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

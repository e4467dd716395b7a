# The audit log becomes a hash chain: existing rows are numbered in the order they were written and linked.

import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64


def link_existing_rows(apps, schema_editor):
    from datetime import UTC

    AuditLog = apps.get_model("core", "AuditLog")
    Head = apps.get_model("core", "AuditChainHead")
    prev, seq = GENESIS, 0
    for row in AuditLog.objects.order_by("at", "id").select_related("actor").iterator(chunk_size=2000):
        seq += 1
        details = json.loads(json.dumps(row.details or {}, default=str))
        name = row.actor.username if row.actor_id else ""
        content = json.dumps(
            [seq, row.at.astimezone(UTC).isoformat(timespec="microseconds"), name, row.action, row.object_type,
             row.object_id, details],
            sort_keys=True, ensure_ascii=False, separators=(",", ":"),
        )
        digest = hashlib.sha256(f"{prev}\n{content}".encode()).hexdigest()
        AuditLog.objects.filter(pk=row.pk).update(
            seq=seq, prev_digest=prev, digest=digest, actor_name=name, details=details
        )
        prev = digest
    Head.objects.update_or_create(pk=1, defaults={"seq": seq, "digest": prev})


class Migration(migrations.Migration):

    dependencies = [("core", "0003_load_holidays")]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("digest", models.CharField(default=GENESIS, max_length=64)),
            ],
        ),
        migrations.AlterField(model_name="auditlog", name="at", field=models.DateTimeField(db_index=True)),
        migrations.AddField(
            model_name="auditlog", name="actor_name", field=models.CharField(blank=True, default="", max_length=150)
        ),
        migrations.AddField(model_name="auditlog", name="seq", field=models.BigIntegerField(null=True)),
        migrations.AddField(model_name="auditlog", name="prev_digest", field=models.CharField(default="", max_length=64)),
        migrations.AddField(model_name="auditlog", name="digest", field=models.CharField(default="", max_length=64)),
        migrations.RunPython(link_existing_rows, migrations.RunPython.noop),
    ]

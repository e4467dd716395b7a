# Separate from 0004 so PostgreSQL alters the table after the rows were linked, in its own transaction.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("core", "0004_audit_chain")]

    operations = [
        migrations.AlterField(model_name="auditlog", name="seq", field=models.BigIntegerField(unique=True)),
        migrations.AlterField(model_name="auditlog", name="prev_digest", field=models.CharField(max_length=64)),
        migrations.AlterField(model_name="auditlog", name="digest", field=models.CharField(max_length=64)),
    ]

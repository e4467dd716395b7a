"""The database queue: an enqueue belongs to its transaction, and the worker command runs what is ready."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from sigap.core.models import AuditLog
from sigap.core.tests.tasks import record_audit_row


@pytest.mark.django_db(transaction=True)
def test_enqueue_is_atomic_with_the_write_that_caused_it(client):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_audit_row.enqueue("rolled-back")
        raise RuntimeError("the write failed")
    assert DBTaskResult.objects.count() == 0

    with transaction.atomic():
        record_audit_row.enqueue("kept")
    assert client.get("/healthz").json()["queue"]["ready"] == 1

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    assert list(AuditLog.objects.values_list("action", flat=True)) == ["worker.kept"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert client.get("/healthz").json()["queue"]["ready"] == 0

"""A task used by the worker test: it writes a row, so the test sees the worker really ran it."""

from django_tasks import task

from sigap.core import audit


@task()
def record_audit_row(label: str) -> None:
    audit.append(actor=None, action=f"worker.{label}", object_type="test", object_id="0")

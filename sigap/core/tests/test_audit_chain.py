"""The audit log's hash chain: every kind of tampering is found, and concurrent appends stay consecutive."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sigap.core import audit
from sigap.core.models import AuditChainHead, AuditLog

pytestmark = pytest.mark.django_db


def _write(count: int, actor=None) -> list[AuditLog]:
    return [
        audit.append(actor=actor, action="test.step", object_type="test", object_id=str(n), details={"n": n})
        for n in range(count)
    ]


def test_an_untouched_chain_verifies(personas):
    _write(3, personas["analyst"])
    _write(2)
    result = audit.verify()
    assert result.intact and result.rows == 5 and result.head_seq == 5
    assert list(AuditLog.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact: 5 rows" in out.getvalue()


def test_changed_details_are_found():
    rows = _write(4)
    AuditLog.objects.filter(pk=rows[2].pk).update(details={"n": 99})
    result = audit.verify()
    assert result.broken_at == 3 and "changed" in result.reason
    with pytest.raises(CommandError, match="broken at row 3"):
        call_command("audit", "verify", stdout=StringIO())


@pytest.mark.parametrize("field,value", [("action", "test.other"), ("actor_name", "someone"), ("object_id", "7")])
def test_any_changed_field_is_found(field, value):
    rows = _write(3)
    AuditLog.objects.filter(pk=rows[0].pk).update(**{field: value})
    assert audit.verify().broken_at == 1


def test_a_recomputed_row_still_breaks_the_next_link():
    rows = _write(3)
    forged = rows[1]
    forged.details = {"n": "forged"}
    forged.digest = audit.row_digest(
        prev_digest=forged.prev_digest,
        seq=2,
        at=forged.at,
        actor_name="",
        action=forged.action,
        object_type="test",
        object_id="1",
        details=forged.details,
    )
    forged.save()
    result = audit.verify()
    assert result.broken_at == 3 and "previous row" in result.reason


def test_a_deleted_row_is_found():
    rows = _write(4)
    AuditLog.objects.filter(pk=rows[1].pk).delete()
    result = audit.verify()
    assert result.broken_at == 2 and "missing" in result.reason


def test_a_cut_tail_is_found():
    rows = _write(4)
    AuditLog.objects.filter(pk__in=[rows[2].pk, rows[3].pk]).delete()
    result = audit.verify()
    assert result.broken_at == 3 and "end of the log" in result.reason


def test_head_prints_the_last_link():
    rows = _write(2)
    out = StringIO()
    call_command("audit", "head", stdout=out)
    assert out.getvalue().split() == ["2", rows[-1].digest]
    assert AuditChainHead.objects.get().digest == rows[-1].digest


def test_non_json_details_are_stored_as_they_read_back():
    from datetime import date

    row = audit.append(
        actor=None, action="test.date", object_type="test", object_id="1", details={"day": date(2020, 12, 9)}
    )
    assert AuditLog.objects.get(pk=row.pk).details == {"day": "2020-12-09"}
    assert audit.verify().intact


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_consecutive_links():
    import threading

    from django.db import connection

    def writer(label: int) -> None:
        try:
            for n in range(10):
                audit.append(actor=None, action="test.concurrent", object_type="test", object_id=f"{label}-{n}")
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(label,)) for label in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = audit.verify()
    assert result.intact, result.reason
    assert result.rows == 40 == result.head_seq

"""The audit log as a hash chain: append under a lock, verify from the first row to the head.

Each row's digest is SHA-256 over the previous digest and a canonical JSON of the row's content (sequence
number, time, actor's name, action, object, details). Changing any stored field, deleting a row or inserting
one breaks the chain at that row; cutting rows off the end no longer matches the head. Someone who can write
the database could rebuild the whole chain, so the head digest is also printed (`sigap audit head`) and shown
in every situation report: a copy kept outside the database anchors it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sigap.core.models import GENESIS_DIGEST, AuditChainHead, AuditLog


def canonical_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """Details as they will read back from any database (JSON types only, so the digest is reproducible)."""
    loaded: dict[str, Any] = json.loads(json.dumps(details or {}, default=str))
    return loaded


def row_digest(
    *,
    prev_digest: str,
    seq: int,
    at: datetime,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
) -> str:
    content = json.dumps(
        [
            seq,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_name,
            action,
            object_type,
            object_id,
            details,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_digest}\n{content}".encode()).hexdigest()


def _locked_head() -> tuple[int, str]:
    """(seq, digest) of the head row, locked until the caller's transaction ends; created once (migration 0004 does
    it, but a flushed test database has none), with a second creator simply waiting for the first."""
    head = _head_for_update()
    if head is not None:
        return head
    try:
        with transaction.atomic():  # a savepoint: losing the race leaves the outer transaction usable
            AuditChainHead.objects.create(pk=1)
    except IntegrityError:
        pass  # another writer created it first
    head = _head_for_update()
    if head is None:
        raise AuditChainHead.DoesNotExist("The audit chain's head row could not be created")
    return head


# The head is read and moved on every audited write: as plain statements these cost a fraction of the ORM's query
# building. FOR UPDATE where the database locks rows (PostgreSQL); SQLite's IMMEDIATE transaction already holds
# its one write lock.
_HEAD_TABLE = AuditChainHead._meta.db_table


def _head_for_update() -> tuple[int, str] | None:
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, digest FROM {_HEAD_TABLE} WHERE id = 1{lock}")  # noqa: S608 (our own table)
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def _head_move(seq: int, digest: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_HEAD_TABLE} SET seq = %s, digest = %s WHERE id = 1", [seq, digest])  # noqa: S608


def append(
    *,
    actor: Any | None,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one row at the end of the chain; the head row lock makes concurrent writers take turns."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic(savepoint=False):  # inside a caller's transaction a savepoint would buy nothing
        head_seq, head_digest = _locked_head()
        at = timezone.now()
        clean = canonical_details(details)
        actor_name = user.get_username() if user is not None else ""
        seq = head_seq + 1
        digest = row_digest(
            prev_digest=head_digest,
            seq=seq,
            at=at,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=clean,
        )
        row = AuditLog.objects.create(
            at=at,
            actor=user,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=clean,
            seq=seq,
            prev_digest=head_digest,
            digest=digest,
        )
        _head_move(seq, digest)
    return row


def head(using: str = "default") -> tuple[int, str]:
    """The last link (sequence number, digest): what an outside copy keeps to anchor the chain."""
    row = AuditChainHead.objects.using(using).filter(pk=1).first()
    return (row.seq, row.digest) if row else (0, GENESIS_DIGEST)


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    head_seq: int
    head_digest: str
    broken_at: int | None  # sequence number of the first bad row (or head_seq + 1 for a cut tail)
    reason: str

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(chunk: int = 5000, using: str = "default") -> ChainCheck:
    """Walk the whole chain in order; stop at the first row that does not fit."""
    head_seq, head_digest = head(using)
    expected_seq, prev = 1, GENESIS_DIGEST
    rows = 0
    fields = ("seq", "at", "actor_name", "action", "object_type", "object_id", "details", "prev_digest", "digest")
    for values in AuditLog.objects.using(using).order_by("seq").values_list(*fields).iterator(chunk_size=chunk):
        seq, at, actor_name, action, object_type, object_id, details, prev_digest, digest = values
        rows += 1

        if seq != expected_seq:
            return ChainCheck(rows, head_seq, head_digest, expected_seq, f"row {expected_seq} is missing")
        if prev_digest != prev:
            return ChainCheck(rows, head_seq, head_digest, seq, "its link to the previous row does not match")
        recomputed = row_digest(
            prev_digest=prev,
            seq=seq,
            at=at,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,
        )
        if recomputed != digest:
            return ChainCheck(rows, head_seq, head_digest, seq, "its content was changed after it was written")
        prev, expected_seq = digest, seq + 1
    if expected_seq - 1 != head_seq or prev != head_digest:
        return ChainCheck(rows, head_seq, head_digest, expected_seq, "rows at the end of the log were removed")
    return ChainCheck(rows, head_seq, head_digest, None, "")

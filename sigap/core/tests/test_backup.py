"""Backups taken while writes go on restore to a consistent database; a quiet database restores identically."""

from __future__ import annotations

import threading
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections

from sigap.core import audit
from sigap.core.backup import BackupError, backup, compare, restore

pytestmark = pytest.mark.django_db(transaction=True)


def _restored_alias(tmp_path: Path) -> tuple[str, dict[str, object]]:
    """A second database beside the test database, registered as a Django alias."""
    alias = f"restored_{uuid.uuid4().hex[:8]}"
    config = {**settings.DATABASES["default"]}
    if connection.vendor == "sqlite":
        config["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        config["NAME"] = alias
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{alias}"')
    config.pop("TEST", None)
    connections.databases[alias] = {**config, "TEST": {}}
    return alias, config


def _open(alias: str) -> None:
    # connect() directly: the test case refuses implicit connections to aliases it did not declare.
    connections[alias].connect()


def _drop(alias: str) -> None:
    connections[alias].close()
    del connections.databases[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{alias}"')


def _write(count: int, label: str) -> None:
    for n in range(count):
        audit.append(actor=None, action=f"test.{label}", object_type="test", object_id=str(n), details={"n": n})


def test_backup_during_writes_restores_a_consistent_copy(tmp_path, gazetteer):
    _write(50, "before")
    stop = threading.Event()
    written = []

    def writer() -> None:
        try:
            while not stop.is_set():
                _write(1, "during")
                written.append(1)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            threading.Event().wait(0.01)
        out = tmp_path / "online.bak"
        result = backup(out, {**settings.DATABASES["default"], "NAME": connection.settings_dict["NAME"]})
    finally:
        stop.set()
        thread.join()
    assert result.size_bytes > 0
    alias, config = _restored_alias(tmp_path)
    try:
        restore(out, config)
        _open(alias)
        check = audit.verify(using=alias)
        assert check.intact, check.reason  # a torn copy would not match its own head
        assert 55 <= check.rows <= 50 + len(written)
    finally:
        _drop(alias)


def test_a_quiet_database_restores_row_for_row(tmp_path, gazetteer):
    _write(20, "quiet")
    out = tmp_path / "quiet.bak"
    backup(out, {**settings.DATABASES["default"], "NAME": connection.settings_dict["NAME"]})
    alias, config = _restored_alias(tmp_path)
    try:
        restore(out, config)
        _open(alias)
        same = compare("default", alias)
        assert same.differences == 0 and same.rows_compared > 20 + 34 and same.tables > 50
        _write(1, "after")  # and the comparison does see a difference
        assert compare("default", alias).differences >= 2  # the new row and the moved head
    finally:
        _drop(alias)


def test_refusals_are_clear(tmp_path):
    out = tmp_path / "x.bak"
    out.write_text("not a backup")
    with pytest.raises(BackupError, match="never overwrites"):
        backup(out, {**settings.DATABASES["default"], "NAME": connection.settings_dict["NAME"]})
    with pytest.raises(CommandError, match="needs the backup FILE"):
        call_command("backup", "--restore", stdout=StringIO())
    if connection.vendor == "sqlite":
        target = {**settings.DATABASES["default"], "NAME": str(tmp_path / "new.sqlite3")}
        with pytest.raises(BackupError, match="not an SQLite backup|not an intact"):
            restore(out, target)
        with pytest.raises(BackupError, match="exists; pass --replace"):
            restore(out, {**target, "NAME": connection.settings_dict["NAME"]})


def test_the_command_writes_a_named_file(tmp_path):
    out = StringIO()
    call_command("backup", str(tmp_path / "cmd.bak"), stdout=out)
    assert "backup written" in out.getvalue() and (tmp_path / "cmd.bak").stat().st_size > 0

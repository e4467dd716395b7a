"""Backups taken while writes go on restore to a consistent database; a quiet database restores identically."""

from __future__ import annotations

import io
import tarfile
import threading
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections

from sigap.core import audit
from sigap.core.backup import BackupError, backup, compare, files_backup, files_path, files_restore, restore

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


def test_the_command_writes_a_named_file_and_the_uploaded_files_beside_it(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "attachments" / "2020" / "12").mkdir(parents=True)
    (tmp_path / "media" / "attachments" / "2020" / "12" / "foto.jpg").write_bytes(b"\xff\xd8 a photo")
    out = StringIO()
    call_command("backup", str(tmp_path / "cmd.bak"), stdout=out)
    assert "backup written" in out.getvalue() and (tmp_path / "cmd.bak").stat().st_size > 0
    assert "(1 files" in out.getvalue()
    with tarfile.open(files_path(tmp_path / "cmd.bak")) as archive:
        assert archive.getnames() == ["attachments/2020/12/foto.jpg"]
    (tmp_path / "again.bak.files.tar").write_text("left from before")
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup", str(tmp_path / "again.bak"), stdout=StringIO())
    assert not (tmp_path / "again.bak").exists()  # refused before the database was copied


def test_uploaded_files_come_back_and_a_restore_keeps_what_is_there_unless_asked(tmp_path):
    media = tmp_path / "media"
    (media / "attachments" / "2020" / "11").mkdir(parents=True)
    (media / "attachments" / "2020" / "11" / "a.jpg").write_bytes(b"photo a")
    (media / "attachments" / "2020" / "11" / "b.png").write_bytes(b"photo b")
    saved = files_backup(tmp_path / "x.files.tar", media)
    assert (saved.files, saved.size_bytes) == (2, 14)
    with pytest.raises(BackupError, match="never overwrites"):
        files_backup(tmp_path / "x.files.tar", media)

    fresh = tmp_path / "fresh"  # a new machine
    assert files_restore(saved.path, fresh) == 2
    assert (fresh / "attachments" / "2020" / "11" / "b.png").read_bytes() == b"photo b"

    (fresh / "attachments" / "2020" / "11" / "a.jpg").write_bytes(b"changed since")
    (fresh / "attachments" / "2020" / "12").mkdir()
    (fresh / "attachments" / "2020" / "12" / "later.jpg").write_bytes(b"uploaded after the backup")
    assert files_restore(saved.path, fresh) == 0
    assert (fresh / "attachments" / "2020" / "11" / "a.jpg").read_bytes() == b"changed since"
    assert files_restore(saved.path, fresh, replace=True) == 2
    assert (fresh / "attachments" / "2020" / "11" / "a.jpg").read_bytes() == b"photo a"
    assert (fresh / "attachments" / "2020" / "12" / "later.jpg").exists()  # not in the archive: left alone

    assert files_backup(tmp_path / "none.files.tar", tmp_path / "no-media-yet").files == 0


def _archive(path: Path, *members: tarfile.TarInfo) -> Path:
    with tarfile.open(path, "w") as archive:
        for member in members:
            archive.addfile(member, io.BytesIO(b"x" * member.size) if member.isfile() else None)
    return path


@pytest.mark.parametrize("hostile", ["../outside.jpg", "/etc/cron.d/x", "attachments/../../outside.jpg", "link"])
def test_an_archive_that_reaches_outside_the_media_folder_writes_nothing(tmp_path, hostile):
    good = tarfile.TarInfo("attachments/ok.jpg")
    good.size = 3
    bad = tarfile.TarInfo(hostile)
    if hostile == "link":
        bad.type, bad.linkname = tarfile.SYMTYPE, "/etc/passwd"
    else:
        bad.size = 3
    source = _archive(tmp_path / "hostile.files.tar", good, bad)
    media = tmp_path / "root" / "media"
    with pytest.raises(BackupError, match="not an uploaded file"):
        files_restore(source, media)
    assert not media.exists() and not (tmp_path / "root" / "outside.jpg").exists()
    (tmp_path / "junk.tar").write_text("not a tar")
    with pytest.raises(BackupError, match="not a Sigap files backup"):
        files_restore(tmp_path / "junk.tar", media)

"""Consistent backups while Sigap keeps taking reports, and their restore.

SQLite: the online backup API copies a single read snapshot (writers go on in WAL mode), then the copy is
checked with `PRAGMA integrity_check`. PostgreSQL: `pg_dump --format=custom` reads one snapshot too;
`pg_restore` puts it into an empty database. Sealed identities stay sealed in both: a backup holds no
plaintext identity (the keys are not in the database).

The uploaded files (reporters' photos) live outside the database, in MEDIA_ROOT: `files_backup` puts them in a tar
beside the database's copy, and `files_restore` puts them back.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings


class BackupError(RuntimeError):
    """A backup or restore that could not be made; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size_bytes: int


def engine_of(database: dict[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith(("sqlite3", "sigap.core.sqlite")):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"no backup method for {engine}")


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[var] = str(database[key])
    return env


def pg_tool(name: str) -> str:
    """A PostgreSQL client program: Debian's wrapper on PATH, or the newest installed version's own."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return str(candidates[-1])


def backup(out: Path, database: dict[str, Any] | None = None) -> BackupResult:
    """Write a consistent copy of the database to `out` (a new file)."""
    database = database or settings.DATABASES["default"]
    engine = engine_of(database)
    if out.exists():
        raise BackupError(f"{out} exists; a backup never overwrites a file")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    if engine == "sqlite":
        source = sqlite3.connect(f"file:{database['NAME']}?mode=ro", uri=True, timeout=30)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)  # one step: a single read snapshot, so the copy is consistent
            check = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
            source.close()
        if check != "ok":
            partial.unlink(missing_ok=True)
            raise BackupError(f"the copy failed its integrity check: {check}")
    else:
        command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", str(database["NAME"])]
        done = subprocess.run(  # noqa: S603 - a fixed tool; arguments from settings
            command, env=_pg_env(database), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
    partial.rename(out)
    return BackupResult(out, engine, out.stat().st_size)


def restore(source: Path, database: dict[str, Any] | None = None, *, replace: bool = False) -> None:
    """Put a backup into the configured database; an existing SQLite file or non-empty PostgreSQL database is
    only replaced when asked (stop the web server and workers first)."""
    database = database or settings.DATABASES["default"]
    engine = engine_of(database)
    if not source.exists():
        raise BackupError(f"no such backup: {source}")
    if engine == "sqlite":
        target = Path(database["NAME"])
        if target.exists() and not replace:
            raise BackupError(f"{target} exists; pass --replace to overwrite it")
        copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is not an intact SQLite backup")
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not an SQLite backup: {exc}") from None
        finally:
            copy.close()
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        staged = target.with_name(target.name + ".restoring")
        shutil.copyfile(source, staged)
        staged.replace(target)
        return
    command = [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={database['NAME']}"]
    if replace:
        command += ["--clean", "--if-exists"]
    done = subprocess.run(  # noqa: S603 - a fixed tool; arguments from settings
        [*command, str(source)], env=_pg_env(database), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")


FILES_SUFFIX = ".files.tar"


@dataclass(frozen=True)
class FilesResult:
    path: Path
    files: int
    size_bytes: int  # of the files, before the archive


def files_path(database_backup: Path) -> Path:
    """Where the uploaded files of a database backup are kept: beside it, named after it."""
    return database_backup.with_name(database_backup.name + FILES_SUFFIX)


def files_backup(out: Path, root: Path) -> FilesResult:
    """Every file under `root` (MEDIA_ROOT) into a new tar at `out`. Taken after the database's snapshot: uploads
    are written before the row that names them and never changed or removed, so every file the snapshot names is
    here (a later upload is an extra nobody names)."""
    if out.exists():
        raise BackupError(f"{out} exists; a backup never overwrites a file")
    partial = out.with_name(out.name + ".partial")
    files = size = 0
    with tarfile.open(partial, "w") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                    files += 1
                    size += path.stat().st_size
    partial.rename(out)
    return FilesResult(out, files, size)


def _member_target(root: Path, member: tarfile.TarInfo) -> Path:
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts or not name.parts:
        raise BackupError(f"{member.name!r} is not an uploaded file; the archive was not written by Sigap")
    return root.joinpath(*name.parts)


def files_restore(source: Path, root: Path, *, replace: bool = False) -> int:
    """Put the files of `source` under `root`. A file already there is kept unless `replace`; files that are not in
    the archive are left alone. Every member is checked before anything is written: regular files inside `root`
    only (no links, devices or paths that climb out). Returns how many files were written."""
    try:
        archive = tarfile.open(source, "r")  # noqa: SIM115 - closed below; errors writing the files are not this one's
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source} is not a Sigap files backup: {exc}") from None
    with archive:
        try:
            members = archive.getmembers()  # reads the whole index: a truncated archive fails here
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"{source} is not a whole Sigap files backup: {exc}") from None
        return _files_write(archive, members, root, replace=replace)


def _files_write(archive: tarfile.TarFile, members: list[tarfile.TarInfo], root: Path, *, replace: bool) -> int:
    targets = [(member, _member_target(root, member)) for member in members]
    written = 0
    for member, target in targets:
        if target.exists() and not replace:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        content = archive.extractfile(member)
        if content is None:  # isfile() was checked; this is for the type checker
            continue
        staged = target.with_name(target.name + ".restoring")
        with content, staged.open("wb") as handle:
            shutil.copyfileobj(content, handle)
        staged.replace(target)
        written += 1
    return written


@dataclass(frozen=True)
class Comparison:
    tables: int
    rows_compared: int
    differences: int
    first_differences: list[str]


def compare(using_a: str, using_b: str, *, limit_examples: int = 10) -> Comparison:
    """Every row of every Sigap table (m2m tables included) in two databases, compared field by field."""
    tables = rows = differences = 0
    examples: list[str] = []
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
    for model in models:
        names = [field.attname for field in model._meta.concrete_fields]
        left = model._base_manager.using(using_a).order_by("pk").values_list(*names).iterator(chunk_size=5000)
        right = model._base_manager.using(using_b).order_by("pk").values_list(*names).iterator(chunk_size=5000)
        tables += 1
        for a, b in zip_longest(left, right):
            rows += 1
            if a != b:
                differences += 1
                if len(examples) < limit_examples:
                    key = (a or b or ("?",))[0]
                    examples.append(f"{model._meta.db_table} pk={key}")
    return Comparison(tables, rows, differences, examples)

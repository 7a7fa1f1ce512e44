"""Backups: one archive holding the database, the uploaded and generated files, and a manifest of
what it holds; a restore loads it into an empty database and checks every count and every file.

An archive (`friendship-portal-YYYYMMDD-HHMMSS.tar.gz`) holds:

- `database.sqlite3` (SQLite's online backup: a consistent copy while the portal runs) or
  `database.pgdump` (`pg_dump --format=custom`, taken in the same snapshot as the counts);
- `media/…`, every file under MEDIA_ROOT;
- `manifest.json`: the engine, the number of rows of every table and the SHA-256 and size of every file.

`dumpdata`/`loaddata` is not used: it does not keep the history tables' ids, the sequences or the
files, and it does not round-trip.
"""

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from friendship_portal.core.notifications import notify
from friendship_portal.core.roles import administrators

logger = logging.getLogger(__name__)

ARCHIVE_PREFIX = "friendship-portal-"
ARCHIVE_SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, in the user's language."""


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    tables: int
    files: int


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def _tables() -> list[str]:
    """Every table the portal's models (and their many-to-many tables) keep rows in."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted(tables)


def _count(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # nosec B608  # table names come from the models
        counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> dict[str, dict]:
    files = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files[path.relative_to(root).as_posix()] = {"sha256": _sha256(path), "size": path.stat().st_size}
    return files


def _pg_command(connection, program: str) -> tuple[list[str], dict]:
    params = connection.settings_dict
    command = [program, "--no-owner", "--no-privileges"]
    if params.get("HOST"):
        command += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        command += ["--port", str(params["PORT"])]
    if params.get("USER"):
        command += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return command, env


def _run(command: list[str], env: dict) -> None:
    finished = subprocess.run(command, env=env, capture_output=True, text=True)  # nosec B603  # a fixed program, no shell
    if finished.returncode:
        raise BackupError(
            _("%(program)s failed: %(error)s") % {"program": command[0], "error": finished.stderr.strip()[-2000:]}
        )


def _dump_sqlite(alias: str, folder: Path, tables: list[str]) -> tuple[str, dict[str, int]]:
    connection = connections[alias]
    if connection.in_atomic_block:
        # SQLite's online backup waits for the writer to finish: from inside its own transaction, forever.
        raise BackupError(_("A backup cannot be taken inside a transaction."))
    connection.ensure_connection()
    target_path = folder / "database.sqlite3"
    target = sqlite3.connect(target_path)
    try:
        connection.connection.backup(target)
        counts = _count(target.cursor(), tables, connection.ops.quote_name)
    finally:
        target.close()
    return target_path.name, counts


def _dump_postgresql(alias: str, folder: Path, tables: list[str]) -> tuple[str, dict[str, int]]:
    """pg_dump reads the snapshot the counts were taken in, so both describe the same moment."""
    connection = connections[alias]
    snapshot_holder = connection.get_new_connection(connection.get_connection_params())
    try:
        snapshot_holder.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with snapshot_holder.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count(cursor, tables, connection.ops.quote_name)
            target = folder / "database.pgdump"
            command, env = _pg_command(connection, "pg_dump")
            command += ["--format=custom", "--snapshot", snapshot, "--file", str(target)]
            command.append(connection.settings_dict["NAME"])
            _run(command, env)
        snapshot_holder.rollback()
    finally:
        snapshot_holder.close()
    return target.name, counts


def backup_create(*, output: Path | None = None, using: str = "default") -> Path:
    """Write one archive of the database and the media files; returns its path.

    `output` is a folder (the archive gets a dated name) or a file name; by default the folder
    PORTAL_BACKUP_DIR. The archive appears under its name only once it is complete.
    """
    engine = _engine(using)
    if output is None:
        output = Path(settings.PORTAL_BACKUP_DIR)
    output = Path(output)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if output.is_dir() or not output.suffix:
        output.mkdir(parents=True, exist_ok=True)
        archive = output / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        archive = output
    tables = _tables()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        work = Path(work)
        dump = _dump_sqlite if engine == "sqlite" else _dump_postgresql
        database_name, counts = dump(using, work, tables)
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": database_name,
            "counts": counts,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        partial = archive.with_name(f".{archive.name}.partial")
        # The archive holds password hashes, second-factor secrets and classified files: its owner alone reads it.
        with (
            open(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "wb") as handle,
            tarfile.open(fileobj=handle, mode="w:gz") as tar,
        ):
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(work / database_name, arcname=database_name)
            for name in files:
                tar.add(media_root / name, arcname=f"media/{name}", recursive=False)
        os.replace(partial, archive)
    logger.info("backup written to %s (%s rows, %s files)", archive, sum(counts.values()), len(files))
    return archive


def _read_archive(archive: Path, folder: Path) -> dict:
    if not archive.is_file():
        raise BackupError(_("There is no archive at %(path)s.") % {"path": archive})
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                name = member.name
                if not (name in (MANIFEST, "database.sqlite3", "database.pgdump") or name.startswith("media/")):
                    raise BackupError(_("The archive holds an unexpected entry: %(name)s.") % {"name": name})
            # The "data" filter refuses absolute paths, "..", links out of the folder and device files.
            tar.extractall(folder, filter="data")
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (tarfile.TarError, OSError, ValueError) as error:
        raise BackupError(_("The archive cannot be read: %(error)s") % {"error": error}) from error
    if manifest.get("format") != FORMAT or not (folder / manifest.get("database", "")).is_file():
        raise BackupError(_("The archive is not a backup of this portal."))
    return manifest


def _existing_tables(alias: str) -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def backup_restore(*, archive: Path, using: str = "default") -> RestoreResult:
    """Load `archive` into the empty database `using` and its files into MEDIA_ROOT, then check every
    count and every file against the manifest. Nothing is loaded when the database holds tables or a
    file of the archive would replace a different one."""
    engine = _engine(using)
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        work = Path(work)
        manifest = _read_archive(Path(archive), work)
        if manifest["engine"] != engine:
            raise BackupError(
                _("The archive holds a %(archived)s database; this portal runs on %(engine)s.")
                % {"archived": manifest["engine"], "engine": engine}
            )
        if _existing_tables(using):
            raise BackupError(_("The database is not empty: restore loads an archive only into an empty database."))
        for name, facts in manifest["files"].items():
            present = media_root / name
            if present.exists() and _sha256(present) != facts["sha256"]:
                raise BackupError(
                    _("%(path)s already exists with other content; nothing was restored.") % {"path": present}
                )

        if engine == "sqlite":
            target = Path(connection.settings_dict["NAME"])
            if str(target) == ":memory:" or "mode=memory" in str(target):
                raise BackupError(_("An in-memory database cannot be restored into."))
            connection.close()
            partial = target.with_name(f".{target.name}.restoring")
            shutil.copyfile(work / manifest["database"], partial)
            os.replace(partial, target)
        else:
            command, env = _pg_command(connection, "pg_restore")
            command += ["--exit-on-error", "--single-transaction", "--dbname", connection.settings_dict["NAME"]]
            command.append(str(work / manifest["database"]))
            connection.close()
            _run(command, env)

        for name in manifest["files"]:
            destination = media_root / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / "media" / name, destination)

    problems = []
    with connection.cursor() as cursor:
        found = _count(cursor, sorted(manifest["counts"]), connection.ops.quote_name)
    for table, expected in manifest["counts"].items():
        if found[table] != expected:
            problems.append(
                _("table %(table)s: %(found)s rows, the manifest says %(expected)s")
                % {"table": table, "found": found[table], "expected": expected}
            )
    for name, facts in manifest["files"].items():
        path = media_root / name
        if not path.is_file() or _sha256(path) != facts["sha256"]:
            problems.append(_("file %(name)s differs from the manifest") % {"name": name})
    if problems:
        raise BackupError(_("The restored data does not match the manifest:") + "\n" + "\n".join(problems))
    return RestoreResult(rows=sum(found.values()), tables=len(found), files=len(manifest["files"]))


def backups_prune(*, folder: Path | None = None, keep: int | None = None) -> list[Path]:
    """Delete all but the `keep` newest archives in `folder`; returns the deleted paths."""
    folder = Path(folder or settings.PORTAL_BACKUP_DIR)
    keep = settings.PORTAL_BACKUP_KEEP if keep is None else keep
    archives = sorted(folder.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"), key=lambda path: path.name, reverse=True)
    removed = archives[max(keep, 1) :]
    for path in removed:
        path.unlink()
    return removed


def backup_nightly() -> Path:
    """The scheduled backup: a new archive in PORTAL_BACKUP_DIR, then the oldest beyond
    PORTAL_BACKUP_KEEP are deleted. When it fails, the administrators are told and every earlier
    archive is kept."""
    folder = Path(settings.PORTAL_BACKUP_DIR)
    try:
        archive = backup_create(output=folder)
    except Exception as error:
        logger.exception("nightly backup failed")
        notify(
            users=administrators(),
            subject=_("The nightly backup failed"),
            message=_("The nightly backup failed: %(error)s. The earlier archives in %(folder)s are kept.")
            % {"error": error, "folder": folder},
        )
        raise
    backups_prune(folder=folder)
    return archive

"""`manage.py backup` and `manage.py restore`: the demo goes into one archive and comes back into an
empty database with every row count and every file checksum equal, on SQLite and on PostgreSQL
(whichever the suite runs on); the nightly task keeps a number of archives and tells the
administrators when it fails."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_celery_beat.models import PeriodicTask

from friendship_portal.core import backups
from friendship_portal.core.backups import BackupError, backup_create, backup_restore
from friendship_portal.core.models import Notification
from friendship_portal.core.tasks import backup_nightly_task

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "delegations/2026/kế-hoạch-đoàn-ra.pdf": b"%PDF-1.4 the plan\n",
    "reports/tong-hop-ngan-sach-2026.xlsx": bytes(range(256)) * 40,
}


def tables_and_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.count()
    return counts


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


class EmptyDatabase:
    """A second, empty database of the suite's engine, and a `manage.py` that runs against it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.media = folder / "restored-media"
        if connection.vendor == "sqlite":
            self.path = folder / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            params = connection.settings_dict
            self.name = f"{params['NAME']}_restored"[:63]
            self.admin = {
                "dbname": "postgres",
                "user": params["USER"],
                "password": params["PASSWORD"],
                "host": params["HOST"],
                "port": params["PORT"] or 5432,
            }
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
            credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
            self.url = f"postgres://{credentials}@{params['HOST']}:{params['PORT'] or 5432}/{self.name}"

    def _execute(self, *statements):
        admin_connection = psycopg2.connect(**self.admin)
        admin_connection.autocommit = True
        try:
            with admin_connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            admin_connection.close()

    def manage(self, *arguments) -> subprocess.CompletedProcess:
        env = dict(
            os.environ,
            DATABASE_URL=self.url,
            DJANGO_MEDIA_ROOT=str(self.media),
            PORTAL_VAR_DIR=str(self.folder / "var"),
            DJANGO_SETTINGS_MODULE="friendship_portal.settings",
        )
        return subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    def counts(self, tables) -> dict[str, int]:
        if connection.vendor == "sqlite":
            reader = sqlite3.connect(self.path)
        else:
            reader = psycopg2.connect(**dict(self.admin, dbname=self.name))
        try:
            cursor = reader.cursor()
            found = {}
            for table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                found[table] = cursor.fetchone()[0]
            return found
        finally:
            reader.close()

    def drop(self):
        if connection.vendor != "sqlite":
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}"')


@pytest.fixture
def empty_database(tmp_path):
    database = EmptyDatabase(tmp_path)
    yield database
    database.drop()


def put_files(media_root: Path) -> None:
    for name, content in FILES.items():
        path = media_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_comes_back_from_its_archive_with_every_count_and_file(media_root, tmp_path, empty_database):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    put_files(media_root)
    expected_counts = tables_and_counts()
    expected_files = checksums(media_root)
    assert sum(expected_counts.values()) > 1000 and len(expected_files) == len(FILES)

    printed = io.StringIO()
    call_command("backup", output=tmp_path / "archives", stdout=printed)
    archive = Path(printed.getvalue().strip())
    assert archive.parent == tmp_path / "archives" and archive.name.startswith("friendship-portal-")
    assert archive.is_file() and archive.name.endswith(".tar.gz")

    restored = empty_database.manage("restore", str(archive))

    assert restored.returncode == 0, restored.stderr
    assert "khớp với bản kê" in restored.stdout
    assert empty_database.counts(expected_counts) == expected_counts
    assert checksums(empty_database.media) == expected_files


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_archive_whose_file_was_changed_is_reported_not_trusted(media_root, tmp_path, empty_database):
    put_files(media_root)
    archive = backup_create(output=tmp_path / "portal.tar.gz")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(tampered, "w:gz") as copy:
        for member in original.getmembers():
            content = original.extractfile(member).read()
            if member.name == "media/delegations/2026/kế-hoạch-đoàn-ra.pdf":
                content = b"%PDF-1.4 another plan\n"
                member.size = len(content)
            copy.addfile(member, io.BytesIO(content))

    restored = empty_database.manage("restore", str(tampered))

    assert restored.returncode != 0
    assert "kế-hoạch-đoàn-ra.pdf" in restored.stderr
    assert "khác với bản kê" in restored.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_is_not_empty(media_root, tmp_path):
    put_files(media_root)
    archive = backup_create(output=tmp_path)
    before = tables_and_counts()
    (media_root / "delegations/2026/kế-hoạch-đoàn-ra.pdf").write_bytes(b"changed since the backup")

    with pytest.raises(BackupError, match="không trống"):
        backup_restore(archive=archive)

    assert tables_and_counts() == before
    assert (media_root / "delegations/2026/kế-hoạch-đoàn-ra.pdf").read_bytes() == b"changed since the backup"


def test_an_archive_with_a_path_out_of_its_folder_is_refused(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in {
            "manifest.json": json.dumps({"format": 1, "engine": connection.vendor, "database": "database.sqlite3"}),
            "database.sqlite3": "",
            "media/../../escaped.txt": "out",
        }.items():
            member = tarfile.TarInfo(name)
            member.size = len(content.encode())
            tar.addfile(member, io.BytesIO(content.encode()))

    with pytest.raises(BackupError):
        backup_restore(archive=archive)

    assert not (tmp_path.parent / "escaped.txt").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_nightly_backup_keeps_the_newest_archives(settings, tmp_path):
    settings.PORTAL_BACKUP_DIR = tmp_path
    settings.PORTAL_BACKUP_KEEP = 2
    for stamp in ("20260101-020000", "20260102-020000", "20260103-020000"):
        (tmp_path / f"friendship-portal-{stamp}.tar.gz").write_bytes(b"an older archive")
    (tmp_path / "notes.txt").write_text("not an archive")

    made = Path(backup_nightly_task.delay().get())

    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["friendship-portal-20260103-020000.tar.gz", made.name, "notes.txt"]
    )
    with tarfile.open(made) as archive:
        assert archive.getnames()[0] == "manifest.json"
    assert made.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_nightly_backup_tells_the_administrators_and_keeps_the_earlier_archives(
    settings, tmp_path, cast, monkeypatch
):
    settings.PORTAL_BACKUP_DIR = tmp_path
    settings.PORTAL_BACKUP_KEEP = 1
    earlier = [tmp_path / f"friendship-portal-2026010{day}-020000.tar.gz" for day in (1, 2)]
    for path in earlier:
        path.write_bytes(b"an earlier archive")

    def disk_full(root):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_media_files", disk_full)

    with pytest.raises(OSError):
        backup_nightly_task.delay()

    assert all(path.exists() for path in earlier)
    assert not list(tmp_path.glob(".*partial"))
    told = Notification.objects.get()
    assert told.user == cast.admin
    assert "Sao lưu hằng đêm không thành công" in told.message and "No space left on device" in told.message


@pytest.mark.django_db
def test_the_nightly_backup_is_scheduled():
    task = PeriodicTask.objects.get(task="friendship_portal.core.tasks.backup_nightly_task")
    assert task.enabled and task.crontab.hour == "2"

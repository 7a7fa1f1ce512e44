"""The migrated test database, kept between runs (a file for SQLite, a template database on PostgreSQL).

Migrating the test database costs seconds of Django building model states, and pytest-django pays
them in every xdist worker of every run (`make test` starts four workers). For the in-memory SQLite
database of a local run, the first worker to need it migrates as usual and leaves a copy under
var/test-databases/, named by a fingerprint of everything the migrations and their post-migrate
handlers read: the portal's code and data files, the locked requirements, Django, Python and the
settings taken from the environment. The other workers, and later runs while nothing changed,
load that copy. On PostgreSQL (CI) the copy is a template database on the server, named by the same
fingerprint (`tpl_<database>_<fingerprint>`): the first worker migrates its test database and copies
it to the template, every other worker (and the browser tests' run after the unit tests) is created
from the template with `CREATE DATABASE … TEMPLATE`, a tenth of a second against ten of migrating.
"""

import fcntl
import hashlib
import io
import os
import sqlite3
import sys
from contextlib import closing, contextmanager
from pathlib import Path

import django
from django.conf import settings
from django.db.backends.postgresql.creation import DatabaseCreation as PostgreSQLCreation
from django.db.backends.sqlite3.creation import DatabaseCreation

ROOT = Path(__file__).resolve().parent.parent
SOURCE_SUFFIXES = {".py", ".csv", ".json"}
ENVIRONMENT_PREFIXES = ("DJANGO_", "PORTAL_", "DATABASE_")
KEEP = 5
# pg_advisory_lock's key for making and copying the test template (any constant the portal uses nowhere else)
TEMPLATE_LOCK = 0x46505442


def fingerprint() -> str:
    digest = hashlib.sha256(f"{django.get_version()} {sys.version}".encode())
    for name, value in sorted(os.environ.items()):
        if name.startswith(ENVIRONMENT_PREFIXES):
            digest.update(f"{name}={value}\n".encode())
    packages = sorted(path.parent for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests")
    files = [ROOT / "requirements.lock"]
    for package in packages:
        files += sorted(path for path in package.rglob("*") if path.suffix in SOURCE_SUFFIXES)
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@contextmanager
def _locked(path: Path):
    """One process at a time builds or reads the copy (xdist workers start together)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # forgotten meanwhile by another run
        return 0.0


def _forget_old_copies(folder: Path, keep: int = KEEP) -> None:
    """Keep the newest few: another checkout or branch may still be using its own."""
    copies = sorted(folder.glob("*.sqlite3"), key=_modified, reverse=True)
    for old in copies[keep:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".lock").unlink(missing_ok=True)


@contextmanager
def copies_kept():
    """Within the block, Django creates an in-memory SQLite test database from the kept copy."""
    create_test_db = DatabaseCreation.create_test_db

    def create_from_copy(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        name = self._get_test_db_name()
        if not keepdb and self.connection.vendor == "postgresql":
            _create_from_template(self, create_test_db, verbosity, name)
        elif keepdb or not self.is_in_memory_db(name):
            return create_test_db(self, verbosity, autoclobber, serialize, keepdb)
        else:
            folder = Path(settings.VAR_DIR) / "test-databases"
            copy = folder / f"{fingerprint()}.sqlite3"
            with _locked(copy):
                if not copy.exists():
                    create_test_db(self, verbosity, autoclobber, serialize, keepdb)
                    partial = copy.with_suffix(f".{os.getpid()}.partial")
                    with closing(sqlite3.connect(partial)) as target:
                        self.connection.connection.backup(target)
                    os.replace(partial, copy)
                    _forget_old_copies(folder)
                    return name
                _switch_to(self, name)
                with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as source:
                    source.backup(self.connection.connection)
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        return name

    DatabaseCreation.create_test_db = create_from_copy
    PostgreSQLCreation.create_test_db = create_from_copy
    try:
        yield
    finally:
        DatabaseCreation.create_test_db = create_test_db
        PostgreSQLCreation.create_test_db = create_test_db


def _switch_to(creation, name: str) -> None:
    """Point the connection at the test database `name`, as Django's create_test_db does."""
    creation.connection.close()
    settings.DATABASES[creation.connection.alias]["NAME"] = name
    creation.connection.settings_dict["NAME"] = name
    creation.connection.ensure_connection()


def _create_from_template(creation, create_test_db, verbosity: int, name: str) -> None:
    """The PostgreSQL test database `name`, copied from the migrated template (made first if missing).

    The workers of every run on the server take turns under an advisory lock; a template is only ever
    written whole (made under another name, then renamed), and the server keeps the newest few."""
    prefix = f"tpl_{creation.connection.settings_dict['NAME']}_"[:42]
    template = f"{prefix}{fingerprint()}"
    quote = creation.connection.ops.quote_name
    with creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [TEMPLATE_LOCK])
        try:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                create_test_db(creation, verbosity, autoclobber=True, serialize=False, keepdb=False)
                creation.connection.close()
                partial = f"{template}_partial"
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(partial)}")
                cursor.execute(f"CREATE DATABASE {quote(partial)} TEMPLATE {quote(name)}")
                cursor.execute(f"ALTER DATABASE {quote(partial)} RENAME TO {quote(template)}")
                _forget_old_templates(cursor, prefix, template, quote)
            else:
                if verbosity >= 1:
                    creation.log(f"Creating test database {name} from the template {template}...")
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
                cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [TEMPLATE_LOCK])
    _switch_to(creation, name)


def _forget_old_templates(cursor, prefix: str, current: str, quote, keep: int = KEEP) -> None:
    """Drop all but the newest few templates of this database (another checkout may use its own)."""
    cursor.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s ORDER BY oid DESC",
        [prefix.replace("_", r"\_") + "%", current],
    )
    for (old,) in cursor.fetchall()[keep - 1 :]:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")


# --- the database emptied and filled again around each transactional test ----------------------------
#
# A browser test (live_server) and a test that commits run on a real transaction: pytest-django empties the
# database after it (flush) and, for the browser tests, loads again what the migrations wrote (the roles,
# the associations, the communes: `serialized_rollback`). On PostgreSQL, Django empties it with one TRUNCATE
# of the 99 tables, 0.8 s, where DELETE FROM each of those few-row tables takes 0.07 s; and it loads the
# migrations' 700 rows back one save at a time, 0.8 s, where one INSERT a table does. Within the test
# session both are done the quick way; what they leave is the same.


def _flush_by_deleting(original):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # Every foreign key of the portal's tables is deferrable: checked once the flush's transaction ends,
        # when every table is empty.
        return ["SET CONSTRAINTS ALL DEFERRED;", *(f"DELETE FROM {self.quote_name(table)};" for table in tables)]

    return sql_flush


def _deserialize_a_table_at_a_time(original):
    def deserialize_db_from_string(self, data: str) -> None:
        """Django's deserialize_db_from_string, each model's rows written with one insert (or a few) into
        the emptied tables; Django's own, which updates rows already there, before the first flush."""
        from django.contrib.contenttypes.models import ContentType

        if ContentType.objects.using(self.connection.alias).exists():
            return original(self, data)
        return _insert_a_table_at_a_time(self, data)

    return deserialize_db_from_string


def _insert_a_table_at_a_time(self, data: str) -> None:
    from django.core import serializers
    from django.db.transaction import atomic

    rows: dict = {}
    related: list = []
    with atomic(using=self.connection.alias):
        with self.connection.constraint_checks_disabled():
            for deserialized in serializers.deserialize("json", io.StringIO(data), using=self.connection.alias):
                instance = deserialized.object
                if instance._meta.parents:  # a child of multi-table inheritance: as Django writes it
                    deserialized.save()
                else:
                    rows.setdefault(type(instance), []).append(instance)
                if deserialized.m2m_data:
                    related.append(deserialized)
            for model, instances in rows.items():
                # Written raw, as the deserializer saves them: the timestamps as they were, no signals.
                fields = model._meta.local_concrete_fields
                size = self.connection.ops.bulk_batch_size(fields, instances) or len(instances)
                manager = model._base_manager.using(self.connection.alias)
                for start in range(0, len(instances), size):
                    manager._insert(instances[start : start + size], fields=fields, raw=True)
            for deserialized in related:
                for name, values in deserialized.m2m_data.items():
                    getattr(deserialized.object, name).set(values)
        self.connection.check_constraints(table_names=[model._meta.db_table for model in rows])


@contextmanager
def quick_flush_and_reload():
    """Within the block, a transactional test's database is emptied and filled again the quick way."""
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.backends.postgresql.operations import DatabaseOperations

    sql_flush = DatabaseOperations.sql_flush
    deserialize = BaseDatabaseCreation.deserialize_db_from_string
    DatabaseOperations.sql_flush = _flush_by_deleting(sql_flush)
    BaseDatabaseCreation.deserialize_db_from_string = _deserialize_a_table_at_a_time(deserialize)
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = sql_flush
        BaseDatabaseCreation.deserialize_db_from_string = deserialize

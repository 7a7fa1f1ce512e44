"""The scratch databases of the benchmarks, and the environment the portal runs in for them.

Each scale has its own database: `portal_bench_<N>` on the PostgreSQL at 127.0.0.1:5432 when it
answers, else `var/bench/portal_bench_<N>.sqlite3`. A database is built once (migrate, seed_demo
--force, generate_load --scale N when N > 1) and kept: a table `bench_build` written at the end of a
successful build says so. A database without it (a build cut short) is dropped and built again.

Nothing here imports Django: the portal runs in subprocesses given `portal_env(…)`.
"""

import datetime
import os
import secrets
import shutil
import sqlite3
import subprocess  # nosec B404  # runs manage.py with the venv's python, no shell
import sys
import time
from pathlib import Path
from urllib.parse import quote

import dj_database_url
import psycopg2
from psycopg2 import errors, sql

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
GENERATE_LOAD = ROOT / "friendship_portal" / "overview" / "management" / "commands" / "generate_load.py"
HOSTS = "testserver,127.0.0.1,localhost"


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def secret_key() -> str:
    """One random key per machine, kept under var/bench (sessions survive from one run to the next)."""
    path = BENCH_VAR / "secret-key"
    if not path.exists():
        BENCH_VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def postgres_reachable() -> bool:
    try:
        psycopg2.connect(dbname="postgres", user=PG_USER, host=PG_HOST, port=PG_PORT, connect_timeout=3).close()
    except psycopg2.OperationalError:
        return False
    return True


def default_url(scale: int, *, postgres: bool) -> str:
    if postgres:
        return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/portal_bench_{scale}"
    return f"sqlite:///{BENCH_VAR / f'portal_bench_{scale}.sqlite3'}"


def database_url(scale: int, given: str | None, *, several: bool) -> str:
    """The scratch database of a scale: the given URL (with {scale} filled in) or the default."""
    if given:
        if several and "{scale}" not in given:
            sys.exit("--database-url names one database: with several --scale, put {scale} in it (…/portal_{scale}).")
        return given.replace("{scale}", str(scale))
    return default_url(scale, postgres=postgres_reachable())


def describe(url: str) -> str:
    config = dj_database_url.parse(url)
    if "sqlite" in config["ENGINE"]:
        return f"SQLite {config['NAME']}"
    return f"PostgreSQL {config['NAME']} on {config['HOST']}:{config['PORT'] or 5432}"


def media_root(url: str) -> Path:
    """Each scratch database keeps its files (attachments of the demo) in a folder of its own."""
    name = Path(str(dj_database_url.parse(url)["NAME"])).stem
    return BENCH_VAR / f"media-{'sqlite' if _is_sqlite(url) else 'postgres'}-{name}"


def portal_env(url: str, *, statement_timeout: int | None = None, broker: str = "", cache_url: str | None = None):
    """The portal's production mode (DEBUG off) against a scratch database. Background tasks run
    in-process unless a broker is named; the cache is whatever DJANGO_CACHE_URL says (or `cache_url`)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="friendship_portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secret_key(),
        DJANGO_ALLOWED_HOSTS=HOSTS,
        DATABASE_URL=url,
        PORTAL_VAR_DIR=str(BENCH_VAR),  # static files collected for production mode, backups…
        DJANGO_MEDIA_ROOT=str(media_root(url)),
        DJANGO_LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        PYTHONDONTWRITEBYTECODE="",
    )
    env.pop("CELERY_BROKER_URL", None)
    if broker:
        env["CELERY_BROKER_URL"] = broker
    if cache_url is not None:
        env["DJANGO_CACHE_URL"] = cache_url
    if statement_timeout is not None:
        env["DATABASE_STATEMENT_TIMEOUT"] = str(statement_timeout)
    return env


def manage(url: str, *args: str, quiet: bool = True) -> float:
    """Run `manage.py <args>` against the scratch database (no statement timeout: a build is long)."""
    began = time.monotonic()
    log(f"manage.py {' '.join(args)}")
    result = subprocess.run(  # nosec B603
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=portal_env(url, statement_timeout=0),
        capture_output=quiet,
        text=True,
        check=False,
    )
    if result.returncode:
        if quiet:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        sys.exit(f"manage.py {' '.join(args)} failed (exit {result.returncode})")
    return time.monotonic() - began


# --- the database itself ------------------------------------------------------------------------------


def _pg(url: str, dbname: str | None = None):
    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname=dbname or config["NAME"],
        user=config["USER"] or PG_USER,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or PG_HOST,
        port=config["PORT"] or PG_PORT,
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


def _is_sqlite(url: str) -> bool:
    return "sqlite" in dj_database_url.parse(url)["ENGINE"]


def _sqlite_path(url: str) -> Path:
    return Path(dj_database_url.parse(url)["NAME"])


MARKER_COLUMNS = ("scale", "built_on", "seconds", "generated")


def marker(url: str) -> dict | None:
    """What the build of this database recorded, or None: not there, or its build did not finish."""
    query = "SELECT scale, built_on, seconds, generated FROM bench_build"
    if _is_sqlite(url):
        path = _sqlite_path(url)
        if not path.exists():
            return None
        with sqlite3.connect(path) as connection:
            try:
                row = connection.execute(query).fetchone()
            except sqlite3.OperationalError:
                return None
    else:
        try:
            connection = _pg(url)
        except psycopg2.OperationalError:
            return None
        try:
            with connection.cursor() as cursor:
                cursor.execute(query)
                row = cursor.fetchone()
        except errors.UndefinedTable:
            row = None
        finally:
            connection.close()
    return dict(zip(MARKER_COLUMNS, row, strict=True)) if row else None


def _write_marker(url: str, values: dict) -> None:
    create = "CREATE TABLE bench_build (scale integer, built_on text, seconds real, generated integer)"
    insert = "INSERT INTO bench_build VALUES (%s, %s, %s, %s)"
    row = [values[name] for name in MARKER_COLUMNS]
    if _is_sqlite(url):
        with sqlite3.connect(_sqlite_path(url)) as connection:
            connection.execute(create)
            connection.execute(insert.replace("%s", "?"), row)
        return
    connection = _pg(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(create)
            cursor.execute(insert, row)
    finally:
        connection.close()


def drop_and_create(url: str) -> None:
    if _is_sqlite(url):
        path = _sqlite_path(url)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        name = dj_database_url.parse(url)["NAME"]
        connection = _pg(url, dbname="postgres")
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        finally:
            connection.close()
    shutil.rmtree(media_root(url), ignore_errors=True)


def collect_static(url: str) -> None:
    """Production mode serves hashed static files from a manifest: collect them once under var/bench,
    again only when a file of static/ is newer than the manifest."""
    manifest = BENCH_VAR / "staticfiles" / "staticfiles.json"
    if manifest.exists():
        newest = max((path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file()), default=0)
        if newest < manifest.stat().st_mtime:
            return
    manage(url, "collectstatic", "--noinput")


def analyze(url: str) -> None:
    """Fresh planner statistics and visibility maps, as autovacuum leaves a table some time after a load:
    one with it off (as on some CI machines) never does, and PostgreSQL then plans for tables of a few
    rows (nested loops over thousands) and its index-only scans read the table's pages as well. SQLite is
    left as the portal leaves it (never analysed)."""
    if _is_sqlite(url):
        return
    began = time.monotonic()
    connection = _pg(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()
    log(f"VACUUM ANALYZE in {time.monotonic() - began:.1f} s")


def autovacuum(url: str) -> str:
    if _is_sqlite(url):
        return ""
    connection = _pg(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def ensure_database(scale: int, url: str, *, rebuild: bool) -> dict:
    """Build the scratch database of `scale` unless a finished build is there; migrate it either way."""
    found = None if rebuild else marker(url)
    if found is not None and found["scale"] != scale:
        sys.exit(f"{describe(url)} was built for scale {found['scale']}, not {scale}: pass --rebuild or another URL.")
    collect_static(url)
    if found is not None:
        log(f"scale {scale}: reusing {describe(url)} (built {found['built_on']} in {found['seconds']:.0f} s)")
        manage(url, "migrate", "--noinput")
        analyze(url)
        return found
    if scale > 1 and not GENERATE_LOAD.exists():
        sys.exit(f"scale {scale} needs `manage.py generate_load` ({GENERATE_LOAD.relative_to(ROOT)}), not there yet.")
    log(f"scale {scale}: building {describe(url)}")
    began = time.monotonic()
    drop_and_create(url)
    manage(url, "migrate", "--noinput")
    manage(url, "seed_demo", "--force")
    if scale > 1:
        manage(url, "generate_load", "--scale", str(scale))
    values = {
        "scale": scale,
        "built_on": datetime.date.today().isoformat(),
        "seconds": round(time.monotonic() - began, 1),
        "generated": int(scale > 1),
    }
    analyze(url)
    _write_marker(url, values)
    log(f"scale {scale}: built in {values['seconds']:.0f} s")
    return values


def redacted(url: str) -> str:
    config = dj_database_url.parse(url)
    if config.get("PASSWORD"):
        return url.replace(quote(config["PASSWORD"], safe=""), "***").replace(config["PASSWORD"], "***")
    return url

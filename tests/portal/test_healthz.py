"""/healthz answers JSON within 5 seconds whatever state the database and the broker are in: 200 when
both answer, 503 when either is down or frozen, with or without a session cookie.

The frozen cases measure the answer's time with a real clock: they assert the upper bound the health
check promises (its own deadline), not a speed. They run with a deadline of half a second, which the
code's (under the 5 seconds) is held to by its own test, so that the suite does not wait 4 s a case.
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.test import override_settings

from friendship_portal.core import health

ANSWERS_WITHIN_SECONDS = 5
SHORT_DEADLINE_SECONDS = 0.5
ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=f"needs PostgreSQL's statement_timeout and pg_sleep; this run uses {connection.vendor}",
)


def answer(client) -> tuple[int, dict, float]:
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content), elapsed


@pytest.fixture
def database_down(monkeypatch):
    """Every connection, in every thread, fails as when PostgreSQL is stopped."""

    def refused(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refused)


@pytest.fixture
def short_deadline(monkeypatch):
    """The checks are waited for half a second (the answer's bound is the deadline, whatever it is)."""
    monkeypatch.setattr(health, "DEADLINE_SECONDS", SHORT_DEADLINE_SECONDS)


def test_the_deadline_is_under_what_a_load_balancer_waits():
    assert health.DEADLINE_SECONDS < ANSWERS_WITHIN_SECONDS


@pytest.fixture
def frozen_database(monkeypatch, short_deadline):
    """The health check's query never comes back (a database that accepts connections and then hangs)
    until the test thaws it; every other query runs as usual."""
    thaw = threading.Event()
    execute = CursorWrapper.execute

    def hanging(self, sql, params=None):
        if sql == health.DATABASE_QUERY and threading.current_thread().name.startswith("healthz"):
            thaw.wait(timeout=60)
        return execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", hanging)
    yield thaw
    thaw.set()


@pytest.mark.django_db
def test_healthz_answers_without_login(client, settings):
    status, body, _elapsed = answer(client)
    assert status == 200
    assert body["database"] == "ok"
    expected_broker = "not configured" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body["broker"] == expected_broker
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_the_same_json_shape_healthy_or_not(client, database_down):
    status, body, _elapsed = answer(client)
    assert status == 503
    assert set(body) == {"status", "database", "broker"}
    assert all(isinstance(value, str) for value in body.values())
    assert client.get("/healthz")["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, database_down):
    status, body, elapsed = answer(client)
    assert status == 503
    assert body["status"] == "error"
    assert body["database"] == "error: OperationalError"
    assert elapsed < ANSWERS_WITHIN_SECONDS


@pytest.mark.django_db
def test_healthz_is_503_json_when_the_database_is_down_for_a_signed_in_user(client, cast, monkeypatch):
    # The session and the user are read from the database: the check must answer before they are.
    client.force_login(cast.staff)

    def refused(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refused)
    status, body, _elapsed = answer(client)
    assert status == 503
    assert body["database"] == "error: OperationalError"


@pytest.mark.django_db
def test_healthz_is_503_within_its_deadline_when_the_database_is_frozen(client, cast, frozen_database):
    client.force_login(cast.staff)
    status, body, elapsed = answer(client)
    assert status == 503
    assert body["database"] == "error: timeout"
    assert SHORT_DEADLINE_SECONDS <= elapsed < SHORT_DEADLINE_SECONDS + 1

    # While that check still hangs, the next probe says so at once instead of starting another.
    status, body, elapsed = answer(client)
    assert status == 503
    assert body["database"].startswith("error: timeout")
    assert elapsed < 1

    frozen_database.set()
    deadline = time.monotonic() + 10
    while answer(client)[0] != 200:
        assert time.monotonic() < deadline, "the check never recovered once the database answered again"
        time.sleep(0.05)


@pytest.mark.django_db
def test_healthz_is_503_when_the_configured_broker_is_down(client):
    # Nothing listens on port 1: a configured broker that cannot be reached makes the portal unhealthy.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        status, body, elapsed = answer(client)
    assert status == 503
    assert body["broker"].startswith("error")
    assert body["database"] == "ok"
    assert elapsed < ANSWERS_WITHIN_SECONDS


@pytest.mark.django_db
def test_healthz_is_503_within_its_deadline_when_the_broker_is_frozen(client, monkeypatch, short_deadline):
    thaw = threading.Event()
    monkeypatch.setattr(health, "broker_state", lambda: "ok" if thaw.wait(timeout=60) else "error: stuck")
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:6379/0"):
            status, body, elapsed = answer(client)
    finally:
        thaw.set()
    assert status == 503
    assert body["broker"] == "error: timeout"
    assert body["database"] == "ok"
    assert SHORT_DEADLINE_SECONDS <= elapsed < SHORT_DEADLINE_SECONDS + 1


@pytest.mark.django_db
def test_healthz_answers_a_probe_that_names_the_machine_by_its_address(client, settings):
    settings.ALLOWED_HOSTS = ["huunghi.example"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@ON_POSTGRESQL
@pytest.mark.django_db
def test_the_check_statement_timeout_cuts_a_query_that_hangs_on_postgresql(client, monkeypatch):
    monkeypatch.setattr(health, "DATABASE_QUERY", "SELECT pg_sleep(30)")
    status, body, elapsed = answer(client)
    assert status == 503
    # Cancelled by PostgreSQL (QueryCanceled is an OperationalError), not given up on by the waiter.
    assert body["database"] == "error: OperationalError"
    assert elapsed < health.DEADLINE_SECONDS


@ON_POSTGRESQL
@pytest.mark.django_db
def test_requests_run_under_the_statement_timeout_setting_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


def test_the_connect_and_statement_timeouts_are_read_from_the_environment():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    environment.update(
        DATABASE_URL="postgres://portal@db.invalid:5432/portal",
        DATABASE_CONNECT_TIMEOUT="2",
        DATABASE_STATEMENT_TIMEOUT="45",
    )
    # The settings alone, as every process reads them first (the apps need not be loaded for it).
    script = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**environment, "DJANGO_SETTINGS_MODULE": "friendship_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "'connect_timeout': 2" in result.stdout
    assert "statement_timeout=45000" in result.stdout

"""The test database on PostgreSQL: commits that do not wait for the disk, and the portal's own
connection settings kept beside that (tests/conftest.py, `django_db_modify_db_settings`)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason=f"PostgreSQL only; this run uses {connection.vendor}"),
    pytest.mark.django_db,
]


def show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_test_database_commits_without_waiting_for_the_disk():
    assert show("synchronous_commit") == "off"


def test_the_portal_connection_settings_still_apply():
    assert show("statement_timeout") == "30s"

"""Fixtures for the scholarship tests: the stopped clock's day, running an import (the clock itself and
uploads on tmp_path: tests/conftest.py)."""

import pytest

from friendship_portal.core.imports import import_start
from scholarships.imports import STUDENT_IMPORT
from tests.scholarships.support import TODAY, upload


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes seconds rather than milliseconds; still runs in CI (`make test` does not skip it)"
    )


@pytest.fixture
def clock_day():
    return TODAY


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Upload a workbook as `actor` the way the import page does; the job runs on commit.

    Returns the job as it stands afterwards.
    """

    def run(actor, content: bytes, name: str = "luu-hoc-sinh-lao.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_start(kind=STUDENT_IMPORT.kind, upload=upload(content, name), actor=actor)
        job.refresh_from_db()
        return job

    return run

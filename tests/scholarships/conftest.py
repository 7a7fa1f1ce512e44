"""Fixtures for the scholarship tests: a stopped clock, uploads on tmp_path, running an import."""

import pytest
import time_machine

from friendship_portal.core.imports import import_start
from scholarships.imports import STUDENT_IMPORT
from tests.scholarships.support import TODAY, at, upload


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes seconds rather than milliseconds; still runs in CI (`make test` does not skip it)"
    )


@pytest.fixture
def clock():
    """Stop the clock on TODAY at 09:00 in Hà Tĩnh; `clock.move_to(at(day))` moves it."""
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded import files land in the test's own folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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

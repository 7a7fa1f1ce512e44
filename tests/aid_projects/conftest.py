"""Fixtures for the aid tests: the stopped clock for every test, running an import (uploads land on
tmp_path: tests/conftest.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from friendship_portal.core.imports import import_start
from tests.aid_projects.factories import TODAY


@pytest.fixture
def clock_day():
    return TODAY


@pytest.fixture(autouse=True)
def clock(clock):
    """The clock stopped on TODAY at 09:00 in Hà Tĩnh (tests/conftest.py); `clock.move_to(at(day))` moves it.

    Every aid rule reads today's date (decisions, disbursements, reports, revocation), so every
    test runs on the same day whatever the day it really is.
    """
    return clock


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Upload a workbook of `kind` as `actor` the way an import page does; the job runs on commit.

    Returns the job as it stands afterwards.
    """

    def run(actor, kind: str, content: bytes, name: str = "vien-tro.xlsx"):
        upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
        with django_capture_on_commit_callbacks(execute=True):
            job = import_start(kind=kind, upload=upload, actor=actor)
        job.refresh_from_db()
        return job

    return run

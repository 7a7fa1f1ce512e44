"""Fixtures for the aid tests: a stopped clock for every test, uploads on tmp_path, running an import."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from friendship_portal.core.imports import import_start
from tests.aid_projects.factories import TODAY, at


@pytest.fixture(autouse=True)
def clock():
    """Stop the clock on TODAY at 09:00 in Hà Tĩnh; `clock.move_to(at(day))` moves it.

    Every aid rule reads today's date (decisions, disbursements, reports, revocation), so every
    test runs on the same day whatever the day it really is.
    """
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded import files land in the test's own folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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

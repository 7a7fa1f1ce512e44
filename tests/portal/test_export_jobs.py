"""A list export longer than a setting runs as a job that streams every row into the workbook and
offers it on the reports page; a short one is still answered at once. Either way, the rows are the
ones the list shows its user, with the same filters."""

import io

import openpyxl
import pytest
from django.urls import reverse

from friendship_portal.core.models import Job
from tests import factories
from tests.workbooks import HEADER_ROW


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def members(cast):
    laos = [factories.MemberFactory(association=cast.laos, full_name=f"Hội viên Lào {n}") for n in range(4)]
    russia = [factories.MemberFactory(association=cast.russia, full_name=f"Hội viên Nga {n}") for n in range(2)]
    return laos, russia


def names_in(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    header = [cell.value for cell in sheet[HEADER_ROW]]  # under the header block
    column = next(index for index, title in enumerate(header) if title and "tên" in str(title).lower())
    return sorted(row[column] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))


def export(client, query=""):
    return client.get(reverse("associations:member_list") + "?export=xlsx" + query)


def test_a_short_list_is_exported_at_once(cast, login, members, settings):
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 100

    response = export(login(cast.staff))

    assert response.status_code == 200
    assert len(names_in(response.content)) == 6
    assert not Job.objects.exists()


def test_a_long_list_is_exported_by_a_job_with_every_row(
    cast, login, members, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 3
    client = login(cast.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = export(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports"))
    job = Job.objects.get()
    assert (job.family, job.state, job.requested_by) == (Job.Family.REPORT, Job.State.DONE, cast.staff)
    download = client.get(reverse("report_download", args=[job.pk]))
    assert names_in(b"".join(download.streaming_content)) == sorted(m.full_name for m in members[0] + members[1])


def test_the_job_exports_what_the_list_shows_its_user_with_its_filters(
    cast, login, members, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 0
    client = login(cast.laos_leader)

    with django_capture_on_commit_callbacks(execute=True):
        export(client, "&q=L%C3%A0o%201")  # "Lào 1"

    job = Job.objects.get()
    with job.file.open("rb") as stored:
        assert names_in(stored.read()) == ["Hội viên Lào 1"]
    # Only its requester reads it.
    assert login(cast.russia_leader).get(reverse("report_download", args=[job.pk])).status_code == 403

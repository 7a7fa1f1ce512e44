"""A report built by a real Celery worker through the real broker: the request queues it after the
commit, a worker started from the code builds it into the test database, and a job the broker never
received (it was down at the click) is handed over again by the sweep (friendship_portal/core/jobs.py);
an Excel import goes through the same worker.

It needs Redis and PostgreSQL, so it runs in .ci/run's second pass (or by hand, see the skip reason).
The test starts its own worker (tests/reports/workers.py) on a queue of its own, reading this test's
database (suffixed per xdist worker), so the CI's worker, which reads another database, never takes
its tasks.
"""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone

from friendship_portal.core.imports import import_start
from friendship_portal.core.jobs import jobs_sweep
from friendship_portal.core.models import Job
from friendship_portal.core.reports import report_request
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Student
from tests.reports.workers import built, services_missing
from tests.scholarships.support import people, upload, xlsx

pytestmark = [
    pytest.mark.real_broker,
    # Committed for the worker to see, then flushed; the migrations' rows (associations, roles) are
    # put back first, so the tests after this one on the same xdist worker still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(bool(services_missing()), reason=services_missing() or "-"),
]


def sheets_of(job: Job) -> list[str]:
    with job.file.open("rb") as stored:
        return openpyxl.load_workbook(io.BytesIO(stored.read())).sheetnames


def test_a_real_worker_builds_the_report_and_what_the_sweep_hands_over(cast, worker):
    year = timezone.localdate().year

    # A click: the row commits (no surrounding transaction here), then the task goes to the broker.
    job = report_request(kind="portal.budget_summary", params={"year": year}, actor=cast.staff)

    job = built(job, worker)
    assert (job.progress, job.attempts) == (100, 1)
    assert job.file.name == f"reports/{job.pk}/tong-hop-kinh-phi-{year}.xlsx"
    assert sheets_of(job) == ["Tổng hợp", "Học bổng", "Viện trợ", "Đoàn công tác"]

    # The broker was down at the click: the row was stored, nothing was ever queued.
    waited = datetime.timedelta(seconds=settings.JOBS_REQUEUE_AFTER_SECONDS + 5)
    lost = Job.objects.create(
        family=Job.Family.REPORT,
        kind="portal.budget_summary",
        params={"year": year},
        title=f"Tổng hợp kinh phí {year}",
        requested_by=cast.staff,
        queued_at=timezone.now() - waited,
    )

    assert jobs_sweep() == [lost.pk]

    lost = built(lost, worker)
    assert lost.attempts == 1
    assert sheets_of(lost)[0] == "Tổng hợp"

    # An import takes the same road: the upload is stored, the worker checks and writes its rows.
    imported = import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx(people(3))), actor=cast.staff)

    imported = built(imported, worker)
    assert (imported.family, imported.attempts, imported.created_count) == (Job.Family.IMPORT, 1, 3)
    assert Student.objects.count() == 3

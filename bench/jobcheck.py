"""What bench/load.py asks of the scratch database about background jobs (Django side; prints JSON).

python bench/jobcheck.py twice [--year Y]   one report asked for, then handed to the broker a second
                                             time (as after a redelivery or the sweep); waits for it
python bench/jobcheck.py since ISO-TIME      the jobs made since then: by state, by attempts
python bench/jobcheck.py wait ISO-TIME       waits (up to 180 s) until none of those is queued or running
python bench/jobcheck.py clean ISO-TIME      deletes those jobs and their files
"""

import datetime
import json
import sys
import time
from collections import Counter

import accounts  # noqa: F401  (sets Django up)
from django.contrib.auth import get_user_model
from django.utils import timezone

from friendship_portal.core.jobs import job_queue
from friendship_portal.core.models import Job
from friendship_portal.core.reports import report_request

Unfinished = (Job.State.QUEUED, Job.State.RUNNING)


def twice(year: int) -> dict:
    province = get_user_model().objects.get(username="province")
    job = report_request(kind="portal.budget_summary", params={"year": year}, actor=province)  # queued on commit
    job_queue(job.pk)  # a second message for the same job
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state not in Unfinished:
            break
        time.sleep(0.5)
    return {"job": job.pk, "state": job.state, "attempts": job.attempts, "file": job.file.name, "error": job.error}


def since(start: datetime.datetime) -> dict:
    jobs = Job.objects.filter(created_at__gte=start)
    return {
        "jobs": jobs.count(),
        "by_state": dict(Counter(jobs.values_list("state", flat=True))),
        "by_attempts": {str(k): v for k, v in Counter(jobs.values_list("attempts", flat=True)).items()},
        "by_kind": dict(Counter(jobs.values_list("kind", flat=True))),
        "without_file": jobs.filter(state=Job.State.DONE, file="").count(),
    }


def wait(start: datetime.datetime) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and Job.objects.filter(created_at__gte=start, state__in=Unfinished).exists():
        time.sleep(1)
    return since(start)


def clean(start: datetime.datetime) -> dict:
    jobs = list(Job.objects.filter(created_at__gte=start))
    for job in jobs:
        for stored in (job.file, job.upload):
            if stored:
                stored.delete(save=False)
        job.delete()
    return {"deleted": len(jobs)}


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "twice":
        year = int(rest[rest.index("--year") + 1]) if "--year" in rest else timezone.localdate().year
        print(json.dumps(twice(year)))
        return
    start = datetime.datetime.fromisoformat(rest[0])
    print(json.dumps({"since": since, "wait": wait, "clean": clean}[command](start)))


if __name__ == "__main__":
    main()

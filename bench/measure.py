"""Measure one scratch database in-process: run by bench/run.py in a subprocess whose environment is
the portal's production mode (bench/scratch.py `portal_env`). Writes its figures as JSON.

Pages: Django's test Client, logged in as the demo accounts (a session as the login form leaves it,
the second step passed for those who need one), requests marked secure as the TLS proxy would; one
warm-up, then K timed requests, then one more inside CaptureQueriesContext for the query count.
Beside each page, the Django admin's page of the same model (a superuser created here) and the bare
authenticated page, `/accounts/profile/` as staff.

Jobs (exports, reports, the student import): the job's own function (`job_run`, what the Celery task
calls) in a child process forked from this one, inside a transaction rolled back at the end, so the
scratch database is left as it was. Time is wall-clock, memory the child's peak resident size above
its size when it started (Linux VmHWM after resetting it), queries counted by an execute wrapper.
"""

import argparse
import contextlib
import datetime
import io
import json
import math
import os
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import accounts  # noqa: E402  (sets Django up)
from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.core.cache.backends.locmem import LocMemCache  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from aid_projects.models import AidProject, Disbursement, ProgressReport  # noqa: E402
from associations.models import (  # noqa: E402
    Activity,
    Association,
    Branch,
    LaoProvince,
    LeadershipPosition,
    Member,
    Partner,
    WorkPlan,
)
from delegations.models import Delegation  # noqa: E402
from friendship_portal.core import (  # noqa: E402
    figures,  # noqa: E402
    reports,
    two_factors,
)
from friendship_portal.core.jobs import job_run  # noqa: E402
from friendship_portal.core.models import Job  # noqa: E402
from friendship_portal.core.record_views import LIST_EXPORT, LISTS  # noqa: E402
from scholarships.imports import STUDENT_IMPORT  # noqa: E402
from scholarships.models import Award, Enrollment, Institution, Payment, Student, YearlyBudget  # noqa: E402

MB = 1024 * 1024
BARE_URL_NAME = "profile"
# A session is logged out after PORTAL_SESSION_IDLE_MINUTES without a request: log in again well before.
RELOGIN_AFTER_SECONDS = 10 * 60


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- who asks -----------------------------------------------------------------------------------------


class Clients:
    """One logged-in test Client per account, logged in again before its session could go idle."""

    def __init__(self):
        self.clients: dict[str, tuple[Client, float]] = {}

    def get(self, username: str) -> Client:
        client, last = self.clients.get(username, (None, 0.0))
        if client is None or time.monotonic() - last > RELOGIN_AFTER_SECONDS:
            client = self._login(username)
        self.clients[username] = (client, time.monotonic())
        return client

    @staticmethod
    def _login(username: str) -> Client:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        if two_factors.two_factors_required(user):
            # As the code page leaves the session once the authenticator's code was given.
            session[DEVICE_ID_SESSION_KEY] = accounts.authenticator(user).persistent_id
        session[two_factors.SIGN_IN_STEP_SESSION_KEY] = ""
        session.save()
        response = client.get(reverse(BARE_URL_NAME), secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{username}: the bare page answers {response.status_code} {response.get('Location', '')}")
        return client


# --- what is asked ------------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    user: str
    url: str
    admin: str = ""  # the admin page beside it
    uncached: bool = False  # clear the cache before every sample

    @property
    def key(self) -> str:
        return f"{self.user} {self.url} {self.uncached}"


def admin_list(model, query: str = "") -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    model_admin = admin.site._registry.get(model)
    return f"{url}?q={query}" if query and model_admin and model_admin.search_fields else url


def admin_change(record) -> str:
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def most(queryset, relation: str):
    """The record with the most related rows (the heaviest page of its kind), ties by id."""
    return queryset.annotate(bench_n=Count(relation)).order_by("-bench_n", "pk").first()


def pages() -> list[Page]:
    staff, leader, province = "staff", "leader.laos", "province"
    association = Association.objects.filter(code="laos").first() or most(Association.objects, "members")
    member = Member.objects.filter(association=association).order_by("pk").first()
    partner = most(Partner.objects, "activities")
    activity = Activity.objects.order_by("-held_on", "-pk").first()
    plan = most(WorkPlan.objects, "items")
    delegation = most(Delegation.objects.filter(direction="outbound"), "members")
    student = most(Student.objects, "awards")
    institution = most(Institution.objects, "enrollments")
    budget = YearlyBudget.objects.order_by("-year").first()
    project = most(AidProject.objects, "disbursements")
    donor = most(Partner.objects, "aid_projects")
    lao_province = most(LaoProvince.objects, "students")
    country = (
        Partner.objects.exclude(country="VN").values("country").annotate(n=Count("pk")).order_by("-n").first()
        or {"country": "LA"}
    )["country"]
    search = (student.full_name.split()[-1] if student else "a")[:20]

    def r(name, *args, query=""):
        return reverse(name, args=args or None) + (f"?{query}" if query else "")

    listed = [
        Page("Home", staff, r("home"), admin_list(Association)),
        Page("Associations", staff, r("associations:association_list"), admin_list(Association)),
        Page("Branches", staff, r("associations:branch_list"), admin_list(Branch)),
        Page("Members", staff, r("associations:member_list"), admin_list(Member)),
        Page("Leadership", staff, r("associations:leadership_list"), admin_list(LeadershipPosition)),
        Page("Work plans", staff, r("associations:plan_list"), admin_list(WorkPlan)),
        Page("Activities", staff, r("associations:activity_list"), admin_list(Activity)),
        Page("Partners", staff, r("associations:partner_list"), admin_list(Partner)),
        Page("Delegations outbound", staff, r("delegations:outbound_list"), admin_list(Delegation)),
        Page("Delegations inbound", staff, r("delegations:inbound_list"), admin_list(Delegation)),
        Page("Delegations waiting", staff, r("delegations:waiting"), admin_list(Delegation)),
        Page("Delegations overdue reports", staff, r("delegations:overdue"), admin_list(Delegation)),
        Page("Students", staff, r("scholarships:student_list"), admin_list(Student)),
        Page(
            f"Students, search “{search}”",
            staff,
            r("scholarships:student_list", query=f"q={search}"),
            admin_list(Student, search),
        ),
        Page("Institutions", staff, r("scholarships:institution_list"), admin_list(Institution)),
        Page("Yearly budgets", staff, r("scholarships:yearlybudget_list"), admin_list(YearlyBudget)),
        Page("Scholarship budget page", staff, r("scholarships:budget"), admin_list(YearlyBudget)),
        Page("Scholarship budget page, not cached", staff, r("scholarships:budget"), admin_list(YearlyBudget), True),
        Page("Payments of this month", staff, r("scholarships:payments"), admin_list(Award)),
        Page("Student alerts", staff, r("scholarships:alerts"), admin_list(Student)),
        Page("Aid projects", staff, r("aid_projects:project_list"), admin_list(AidProject)),
        Page("Donors", staff, r("aid_projects:donors"), admin_list(Partner)),
        Page("Yearly aid page", staff, r("aid_projects:yearly"), admin_list(Disbursement)),
        Page("Aid alerts", staff, r("aid_projects:alerts"), admin_list(ProgressReport)),
        Page("Reports page", staff, r("reports")),
        Page("Document register", staff, r("document_register")),
    ]
    details = [
        Page(
            "Association (detail)",
            staff,
            r("associations:association_detail", association.pk),
            admin_change(association),
        ),
        Page("Member (detail)", staff, r("associations:member_detail", member.pk), admin_change(member)),
        Page("Partner (detail)", staff, r("associations:partner_detail", partner.pk), admin_change(partner)),
        Page("Activity (detail)", staff, r("associations:activity_detail", activity.pk), admin_change(activity)),
        Page("Work plan (detail)", staff, r("associations:plan_detail", plan.pk), admin_change(plan)),
        Page("Delegation (detail)", staff, r("delegations:detail", delegation.pk), admin_change(delegation)),
        Page("Student (detail)", staff, r("scholarships:student_detail", student.pk), admin_change(student)),
        Page(
            "Institution (detail)",
            staff,
            r("scholarships:institution_detail", institution.pk),
            admin_change(institution),
        ),
        Page("Yearly budget (detail)", staff, r("scholarships:yearlybudget_detail", budget.pk), admin_change(budget)),
        Page("Aid project (detail)", staff, r("aid_projects:project_detail", project.pk), admin_change(project)),
        Page("Donor (detail)", staff, r("aid_projects:donor_detail", donor.pk), admin_change(donor)),
    ]
    overview = [
        Page("Dashboard, cached", province, r("dashboard")),
        Page("Dashboard, not cached", province, r("dashboard"), uncached=True),
        Page("Dashboard print, not cached", province, r("dashboard_print"), uncached=True),
        *(
            Page(f"{label}{', not cached' if uncached else ''}", province, url, uncached=uncached)
            for label, url in (
                (f"Lao province page ({lao_province.name_vi})", r("dashboard_lao_province", lao_province.pk)),
                (f"Country page ({country})", r("dashboard_country", country)),
                (f"Association page ({association.short_name})", r("dashboard_association", association.pk)),
            )
            for uncached in (False, True)
        ),
        Page("Reports page", province, r("reports")),
        Page("Delegations waiting", province, r("delegations:waiting"), admin_list(Delegation)),
    ]
    leaders = [
        Page("Home", leader, r("home"), admin_list(Association)),
        Page("Delegations waiting", leader, r("delegations:waiting"), admin_list(Delegation)),
        Page("Members (own association)", leader, r("associations:member_list"), admin_list(Member)),
        Page("Delegations outbound (own)", leader, r("delegations:outbound_list"), admin_list(Delegation)),
        Page("Dashboard, not cached", leader, r("dashboard"), uncached=True),
    ]
    return listed + details + overview + leaders


# --- timing a page ------------------------------------------------------------------------------------


def fetch(client: Client, url: str) -> tuple[float, int, int, str]:
    """(seconds, status, bytes, where a redirect goes): the whole response, streamed content included."""
    began = time.perf_counter()
    response = client.get(url, secure=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = time.perf_counter() - began
    return elapsed, response.status_code, len(body), response.get("Location", "")


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank (with ten samples: the slowest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def repeats_for(first: float, repeat: int) -> int:
    """K samples, fewer for a slow page: 3 past a second, 1 past ten seconds."""
    if first >= 10:
        return 1
    if first >= 1:
        return min(repeat, 3)
    return repeat


def forget_cached_figures() -> None:
    """Before a "not cached" sample: the process's own cache is cleared; a shared one (Redis) is not
    flushed (others may use it) but moved to a new version, as any saved record does."""
    if isinstance(caches["default"], LocMemCache):
        cache.clear()
        return
    figures.changed()


def measure_url(client: Client, url: str, repeat: int, *, uncached: bool = False) -> dict:
    def one():
        if uncached:
            forget_cached_figures()
        return fetch(client, url)

    warm, status, size, location = one()
    if status != 200:
        return {"error": f"HTTP {status}" + (f" → {location}" if location else "")}
    times = []
    count = repeats_for(warm, repeat)
    for index in range(count):
        # The last sample counts the queries too (CaptureQueriesContext adds microseconds a query).
        with CaptureQueriesContext(connection) if index == count - 1 else contextlib.nullcontext() as queries:
            elapsed, status, size, location = one()
        if status != 200:
            return {"error": f"HTTP {status} on a repeat"}
        times.append(elapsed)
    return {
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": p95(times) * 1000,
        "n": len(times),
        "queries": len(queries),
        "kb": size / 1024,
    }


def measure_pages(clients: Clients, repeat: int) -> tuple[dict, list[dict]]:
    bare_url = reverse(BARE_URL_NAME)
    bare = {"url": bare_url, "user": "staff", **measure_url(clients.get("staff"), bare_url, repeat)}
    log(f"bare page {bare_url}: {bare.get('median_ms', 0):.1f} ms")
    admin_figures: dict[str, dict] = {}
    rows = []
    for page in pages():
        figures = measure_url(clients.get(page.user), page.url, repeat, uncached=page.uncached)
        row = {**asdict(page), **figures}
        if page.admin:
            if page.admin not in admin_figures:
                admin_figures[page.admin] = measure_url(clients.get(accounts.SUPERUSER), page.admin, repeat)
            found = admin_figures[page.admin]
            row["admin_ms"] = found.get("median_ms")
            row["admin_queries"] = found.get("queries")
            row["admin_error"] = found.get("error", "")
        rows.append(row)
        shown = f"{figures['median_ms']:.1f} ms, {figures['queries']} q" if "error" not in figures else figures["error"]
        log(f"{page.user:12} {page.label}: {shown}")
    return bare, rows


# --- timing a job -------------------------------------------------------------------------------------


class Rollback(Exception):
    pass


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _status(name: str) -> int:
    """A size from /proc/self/status in bytes (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _in_child(work) -> dict:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # the peak resident size starts again from here
    before = _status("VmRSS")
    files = _media_files()
    counter = QueryCounter()
    result: dict = {}
    try:
        with connection.execute_wrapper(counter), transaction.atomic():
            began = time.perf_counter()
            result = work()
            result["seconds"] = time.perf_counter() - began
            result["peak_mb"] = (_status("VmHWM") - before) / MB
            result["queries"] = counter.count
            result.update(_describe_file(result.pop("file", None)))
            raise Rollback
    except Rollback:
        pass
    finally:
        for path in _media_files() - files:
            path.unlink(missing_ok=True)
    return result


def in_fork(work) -> dict:
    """Run `work()` in a forked child and return what it returned, with its time, peak memory and
    queries. The child's transaction is rolled back: the scratch database keeps nothing of it."""
    connections.close_all()  # the child opens its own connection; none is shared
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            result = _in_child(work)
        except BaseException as error:  # everything goes back to the parent, which reports it
            result = {"error": f"{type(error).__name__}: {error}"[:400]}
        with os.fdopen(write, "w") as out:
            json.dump(result, out, default=str)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as incoming:
        text = incoming.read()
    os.waitpid(pid, 0)
    return json.loads(text) if text else {"error": "the child died without a word"}


def _describe_file(path: str | None) -> dict:
    if not path:
        return {}
    full = Path(settings.MEDIA_ROOT) / path
    described = {"file_kb": full.stat().st_size / 1024, "file": full.name}
    if full.suffix == ".xlsx":
        book = load_workbook(full, read_only=True)
        # A streamed workbook records no dimensions: its rows are counted by reading them.
        described["sheet_rows"] = sum(
            sheet.max_row or sum(1 for _row in sheet.iter_rows(values_only=True)) for sheet in book.worksheets
        )
        book.close()
    return described


class JobFailed(Exception):
    pass


def _run_job(job: Job) -> Job:
    job.state, job.queued_at = Job.State.QUEUED, timezone.now()
    job.save()
    job = job_run(job_id=job.pk)
    if job.state != Job.State.DONE:
        raise JobFailed(f"{job.state}: {job.error or job.errors[:3]}")
    return job


def report_work(kind: str, params: dict, username: str):
    def work() -> dict:
        spec = reports.REGISTRY[kind]
        cleaned = spec.clean(dict(params))
        user = get_user_model().objects.get(username=username)
        job = _run_job(
            Job(family=Job.Family.REPORT, kind=kind, params=cleaned, title=str(spec.title(cleaned)), requested_by=user)
        )
        return {"file": job.file.name}

    return work


def export_request_work(client: Client, url: str, rows: int):
    def work() -> dict:
        elapsed, status, size, location = fetch(client, url)
        if status != 200:
            raise JobFailed(f"HTTP {status} {location}")
        return {"file_kb": size / 1024, "rows": rows}

    return work


def import_work(content: bytes, rows: int):
    def work() -> dict:
        staff = get_user_model().objects.get(username="staff")
        job = Job(family=Job.Family.IMPORT, kind=STUDENT_IMPORT.kind, title="bench-import.xlsx", requested_by=staff)
        job.upload.save("bench-import.xlsx", ContentFile(content), save=False)
        job = _run_job(job)
        if job.created_count + job.updated_count != rows:
            raise JobFailed(f"{job.created_count} created, {job.updated_count} updated of {rows} rows")
        return {"rows": rows, "file_kb": len(content) / 1024, "created": job.created_count}

    return work


def student_rows(count: int) -> bytes:
    """A filled-in import template: `count` new students, each with one enrollment, passports never seen."""
    prefix = next(
        p for p in ("BN", "BQ", "BX", "BZ") if not Student.objects.filter(passport_number__startswith=p).exists()
    )
    provinces = list(LaoProvince.objects.order_by("pk").values_list("name_vi", flat=True))
    institutions = list(Institution.objects.order_by("pk").values_list("name", flat=True))
    levels = [("Đại học", 4), ("Cao đẳng", 3), ("Dự bị tiếng Việt", 1), ("Trung cấp nghề", 2)]
    rng = random.Random(count)  # nosec B311  # test data, not a secret
    this_year = timezone.localdate().year
    book = Workbook()
    sheet = book.active
    sheet.append([column.header for column in STUDENT_IMPORT.columns])
    for number in range(1, count + 1):
        level, years = levels[number % len(levels)]
        start_year = this_year - rng.randrange(0, years)
        values = {
            "full_name": f"Bench Sisavath {prefix}{number:06d}",
            "full_name_lao": "ສຸກສະຫວັນ",
            "gender": rng.choice(["Nam", "Nữ"]),
            "date_of_birth": f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1995, 2008)}",
            "lao_province": provinces[number % len(provinces)],
            "passport_number": f"{prefix}{number:07d}",
            "passport_expiry": f"30/06/{this_year + 4}",
            "residence_expiry": f"31/08/{this_year + 1}",
            "phone": f"09{rng.randrange(10**7, 10**8)}",
            "email": f"bench{number}@example.la",
            "is_official": "Không",
            "sending_body": "Sở Giáo dục và Thể thao",
            "institution": institutions[number % len(institutions)],
            "level": level,
            "major": "Điều dưỡng",
            "start_date": f"05/09/{start_year}",
            "expected_end": f"30/06/{start_year + years}",
            "status": "Đang học",
            "ended_on": "",
        }
        sheet.append([values[column.key] for column in STUDENT_IMPORT.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class JobSpec:
    label: str
    how: str  # "job" or "request"
    work: object = field(repr=False)
    rows: int | None = None


def jobs(clients: Clients, import_rows: int) -> list[JobSpec]:
    year = timezone.localdate().year
    specs = []
    staff = get_user_model().objects.get(username="staff")
    for list_key, label in (
        ("scholarships:student_list", "Export: students"),
        ("aid_projects:project_list", "Export: aid projects"),
        ("associations:member_list", "Export: members"),
    ):
        pages = LISTS[list_key]
        count = pages.scope(staff, pages.base_queryset()).count()
        if count > settings.EXPORT_IN_REQUEST_MAX_ROWS:
            params = {"list": list_key, "query": "", "rows": count}
            specs.append(JobSpec(label, "job", report_work(LIST_EXPORT, params, "staff"), count))
        else:
            url = reverse(list_key) + "?export=xlsx"
            specs.append(JobSpec(label, "request", export_request_work(clients.get("staff"), url, count), count))
    specs += [
        JobSpec(f"Budget summary {year}", "job", report_work("portal.budget_summary", {"year": year}, "province")),
        JobSpec(
            f"Union review {year - 1} (year)",
            "job",
            report_work("portal.union_review", {"year": year - 1, "period": "year"}, "province"),
        ),
        JobSpec(
            f"Union review {year} (6 months)",
            "job",
            report_work("portal.union_review", {"year": year, "period": "first_half"}, "province"),
        ),
        JobSpec(
            f"Aid yearly summary {year}", "job", report_work("aid_projects.yearly_summary", {"year": year}, "province")
        ),
    ]
    for final, statuses in ((False, Delegation.AWAITING_REPORT), (True, ("reported", "closed"))):
        delegation = most(Delegation.objects.filter(status__in=statuses), "members")
        if delegation is not None:
            specs.append(
                JobSpec(
                    f"Trip report, {'final' if final else 'draft'}",
                    "job",
                    report_work("delegations.trip_report", {"delegation_id": delegation.pk, "final": final}, "staff"),
                )
            )
    if import_rows:
        content = student_rows(import_rows)
        specs.append(JobSpec(f"Student import ({import_rows:,} new rows)", "job", import_work(content, import_rows)))
    return specs


def measure_jobs(clients: Clients, repeat: int, import_rows: int) -> list[dict]:
    rows = []
    for spec in jobs(clients, import_rows):
        runs = []
        for _index in range(1 if repeat == 1 else min(repeat, 3)):
            result = in_fork(spec.work)
            runs.append(result)
            if "error" in result or result["seconds"] > 30:
                break
        failed = next((run for run in runs if "error" in run), None)
        row = {"label": spec.label, "how": spec.how, "rows": spec.rows, "n": len(runs)}
        if failed:
            row["error"] = failed["error"]
        else:
            row.update(
                seconds=statistics.median(run["seconds"] for run in runs),
                peak_mb=max(run["peak_mb"] for run in runs),
                queries=runs[0]["queries"],
                file_kb=runs[0].get("file_kb"),
                sheet_rows=runs[0].get("sheet_rows"),
                rows=row["rows"] or runs[0].get("rows"),
                over_time_limit=statistics.median(run["seconds"] for run in runs) > settings.JOBS_TIME_LIMIT_SECONDS,
            )
        rows.append(row)
        shown = f"{row['seconds']:.2f} s, {row['peak_mb']:.0f} MB" if "error" not in row else row["error"]
        log(f"job {spec.label}: {shown}")
    return rows


# --- the data ------------------------------------------------------------------------------------------


def data_counts() -> dict:
    counted = {
        "members": Member,
        "partners": Partner,
        "activities": Activity,
        "delegations": Delegation,
        "students": Student,
        "enrollments": Enrollment,
        "awards": Award,
        "payments": Payment,
        "aid projects": AidProject,
        "disbursements": Disbursement,
    }
    return {name: model.objects.count() for name, model in counted.items()}


def database_facts() -> dict:
    facts = {"vendor": connection.vendor, "name": str(settings.DATABASES["default"]["NAME"])}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting('server_version'), pg_database_size(current_database())")
            version, size = cursor.fetchone()
            facts.update(version=f"PostgreSQL {version}", size_mb=size / MB)
        else:
            cursor.execute("SELECT sqlite_version()")
            facts.update(version=f"SQLite {cursor.fetchone()[0]}", size_mb=Path(facts["name"]).stat().st_size / MB)
    return facts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--import-rows", type=int, default=3000)
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    if settings.DEBUG:
        raise SystemExit("measure.py runs in production mode (DJANGO_DEBUG=false): start it from bench/run.py.")
    began = time.monotonic()
    import_module(settings.ROOT_URLCONF)  # as in a web or Celery process: every app's pages (and lists) known
    accounts.ensure_superuser()
    clients = Clients()
    bare, page_rows = measure_pages(clients, args.repeat)
    job_rows = [] if args.skip_jobs else measure_jobs(clients, args.repeat, args.import_rows)
    result = {
        "scale": args.scale,
        "repeat": args.repeat,
        "database": database_facts(),
        "counts": data_counts(),
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "job_time_limit": settings.JOBS_TIME_LIMIT_SECONDS,
        "export_in_request_max_rows": settings.EXPORT_IN_REQUEST_MAX_ROWS,
        "bare": bare,
        "pages": page_rows,
        "jobs": job_rows,
        "seconds": time.monotonic() - began,
    }
    Path(args.json).write_text(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()

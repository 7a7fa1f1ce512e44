"""Reports built in the background, each request a stored `Job` of the report family.

An app describes a kind of report once with a `ReportKind` (who may ask for it, who may read it,
how to build its file) and registers it; the base knows no app. friendship_portal.core.jobs runs
the job: queued after its row commits, claimed by one worker, retried when a build raises
`TransientError` (or storage or the database fail for a moment), queued again by the sweep when
the broker or a worker lost it. Building is safe to run twice: a finished job is left alone and a
rebuilt file replaces the earlier one under the same name, so there is only ever one file.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from friendship_portal.core.jobs import TransientError as TransientError  # raised by the apps' builds
from friendship_portal.core.jobs import job_enqueue, job_finish, register_family
from friendship_portal.core.models import Job
from friendship_portal.core.query import year_in_range


@dataclass
class ReportKind:
    key: str
    label: str
    # build(job, progress) → (file name, bytes); progress(percent) records how far it got.
    build: Callable
    # title(params) → the job's title as the list shows it, in the requester's language.
    title: Callable
    # clean(params) → params checked and normalised, or raise ValidationError.
    clean: Callable = lambda params: params
    # The permission to request it, and `can_read(user, job)` for who else may read its file.
    permission: str = "portal.reads_everything"
    can_read: Callable = lambda user, job: user.has_perm("portal.reads_everything")
    # Offered on the /reports/ page (kinds tied to one record are requested from its page).
    on_reports_page: bool = True
    # Fields the /reports/ form adds for this kind (name → a form field, not required): e.g. a period.
    form_fields: dict = field(default_factory=dict)


REGISTRY: dict[str, ReportKind] = {}


def clean_year(params: dict, *, default: int) -> dict:
    """The `year` parameter of a yearly report, checked: from FIRST_YEAR (2000) to next year."""
    try:
        year = int(params.get("year") or default)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Give the year as a number.")) from error
    if not year_in_range(year):
        raise ValidationError(_("Choose a year between 2000 and next year."))
    return {"year": year}


def register(kind: ReportKind) -> ReportKind:
    REGISTRY[kind.key] = kind
    return kind


def may_read(user, job: Job) -> bool:
    """The requester, and whoever the kind lets read it."""
    if job.requested_by_id is not None and job.requested_by_id == user.pk:
        return True
    kind = REGISTRY.get(job.kind)
    return bool(kind and kind.can_read(user, job))


def visible_jobs(user):
    """The jobs the /reports/ page lists for `user`: everything for those who read everything, their own otherwise."""
    jobs = Job.objects.filter(family=Job.Family.REPORT).select_related("requested_by")
    if user.has_perm("portal.reads_everything"):
        return jobs
    return jobs.filter(requested_by=user)


# --- requesting ---------------------------------------------------------------------------------


def report_request(*, kind: str, params: dict, actor) -> Job:
    """Store the request and queue it once the row is committed. `actor` None is the system (beat)."""
    spec = REGISTRY.get(kind)
    if spec is None:
        raise ValidationError(_("Unknown kind of report."))
    if actor is not None and not actor.has_perm(spec.permission):
        raise PermissionDenied(_("Your role does not allow requesting this report."))
    params = spec.clean(dict(params))
    job = Job(
        family=Job.Family.REPORT, kind=kind, params=params, title=str(spec.title(params))[:255], requested_by=actor
    )
    return job_enqueue(job)


# --- building -----------------------------------------------------------------------------------


def _build(job: Job, progress: Callable[[int], None]) -> None:
    """The report family's handler in friendship_portal.core.jobs: build the file and keep it."""
    kind = REGISTRY.get(job.kind)
    if kind is None:
        raise ValueError(_("Unknown kind of report: %(kind)s") % {"kind": job.kind})
    # In the portal's language, as a worker builds it, even when a request in English builds it in-process.
    with translation.override(settings.LANGUAGE_CODE):
        name, content = kind.build(job, progress)
    path = f"reports/{job.pk}/{name}"
    storage = job.file.storage
    if storage.exists(path):
        storage.delete(path)  # a second run replaces the file: one job, one file
    job_finish(job_id=job.pk, file=storage.save(path, ContentFile(content)))  # OSError: the task retries


register_family(Job.Family.REPORT, _build)

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import DecimalField, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aid_projects import filters, forms, selectors, services
from aid_projects.iati import iati_activities_xml, iati_problems, iati_projects
from aid_projects.imports import DISBURSEMENT_IMPORT, PROJECT_IMPORT
from aid_projects.models import (
    DAC_CODES,
    AidEvent,
    AidProject,
    Disbursement,
    HistoricalDisbursement,
    HistoricalProgressReport,
    ProgressReport,
)
from aid_projects.permissions import scope_all
from aid_projects.workflow import REFUSALS, WORKFLOW, InvalidTransition
from friendship_portal.core import imports
from friendship_portal.core.display import format_number
from friendship_portal.core.query import year_from
from friendship_portal.core.record_views import (
    XLSX,
    RecordListView,
    RecordPages,
    add_errors,
    style_filter_form,
    warn_ignored_filters,
)
from friendship_portal.core.records import history_entries
from friendship_portal.core.submissions import once_per_form

Status = AidProject.Status
VIEW_REFUSAL = gettext_lazy("Your role gives no access to the aid records.")
AMOUNT = DecimalField(max_digits=18, decimal_places=0)


def _donor_names(project: AidProject) -> str:
    return "; ".join(donor.name for donor in project.donors.all())  # prefetched by the scope


def _list_context(request) -> dict:
    return {
        "overdue_count": selectors.overdue_reports().count(),
        "due_soon_count": selectors.reports_due_soon().count(),
        "can_import": request.user.has_perm("aid_projects.import_aid"),
    }


PROJECTS = RecordPages(
    model=AidProject,
    url_name="project",
    url_path="projects",
    namespace="aid_projects",
    form_class=forms.AidProjectForm,
    filterset_class=filters.AidProjectFilter,
    scope=lambda user, queryset: scope_all(user, selectors.with_report_overdue(queryset).prefetch_related("donors")),
    list_columns=[
        "code",
        "title",
        "kind",
        "sector",
        "donors",
        "status",
        "planned_start",
        "planned_end",
        "commitment_vnd",
        "disbursed_vnd",
    ],
    labels={"donors": gettext_lazy("Donors"), "disbursed_vnd": gettext_lazy("Disbursed (VND)")},
    # On a phone: the project, where it stands and when it is planned to end.
    phone_columns=("title", "status", "planned_end"),
    computed={"donors": _donor_names},
    needs_attention=lambda project: _("Progress report overdue") if selectors.report_overdue(project) else "",
    linked_columns=("code", "title"),
    detail_fields=[],
    search_fields=["code", "title", "aid_owner", "managing_agency", "donors__name"],
    can_delete=False,
    save=services.aid_project_save,
    detail_url_name="aid_projects:project_detail",
    list_template="aid_projects/project_list.html",
    list_context=_list_context,
)


# --- helpers ---------------------------------------------------------------------------------------


def _require(request, permission: str, message) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(message)


def _require_view(request) -> None:
    _require(request, "aid_projects.view_aidproject", VIEW_REFUSAL)


def _project(request, pk: int, queryset=None) -> AidProject:
    _require_view(request)
    return get_object_or_404(queryset if queryset is not None else AidProject.objects.all(), pk=pk)


def amount_text(value) -> str:
    """An amount in its own currency: whole numbers without decimals (85.000), else two (1.250,50)."""
    if value is None:
        return ""
    value = Decimal(value)
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def rate_text(value) -> str:
    """An exchange rate with the decimals it has, at most four (25.400; 27.315,5)."""
    if value is None:
        return ""
    value = Decimal(value)
    exponent = value.normalize().as_tuple().exponent
    return format_number(value, min(4, max(0, -exponent)))


def billions_text(value) -> str:
    """30000000000 → "30"; 32500000000 → "32,5" (billions of đồng)."""
    billions = Decimal(value) / Decimal(10**9)
    return format_number(billions, 0 if billions == billions.to_integral_value() else 1)


def band_text() -> str:
    low, high = settings.AID_YEARLY_BAND
    return _("%(low)s–%(high)s billion VND") % {"low": billions_text(low), "high": billions_text(high)}


# --- projects --------------------------------------------------------------------------------------


def index(request):
    return redirect("aid_projects:project_list")


@dataclass(frozen=True)
class StepPage:
    """The page of one workflow step: its form and how it calls the service. Who takes the step,
    from which states and how its button looks is the step's row in `aid_projects/workflow.py`."""

    key: str
    title: str
    done: str
    form_class: type
    run: object  # run(project_id, actor, data) calls the service
    comment_required: bool = False
    on_detail_page: bool = False  # a button that posts at once, no page of its own needed
    # A service's error on a model field the form names differently (actual_start → date).
    error_fields: dict = field(default_factory=dict)
    initial: object = None  # initial(project) → the form's initial values

    @property
    def rule(self):
        return WORKFLOW.step(self.key)

    permission = property(lambda self: self.rule.permission)
    states = property(lambda self: self.rule.sources_for())
    target = property(lambda self: self.rule.target)
    url_name = property(lambda self: self.rule.url_name)
    button = property(lambda self: self.rule.label)
    icon = property(lambda self: self.rule.icon)
    style = property(lambda self: self.rule.style)


STEPS = {
    step.key: step
    for step in (
        StepPage(
            key="send_to_appraisal",
            title=gettext_lazy("Send the dossier for appraisal"),
            done=gettext_lazy("The dossier was sent for appraisal."),
            form_class=forms.CommentForm,
            run=lambda project_id, actor, data: services.aid_project_send_to_appraisal(
                project_id=project_id, actor=actor, comment=data["comment"]
            ),
            on_detail_page=True,
        ),
        StepPage(
            key="approve",
            title=gettext_lazy("Approve the aid"),
            done=gettext_lazy("The aid was approved."),
            form_class=forms.DecisionForm,
            run=lambda project_id, actor, data: services.aid_project_approve(
                project_id=project_id,
                actor=actor,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                decision_body=data["decision_body"],
                comment=data["comment"],
            ),
            initial=lambda project: {"decision_date": timezone.localdate()},
        ),
        StepPage(
            key="reject",
            title=gettext_lazy("Do not approve the aid"),
            done=gettext_lazy("The aid was not approved."),
            form_class=forms.CommentForm,
            run=lambda project_id, actor, data: services.aid_project_reject(
                project_id=project_id, actor=actor, comment=data["comment"]
            ),
            comment_required=True,
        ),
        StepPage(
            key="start",
            title=gettext_lazy("Record the start of the aid"),
            done=gettext_lazy("The aid is being implemented; its progress reports are scheduled."),
            form_class=forms.DateForm,
            run=lambda project_id, actor, data: services.aid_project_start(
                project_id=project_id, actor=actor, started_on=data["date"], comment=data["comment"]
            ),
            error_fields={"actual_start": "date"},
            initial=lambda project: {"date": timezone.localdate()},
        ),
        StepPage(
            key="adjust",
            title=gettext_lazy("Adjust the aid"),
            done=gettext_lazy("The adjustment was recorded."),
            form_class=forms.AdjustForm,
            run=lambda project_id, actor, data: services.aid_project_adjust(
                project_id=project_id,
                actor=actor,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                comment=data["comment"],
                planned_end=data["planned_end"],
                commitment_amount=data["commitment_amount"],
            ),
            comment_required=True,
            initial=lambda project: {"decision_date": timezone.localdate()},
        ),
        StepPage(
            key="complete",
            title=gettext_lazy("Record the end of the aid"),
            done=gettext_lazy("The aid was completed; the completion report is due in six months."),
            form_class=forms.DateForm,
            run=lambda project_id, actor, data: services.aid_project_complete(
                project_id=project_id, actor=actor, ended_on=data["date"], comment=data["comment"]
            ),
            error_fields={"actual_end": "date"},
            initial=lambda project: {"date": min(project.planned_end, timezone.localdate())},
        ),
        StepPage(
            key="settle",
            title=gettext_lazy("Record the settlement"),
            done=gettext_lazy("The aid was settled."),
            form_class=forms.CommentForm,
            run=lambda project_id, actor, data: services.aid_project_settle(
                project_id=project_id, actor=actor, comment=data["comment"]
            ),
            on_detail_page=True,
        ),
        StepPage(
            key="revoke",
            title=gettext_lazy("Revoke the approval"),
            done=gettext_lazy("The approval was revoked."),
            form_class=forms.CommentForm,
            run=lambda project_id, actor, data: services.aid_project_revoke(
                project_id=project_id, actor=actor, comment=data["comment"]
            ),
            comment_required=True,
        ),
    )
}


def available_steps(project: AidProject, user) -> list[StepPage]:
    """The workflow buttons this user has on this aid record now."""
    return [STEPS[step.key] for step in WORKFLOW.available(project, user)]


def _renamed(error: ValidationError, names: dict) -> ValidationError:
    """A service's error keyed by the form's field names where they differ from the model's."""
    if not names or not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(name, name): errors for name, errors in error.error_dict.items()})


def project_detail(request, pk: int):
    user = request.user
    project = _project(
        request,
        pk,
        AidProject.objects.select_related("created_by").prefetch_related(
            "donors", "communes", Prefetch("events", queryset=AidEvent.objects.select_related("actor"))
        ),
    )
    today = timezone.localdate()
    disbursements = list(project.disbursements.select_related("recorded_by"))
    for disbursement in disbursements:
        disbursement.amount_text = amount_text(disbursement.amount)
        disbursement.rate_text = rate_text(disbursement.exchange_rate)
    by_year: dict[int, dict] = {}
    for disbursement in sorted(disbursements, key=lambda d: d.date):
        row = by_year.setdefault(disbursement.date.year, {"year": disbursement.date.year, "cash": 0, "in_kind": 0})
        row["cash" if disbursement.form == Disbursement.Form.CASH else "in_kind"] += disbursement.amount_vnd
    for row in by_year.values():
        row["total"] = row["cash"] + row["in_kind"]
    reports = list(project.reports.select_related("submitted_by"))
    can_manage = user.has_perm("aid_projects.manage_aid")
    return render(
        request,
        "aid_projects/project_detail.html",
        {
            "project": project,
            "dac_code": DAC_CODES.get(project.sector, ""),
            "commitment_text": amount_text(project.commitment_amount),
            "rate_text": rate_text(project.exchange_rate),
            "disbursed_share": round(project.disbursed_vnd * 100 / project.commitment_vnd)
            if project.commitment_vnd
            else None,
            "disbursements": disbursements,
            "disbursed_by_year": list(by_year.values()),
            "reports": reports,
            "steps": available_steps(project, user),
            "revocable_from": services.revocable_from(project) if project.status == Status.APPROVED else None,
            "can_edit": project.status in AidProject.EDITABLE and user.has_perm("aid_projects.change_aidproject"),
            "can_disburse": project.status in AidProject.DISBURSING and user.has_perm("aid_projects.add_disbursement"),
            "can_record_reports": can_manage,
            "iati_problems": iati_problems(project),
            "edit_url": PROJECTS.url("update", pk=project.pk),
            "list_url": PROJECTS.url("list"),
            "today": today,
            "history": history_entries(
                [
                    (AidProject, project.history.all()),
                    (Disbursement, HistoricalDisbursement.objects.filter(project_id=project.pk)),
                    (ProgressReport, HistoricalProgressReport.objects.filter(project_id=project.pk)),
                ]
            ),
        },
    )


def project_step(request, pk: int, key: str):
    """A workflow step: its page shows the form (GET); posting it calls the step's service."""
    step = STEPS[key]
    project = _project(request, pk)
    if not request.user.has_perm(step.permission):
        raise PermissionDenied(step.rule.refusal)
    if not WORKFLOW.leaves_from(project, step.rule) and project.status != step.target:  # a stale page, GET or POST
        messages.error(request, InvalidTransition(project.status, step.target).messages[0])
        return redirect("aid_projects:project_detail", pk=pk)
    initial = step.initial(project) if step.initial else None
    form = step.form_class(request.POST if request.method == "POST" else None, initial=initial)
    if step.comment_required:
        form.fields["comment"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            step.run(project_id=pk, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, _renamed(error, step.error_fields))
        else:
            messages.success(request, str(step.done))
            return redirect("aid_projects:project_detail", pk=pk)
    return render(request, "aid_projects/step.html", {"project": project, "form": form, "step": step})


@once_per_form
def disbursement_create(request, pk: int):
    project = _project(request, pk)
    _require(request, "aid_projects.add_disbursement", REFUSALS["aid_projects.manage_aid"])
    if project.status not in AidProject.DISBURSING:
        messages.error(
            request,
            _("Disbursements are recorded only for aid being implemented or just completed, not “%(status)s”.")
            % {"status": project.get_status_display()},
        )
        return redirect("aid_projects:project_detail", pk=pk)
    data = request.POST if request.method == "POST" else None
    form = forms.DisbursementForm(data, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.disbursement_record(actor=request.user, instance=form.save(commit=False))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The disbursement was recorded."))
            return redirect(reverse("aid_projects:project_detail", args=[pk]) + "#disbursements")
    return render(request, "aid_projects/disbursement_form.html", {"project": project, "form": form})


def report_submit(request, pk: int):
    _require_view(request)
    report = get_object_or_404(ProgressReport.objects.select_related("project"), pk=pk)
    _require(request, "aid_projects.manage_aid", REFUSALS["aid_projects.manage_aid"])
    form = forms.ReportSubmitForm(
        request.POST if request.method == "POST" else None,
        initial={"submitted_on": report.submitted_on or timezone.localdate(), "narrative": report.narrative},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_submit(
                report_id=report.pk,
                actor=request.user,
                submitted_on=form.cleaned_data["submitted_on"],
                narrative=form.cleaned_data["narrative"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The report's receipt was recorded."))
            return redirect(reverse("aid_projects:project_detail", args=[report.project_id]) + "#reports")
    return render(request, "aid_projects/report_form.html", {"project": report.project, "report": report, "form": form})


# --- donors ----------------------------------------------------------------------------------------


def donors(request):
    """Every donor with aid: its number of projects, what it committed and what it disbursed."""
    _require_view(request)
    rows, totals = selectors.donors_overview()
    page = Paginator(rows, settings.PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "aid_projects/donors.html", {"rows": page, "page": page, "totals": totals})


def donor_detail(request, pk: int):
    _require_view(request)
    partner = selectors.donor(pk)
    if partner is None:
        raise Http404
    projects = list(partner.aid_projects.all().prefetch_related("donors").order_by("-planned_start", "-pk"))
    return render(
        request,
        "aid_projects/donor_detail.html",
        {
            "partner": partner,
            "projects": projects,
            "totals": selectors.donor_totals(partner.pk),
            "can_view_partner": request.user.has_perm("associations.view_partner", partner),
            "list_url": reverse("aid_projects:project_list") + "?" + urlencode({"donor": partner.pk}),
        },
    )


# --- yearly figures and alerts ------------------------------------------------------------------------


def yearly(request):
    _require_view(request)
    today = timezone.localdate()
    rows = selectors.disbursed_by_year()
    low, high = settings.AID_YEARLY_BAND
    year = None if request.GET.get("year") == "all" else year_from(request, default=today.year)
    list_url = reverse("aid_projects:project_list")
    for row in rows:
        row["url"] = f"{list_url}?{urlencode({'disbursed_in': row['year']})}"
    billion = Decimal(10**9)
    chart = {
        "labels": [str(row["year"]) for row in rows],
        "totals": [float(row["total"] / billion) for row in rows],
        "links": [row["url"] for row in rows],
        "low": float(low / billion),
        "high": float(high / billion),
        "names": {
            "total": _("Disbursed"),
            "low": _("Lower end of the band"),
            "high": _("Upper end of the band"),
            "unit": _("billion VND"),
        },
    }
    running = {"year": year} if year else {}
    breakdowns = [
        {"key": "sector", "title": _("By sector"), "first": _("Sector"), "rows": selectors.by_sector(year)},
        {"key": "donor", "title": _("By donor"), "first": _("Donor"), "rows": selectors.Breakdown(year, "donor")},
        {
            "key": "commune",
            "title": _("By commune or ward"),
            "first": _("Commune or ward"),
            "rows": selectors.Breakdown(year, "commune"),
        },
        {"key": "status", "title": _("By status"), "first": _("Status"), "rows": selectors.by_status(year)},
    ]
    for breakdown in breakdowns:
        if breakdown["key"] in ("sector", "status"):  # a few rows, with their total
            breakdown.update(selectors.rows_total(breakdown["rows"], "committed", "disbursed"))
        # The donors and the communes grow with the province: each breakdown is read a page at a time.
        breakdown["page_param"] = f"{breakdown['key']}_page"
        breakdown["rows"] = Paginator(breakdown["rows"], settings.PORTAL_PAGE_SIZE).get_page(
            request.GET.get(breakdown["page_param"])
        )
        for row in breakdown["rows"]:
            row["url"] = f"{list_url}?{urlencode({breakdown['key']: row['key'], **running})}" if row["key"] else ""
    return render(
        request,
        "aid_projects/yearly.html",
        {
            "rows": rows,
            "grand_total": selectors.rows_total(rows, "cash", "in_kind", "total"),
            "chart": chart,
            "band": band_text(),
            "year": year,
            "years": range(today.year, settings.AID_SINCE_YEAR - 1, -1),
            "breakdowns": breakdowns,
            "since": settings.AID_SINCE_YEAR,
            "this_year": today.year,
        },
    )


def alerts(request):
    _require_view(request)
    today = timezone.localdate()
    size = settings.ALERTS_PAGE_SIZE
    overdue = Paginator(selectors.overdue_reports(today=today), size).get_page(request.GET.get("overdue_page"))
    due_soon = Paginator(selectors.reports_due_soon(days=30, today=today), size)
    not_started = Paginator(selectors.not_started(today=today), size).get_page(request.GET.get("not_started_page"))
    for project in not_started:
        project.revocable_from = services.revocable_from(project)
    return render(
        request,
        "aid_projects/alerts.html",
        {
            "today": today,
            "overdue": overdue,
            "due_soon": due_soon.get_page(request.GET.get("due_soon_page")),
            "not_started": not_started,
            "months": settings.AID_NOT_STARTED_MONTHS,
        },
    )


# --- imports and the IATI export ------------------------------------------------------------------------

IMPORTS = {
    "projects": (PROJECT_IMPORT, "mau-nhap-du-an-vien-tro.xlsx"),
    "disbursements": (DISBURSEMENT_IMPORT, "mau-nhap-giai-ngan.xlsx"),
}


@once_per_form
def import_page(request):
    _require(request, "aid_projects.import_aid", _("Only union staff import records."))
    chosen = request.POST.get("kind") if request.method == "POST" else None
    if chosen is not None and chosen not in IMPORTS:
        raise Http404
    cards = []
    for kind, (spec, _filename) in IMPORTS.items():
        bound = kind == chosen
        form = forms.ImportForm(request.POST if bound else None, request.FILES if bound else None, prefix=kind)
        if bound and form.is_valid():
            try:
                job = imports.import_start(kind=spec.kind, upload=form.cleaned_data["file"], actor=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect("import_job", pk=job.pk)
        cards.append({"kind": kind, "spec": spec, "form": form})
    return render(request, "aid_projects/import.html", {"cards": cards})


def import_template(request, kind: str):
    _require_view(request)
    if kind not in IMPORTS:
        raise Http404
    spec, filename = IMPORTS[kind]
    response = HttpResponse(imports.template_workbook(spec), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def iati_export(request):
    """The projects of the list's filters, which of them the IATI file can hold, and the file."""
    _require(request, "aid_projects.export_iati", VIEW_REFUSAL)
    view = RecordListView(pages=PROJECTS)
    view.request = request
    filterset, search, queryset = view.filtered(request)
    projects = iati_projects(queryset[: settings.PORTAL_EXPORT_MAX_ROWS])  # donors read once for all
    rows = [(project, iati_problems(project)) for project in projects]
    exportable = [project for project, problems in rows if not problems]
    left_out = [(project, problems) for project, problems in rows if problems]
    if request.GET.get("download"):
        if exportable:
            response = HttpResponse(iati_activities_xml(exportable), content_type="application/xml")
            response["Content-Disposition"] = 'attachment; filename="iati-activities.xml"'
            return response
        messages.error(request, _("None of these projects can be exported yet: see what each one is missing."))
    warn_ignored_filters(request, filterset)
    style_filter_form(filterset.form)
    query = request.GET.copy()
    query.pop("download", None)
    query.pop("page", None)
    return render(
        request,
        "aid_projects/iati.html",
        {
            "filterset": filterset,
            "search": search,
            "exportable": exportable,
            "left_out": left_out,
            "total": len(rows),
            "query": query.urlencode(),
            "list_url": PROJECTS.url("list") + (f"?{query.urlencode()}" if query else ""),
        },
    )

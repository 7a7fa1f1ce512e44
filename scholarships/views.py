import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from friendship_portal.core import imports
from friendship_portal.core.figures import cached
from friendship_portal.core.query import month_from, year_from
from friendship_portal.core.record_views import XLSX, Inline, RecordPages, add_errors
from friendship_portal.core.records import history_entries
from friendship_portal.core.roles import has_any_role
from friendship_portal.core.submissions import once_per_form
from scholarships import filters, forms, selectors, services
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import (
    Award,
    Enrollment,
    HistoricalAward,
    HistoricalEnrollment,
    HistoricalPayment,
    Institution,
    Payment,
    Student,
    YearlyBudget,
)
from scholarships.permissions import scope_all

LEVELS = dict(Enrollment.Level.choices)


def _level_label(student) -> str:
    return str(LEVELS.get(student.current_level, "")) if student.current_level else ""


def _document_expired(student) -> str:
    """A student still studying whose residence card or passport has run out stands out in the list."""
    if student.current_status != Enrollment.Status.STUDYING:
        return ""
    today = timezone.localdate()
    if student.residence_expiry and student.residence_expiry < today:
        return _("Residence card expired")
    if student.passport_expiry and student.passport_expiry < today:
        return _("Passport expired")
    return ""


STUDENTS = RecordPages(
    model=Student,
    url_name="student",
    url_path="students",
    namespace="scholarships",
    form_class=forms.StudentForm,
    filterset_class=filters.StudentFilter,
    scope=lambda user, queryset: scope_all(user, selectors.with_current_enrollment(queryset)),
    select_related=["lao_province"],
    list_columns=[
        "full_name",
        "lao_province",
        "gender",
        "date_of_birth",
        "current_level",
        "current_institution",
        "passport_number",
        "residence_expiry",
    ],
    labels={"current_level": gettext_lazy("Level"), "current_institution": gettext_lazy("Host institution")},
    # On a phone: who, at what level, and when the residence card runs out.
    phone_columns=("full_name", "current_level", "residence_expiry"),
    computed={"current_level": _level_label},
    needs_attention=_document_expired,
    detail_fields=[],
    search_fields=["full_name", "full_name_lao", "passport_number", "sending_body"],
    inlines=[
        Inline(
            formset_class=forms.EnrollmentFormSet,
            title=gettext_lazy("Enrollments"),
            columns=["institution", "level", "major", "start_date", "expected_end", "status", "ended_on"],
            related_name="enrollments",
            history=lambda student: HistoricalEnrollment.objects.filter(student_id=student.pk),
        )
    ],
    save=services.student_save,
    detail_url_name="scholarships:student_detail",
    list_template="scholarships/student_list.html",
    # Everyone with a role reads every student (`scope_all`): the whole list is every student recorded.
    count_in_all=lambda user: selectors.students_in_all() if has_any_role(user) else 0,
    # The search reads the kept rows of `scholarships.search` (the same fields as `search_fields`).
    search=selectors.students_matching,
    count_searched=lambda user, text: selectors.students_matching_in_all(text) if has_any_role(user) else 0,
    list_context=lambda request: {
        "expiring_count": selectors.expiring_documents().count(),
        "overdue_payment_count": selectors.overdue_payments().count(),
    },
)

INSTITUTIONS = RecordPages(
    model=Institution,
    url_name="institution",
    url_path="institutions",
    namespace="scholarships",
    form_class=forms.InstitutionForm,
    filterset_class=filters.InstitutionFilter,
    scope=scope_all,
    list_columns=["name", "short_name", "address", "is_active"],
    list_template="scholarships/record_list.html",
    detail_fields=["name", "short_name", "address", "is_active"],
    search_fields=["name", "short_name"],
)

BUDGETS = RecordPages(
    model=YearlyBudget,
    url_name="yearlybudget",
    url_path="budgets",
    namespace="scholarships",
    form_class=forms.YearlyBudgetForm,
    filterset_class=filters.YearlyBudgetFilter,
    scope=scope_all,
    list_columns=["year", "planned_amount", "decision"],
    list_template="scholarships/record_list.html",
    detail_fields=["year", "planned_amount", "decision", "notes"],
    search_fields=["decision", "notes"],
)


def _require(request, permission: str, message: str):
    if not request.user.has_perm(permission):
        raise PermissionDenied(message)


def student_detail(request, pk: int):
    _require(request, "scholarships.view_student", _("Your role gives no access to the students' records."))
    student = get_object_or_404(Student.objects.select_related("lao_province"), pk=pk)
    enrollments = list(student.enrollments.select_related("institution"))
    awards = list(selectors.awards_with_totals(student))
    today = timezone.localdate()
    ledger = selectors.student_ledger(student=student, awards=awards, today=today)
    return render(
        request,
        "scholarships/student_detail.html",
        {
            "student": student,
            "enrollments": enrollments,
            "awards": awards,
            **ledger,
            "today": today,
            "days": settings.SCHOLARSHIP_EXPIRY_ALERT_DAYS,
            "can_change": request.user.has_perm("scholarships.change_student"),
            "edit_url": STUDENTS.url("update", pk=student.pk),
            "list_url": STUDENTS.url("list"),
            "history": history_entries(
                [
                    (Student, student.history.all()),
                    (Enrollment, HistoricalEnrollment.objects.filter(student_id=student.pk)),
                    (Award, HistoricalAward.objects.filter(student_id=student.pk)),
                    (Payment, HistoricalPayment.objects.filter(award_id__in=[award.pk for award in awards])),
                ]
            ),
        },
    )


def award_create(request, pk: int):
    _require(request, "scholarships.add_award", _("Only union staff grant awards."))
    student = get_object_or_404(Student, pk=pk)
    form = forms.AwardForm(request.POST or None, user=request.user, student=student)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_create(actor=request.user, award=form.save(commit=False))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The award was granted and its payments scheduled."))
            return redirect("scholarships:student_detail", pk=student.pk)
    return render(request, "scholarships/award_form.html", {"student": student, "form": form})


@once_per_form
def payments(request):
    """A month's scheduled payments: tick the ones paid and record them together."""
    _require(request, "scholarships.view_payment", _("Your role gives no access to the payments."))
    month = month_from(request, default=timezone.localdate().replace(day=1))
    scheduled = selectors.payments_of_month(month)
    page = Paginator(selectors.payment_ids_of_month(month), settings.PAYMENTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    form = forms.PaymentsForm(request.POST or None, payments=scheduled.filter(paid_on__isnull=True))
    if request.method == "POST":
        _require(request, "scholarships.record_payment", _("Only union staff record payments."))
        if form.is_valid():
            try:
                count = services.payments_record(
                    actor=request.user,
                    payment_ids=[payment.pk for payment in form.cleaned_data["payments"]],
                    paid_on=form.cleaned_data["paid_on"],
                    method=form.cleaned_data["method"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("%(count)d payments recorded.") % {"count": count})
                on_page = f"&page={page.number}" if page.number > 1 else ""
                return redirect(f"{request.path}?month={month:%Y-%m}{on_page}")
    rows = selectors.payment_rows(list(page.object_list))
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "scholarships/payments.html",
        {
            "month": month,
            "previous": previous,
            "following": following,
            "rows": rows,
            "page": page,
            "form": form,
            **selectors.month_payment_totals(month),
            "can_record": request.user.has_perm("scholarships.record_payment"),
        },
    )


def budget(request):
    _require(request, "scholarships.view_yearlybudget", _("Your role gives no access to the budget."))
    today = timezone.localdate()
    year = year_from(request, default=today.year)
    # Sums of the kept totals, cached like the dashboard's figures until a record changes.
    figures = cached(
        f"scholarship-budget:{year}",
        lambda: {"execution": selectors.budget_execution(year=year), "counts": selectors.student_counts(year=year)},
    )
    return render(request, "scholarships/budget.html", {**figures, "years": range(today.year + 1, 2004, -1)})


def alerts(request):
    _require(request, "scholarships.view_student", _("Your role gives no access to the students' records."))
    today = timezone.localdate()
    overdue = (
        selectors.overdue_payments(today=today)
        .select_related("award__student", "award__enrollment__institution")
        .order_by("month", "award__student__full_name")
    )
    expiring = Paginator(selectors.expiring_documents(today=today), settings.ALERTS_PAGE_SIZE)
    overdue = Paginator(overdue, settings.ALERTS_PAGE_SIZE)
    return render(
        request,
        "scholarships/alerts.html",
        {
            "today": today,
            "days": settings.SCHOLARSHIP_EXPIRY_ALERT_DAYS,
            "expiring": expiring.get_page(request.GET.get("expiring_page")),
            "overdue": overdue.get_page(request.GET.get("overdue_page")),
        },
    )


@once_per_form
def import_students(request):
    _require(request, "scholarships.import_student", _("Only union staff import records."))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_start(kind=STUDENT_IMPORT.kind, upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("import_job", pk=job.pk)
    return render(request, "scholarships/import.html", {"form": form, "spec": STUDENT_IMPORT})


def import_template(request):
    _require(request, "scholarships.view_student", _("Your role gives no access to the students' records."))
    response = HttpResponse(imports.template_workbook(STUDENT_IMPORT), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-luu-hoc-sinh-lao.xlsx"'
    return response

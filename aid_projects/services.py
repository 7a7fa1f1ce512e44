"""Every change of an aid record, each one function.

A transition locks the row, checks the actor's right and the current state, saves, writes an
append-only event and returns; repeating a transition that already happened changes nothing.
The progress reports an aid owner owes are laid out from the project's dates whenever they change.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aid_projects.models import (
    CURRENCIES,
    AidEvent,
    AidProject,
    Commune,
    Disbursement,
    ProgressReport,
    Sector,
    vnd_equivalent,
)
from aid_projects.workflow import (  # noqa: F401  (add_months, InvalidTransition, revocable_from: for callers)
    REFUSALS,
    WORKFLOW,
    InvalidTransition,
    add_months,
    is_revocable,
    revocable_from,
)
from friendship_portal.core import imports
from friendship_portal.core.imports import Column, ImportSpec, RowError, fold
from friendship_portal.core.records import record_save

Status = AidProject.Status


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(REFUSALS[permission])


# --- the record itself -----------------------------------------------------------------------


def aid_project_save(
    *, actor, instance: AidProject, donors=None, communes=None, children=(), deleted_children=()
) -> AidProject:
    """Create or edit an aid record (staff). A new one starts as proposed; the VND equivalent of the
    commitment always follows its amount and exchange rate."""
    with transaction.atomic():
        is_new = instance.pk is None
        if not is_new:
            stored = AidProject.objects.select_for_update().get(pk=instance.pk)
            if stored.status not in AidProject.EDITABLE:
                raise ValidationError(
                    _("Aid in the state “%(status)s” can no longer be edited.")
                    % {"status": stored.get_status_display()}
                )
            instance.status = stored.status
        else:
            instance.status = Status.PROPOSED
            instance.created_by = actor
        if instance.currency == "VND":
            instance.exchange_rate = Decimal(1)
        instance.commitment_vnd = vnd_equivalent(instance.commitment_amount, instance.exchange_rate)
        record_save(actor=actor, instance=instance, children=children, deleted_children=deleted_children)
        if donors is not None or is_new:
            donors = list(donors or ())  # a generator would be spent by the check before set()
            if not donors:
                raise ValidationError({"donors": _("Name at least one donor.")})
            instance.donors.set(donors)
        if communes is not None:
            instance.communes.set(communes)
        if is_new:
            AidEvent.objects.create(project=instance, actor=actor, to_status=instance.status)
        elif instance.status in (*AidProject.RUNNING, Status.COMPLETED):
            progress_reports_lay_out(project=instance)
    return instance


# --- the lifecycle (ND 80/2020) ------------------------------------------------------------------


def aid_project_send_to_appraisal(*, project_id: int, actor, comment: str = "") -> AidProject:
    """Staff send a complete dossier for the departments' opinions."""
    return WORKFLOW.take(
        "send_to_appraisal",
        record_id=project_id,
        actor=actor,
        comment=comment,
    )


def _decision(number: str, date: datetime.date | None, body: str) -> dict:
    errors = {}
    if not (number or "").strip():
        errors["decision_number"] = _("Give the decision's number.")
    if date is None:
        errors["decision_date"] = _("Give the decision's date.")
    elif date > timezone.localdate():
        errors["decision_date"] = _("The decision's date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return {"decision_number": number.strip(), "decision_date": date, "decision_body": (body or "").strip()}


def aid_project_approve(
    *,
    project_id: int,
    actor,
    decision_number: str,
    decision_date: datetime.date,
    decision_body: str = "",
    comment: str = "",
) -> AidProject:
    """The provincial office approves, recording its decision."""
    _require(actor, "aid_projects.decide_aid")
    changes = _decision(decision_number, decision_date, decision_body)
    # Stored as the decision names it, in Vietnamese whatever the approver's language.
    changes["decision_body"] = changes["decision_body"] or f"Ủy ban nhân dân tỉnh {settings.PORTAL_PROVINCE_NAME}"
    return WORKFLOW.take(
        "approve",
        record_id=project_id,
        actor=actor,
        comment=comment,
        changes=changes,
    )


def aid_project_reject(*, project_id: int, actor, comment: str) -> AidProject:
    _require(actor, "aid_projects.decide_aid")
    if not comment.strip():
        raise ValidationError(_("Say why the aid is not approved: the comment is required."), code="comment_required")
    return WORKFLOW.take(
        "reject",
        record_id=project_id,
        actor=actor,
        comment=comment.strip(),
    )


def aid_project_start(*, project_id: int, actor, started_on: datetime.date, comment: str = "") -> AidProject:
    """Staff record that the aid has started; its progress reports are laid out from then."""
    if started_on is None:
        raise ValidationError({"actual_start": _("Give the date the aid started.")})
    if started_on > timezone.localdate():
        raise ValidationError({"actual_start": _("The start cannot be recorded in advance.")})

    def check(project):
        if project.decision_date and started_on < project.decision_date:
            raise ValidationError({"actual_start": _("The aid cannot start before it was approved.")})

    return WORKFLOW.take(
        "start",
        record_id=project_id,
        actor=actor,
        comment=comment,
        changes={"actual_start": started_on},
        check=check,
    )


def aid_project_adjust(
    *,
    project_id: int,
    actor,
    decision_number: str,
    decision_date: datetime.date,
    comment: str,
    planned_end: datetime.date | None = None,
    commitment_amount: Decimal | None = None,
) -> AidProject:
    """The provincial office adjusts running aid (a new decision: new end date, new value, or both)."""
    _require(actor, "aid_projects.decide_aid")
    if not comment.strip():
        raise ValidationError(_("Say what the adjustment changes: the comment is required."), code="comment_required")
    _decision(decision_number, decision_date, "")
    changes = {}
    if planned_end is not None:
        changes["planned_end"] = planned_end
    if commitment_amount is not None:
        changes["commitment_amount"] = commitment_amount
    note = _("Adjusting decision %(number)s of %(date)s.") % {
        "number": decision_number.strip(),
        "date": f"{decision_date:%d/%m/%Y}",
    }

    def check(project):
        if project.actual_start and project.planned_end < project.actual_start:
            raise ValidationError({"planned_end": _("The new end cannot be before the aid started.")})
        project.commitment_vnd = vnd_equivalent(project.commitment_amount, project.exchange_rate)

    return WORKFLOW.take(
        "adjust",
        record_id=project_id,
        actor=actor,
        comment=f"{note} {comment.strip()}",
        changes=changes,
        check=check,
        saves=("commitment_vnd",),
    )


def aid_project_complete(*, project_id: int, actor, ended_on: datetime.date, comment: str = "") -> AidProject:
    """Staff record the end; the completion report falls due six months later."""
    if ended_on is None:
        raise ValidationError({"actual_end": _("Give the date the aid ended.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"actual_end": _("The end cannot be recorded in advance.")})
    return WORKFLOW.take(
        "complete",
        record_id=project_id,
        actor=actor,
        comment=comment,
        changes={"actual_end": ended_on},
    )


def aid_project_settle(*, project_id: int, actor, comment: str = "") -> AidProject:
    """Staff record the settlement once the completion report is in."""

    def check(project):
        if project.reports.filter(kind=ProgressReport.Kind.COMPLETION, submitted_on__isnull=True).exists():
            raise ValidationError(_("Record the completion report before settling the aid."))

    return WORKFLOW.take(
        "settle",
        record_id=project_id,
        actor=actor,
        comment=comment,
        check=check,
    )


def aid_project_revoke(*, project_id: int, actor, comment: str) -> AidProject:
    """The provincial office revokes an approval when the aid has not started six months after it."""
    _require(actor, "aid_projects.decide_aid")
    if not comment.strip():
        raise ValidationError(_("Say why the approval is revoked: the comment is required."), code="comment_required")

    def check(project):
        if not is_revocable(project):
            raise ValidationError(
                _("An approval can be revoked only when the aid has not started %(months)d months after it.")
                % {"months": settings.AID_NOT_STARTED_MONTHS}
            )

    return WORKFLOW.take(
        "revoke",
        record_id=project_id,
        actor=actor,
        comment=comment.strip(),
        check=check,
    )


# --- disbursements -----------------------------------------------------------------------------


def disbursement_record(*, actor, instance: Disbursement) -> Disbursement:
    """Record (or correct) a disbursement of running or completed aid, with its VND equivalent."""
    with transaction.atomic():
        project = AidProject.objects.select_for_update().get(pk=instance.project_id)
        if project.status not in AidProject.DISBURSING:
            raise ValidationError(
                _("Disbursements are recorded only for aid being implemented or just completed, not “%(status)s”.")
                % {"status": project.get_status_display()}
            )
        if instance.date and project.actual_start and instance.date < project.actual_start:
            raise ValidationError({"date": _("The disbursement cannot be before the aid started.")})
        if instance.date and instance.date > timezone.localdate():
            raise ValidationError({"date": _("A disbursement cannot be recorded in advance.")})
        if instance.currency == "VND":
            instance.exchange_rate = Decimal(1)
        instance.amount_vnd = vnd_equivalent(instance.amount, instance.exchange_rate)
        if instance.pk is None:
            instance.recorded_by = actor
        return record_save(actor=actor, instance=instance)


# --- progress reports ------------------------------------------------------------------------------


def report_schedule(
    *, start: datetime.date, end: datetime.date
) -> list[tuple[str, datetime.date, datetime.date, datetime.date]]:
    """(kind, period start, period end, due date) of every report aid running from `start` to `end` owes.

    A 6-month report for each first half-year and a yearly report for each calendar year that ends
    while the aid runs, each due AID_PERIOD_REPORT_DUE_DAYS after the period; a completion report
    due AID_COMPLETION_REPORT_MONTHS after the end.
    """
    Kind = ProgressReport.Kind
    due_days = datetime.timedelta(days=settings.AID_PERIOD_REPORT_DUE_DAYS)
    rows = []
    for year in range(start.year, end.year + 1):
        for kind, period_start, period_end in (
            (Kind.SIX_MONTH, datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
            (Kind.YEARLY, datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        ):
            if start <= period_end <= end:
                rows.append((kind, max(start, period_start), period_end, period_end + due_days))
    rows.append((Kind.COMPLETION, start, end, add_months(end, settings.AID_COMPLETION_REPORT_MONTHS)))
    return rows


def progress_reports_lay_out(*, project: AidProject) -> None:
    """Make the project's report rows match its dates: add what is owed, drop unsubmitted rows no longer
    owed, move due dates that changed. Submitted reports are never touched."""
    wanted = {
        (kind, period_end): (period_start, due_on)
        for kind, period_start, period_end, due_on in report_schedule(start=project.start, end=project.end)
    }
    existing = {(report.kind, report.period_end): report for report in project.reports.all()}
    for key, report in existing.items():
        if report.submitted_on is not None:
            continue
        if key not in wanted:
            report.delete()
        elif (report.period_start, report.due_on) != wanted[key]:
            report.period_start, report.due_on = wanted[key]
            report.save(update_fields=["period_start", "due_on"])
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(project=project, kind=kind, period_start=period_start, period_end=period_end, due_on=due_on)
            for (kind, period_end), (period_start, due_on) in wanted.items()
            if (kind, period_end) not in existing
        ]
    )


def progress_report_submit(*, report_id: int, actor, submitted_on: datetime.date, narrative: str) -> ProgressReport:
    """Staff record that the aid owner's report came in, with what it says."""
    _require(actor, "aid_projects.manage_aid")
    errors = {}
    if submitted_on is None:
        errors["submitted_on"] = _("Give the date the report was received.")
    elif submitted_on > timezone.localdate():
        errors["submitted_on"] = _("The date received cannot be in the future.")
    if not (narrative or "").strip():
        errors["narrative"] = _("Summarise what the report says.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report_id)
        report.submitted_on = submitted_on
        report.narrative = narrative.strip()
        report.submitted_by = actor
        report._history_user = actor
        report.save()
    return report


# --- imports from Excel (the shared all-or-nothing machinery) -------------------------------------


def _lookup_partners() -> list:
    from aid_projects.models import DONOR_KINDS
    from associations.models import Partner

    return list(Partner.objects.filter(kind__in=DONOR_KINDS))


def _donors(value) -> list | None:
    names = [name.strip() for name in imports.read_text(value).split(";") if name.strip()]
    if not names:
        return None  # an empty list would pass the column's "required" check
    partners = imports.lookup("donors", _lookup_partners)
    found = []
    for name in names:
        match = next((partner for partner in partners if fold(partner.name) == fold(name)), None)
        if match is None:
            raise RowError(_("“%(value)s” is not a donor in the partner directory") % {"value": name})
        found.append(match)
    return found


def _communes(value) -> list:
    names = [name.strip() for name in imports.read_text(value).split(";") if name.strip()]
    communes = imports.lookup("communes", lambda: list(Commune.objects.all()))
    found = []
    for name in names:
        match = next((commune for commune in communes if fold(name) in (fold(commune.name), fold(commune.code))), None)
        if match is None:
            raise RowError(_("“%(value)s” is not one of the province's communes or wards") % {"value": name})
        found.append(match)
    return found


def _currency(value):
    text = imports.read_text(value).upper() or "VND"
    if text not in dict(CURRENCIES):
        raise RowError(_("“%(value)s” is not a currency the portal knows") % {"value": text})
    return text


def _rate(value):
    amount = imports.read_amount(value)
    if amount is not None and amount == 0:
        raise RowError(_("the exchange rate cannot be 0"))
    return amount


def _whole(value):
    amount = imports.read_amount(value)
    if amount is not None and amount != amount.to_integral_value():
        raise RowError(_("“%(value)s” is not a whole number") % {"value": value})
    return int(amount) if amount is not None else None


def _labels(choices) -> dict:
    return {str(label): key for key, label in choices} | {key: key for key, _label in choices}


def _check_project_row(values: dict, line: int, seen: dict):
    code = values["code"].upper()
    if code in seen:
        raise RowError(_("the code %(code)s is already on line %(line)d") % {"code": code, "line": seen[code]})
    seen[code] = line
    project = AidProject.objects.filter(code__iexact=code).first() or AidProject(code=code)
    if project.pk and project.status not in AidProject.EDITABLE and values["status"] != project.status:
        raise RowError(
            _("%(code)s is “%(status)s” and can no longer be changed")
            % {"code": code, "status": project.get_status_display()}
        )
    for name in (
        "title",
        "summary",
        "kind",
        "sector",
        "managing_agency",
        "aid_owner",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "currency",
        "commitment_amount",
        "decision_number",
        "decision_date",
        "decision_body",
    ):
        setattr(project, name, values[name] if values[name] is not None else "")
    project.status = values["status"] or project.status or Status.PROPOSED
    project.beneficiaries = values["beneficiaries"] or 0
    project.counterpart_vnd = values["counterpart_vnd"] or 0
    project.exchange_rate = Decimal(1) if project.currency == "VND" else values["exchange_rate"]
    if project.exchange_rate is None:
        raise RowError(_("the exchange rate is required for an amount not in VND"))
    for name in ("actual_start", "actual_end", "decision_date"):
        if getattr(project, name) == "":
            setattr(project, name, None)
    project.commitment_vnd = vnd_equivalent(project.commitment_amount, project.exchange_rate)
    decided = (Status.APPROVED, *AidProject.RUNNING, Status.COMPLETED, Status.SETTLED, Status.REVOKED)
    if project.status in decided and not (project.decision_number and project.decision_date):
        raise RowError(_("an approved project needs its decision number and date"))
    if project.status in (*AidProject.RUNNING, Status.COMPLETED, Status.SETTLED) and not project.actual_start:
        raise RowError(_("a project that has started needs its actual start"))
    if project.status in (Status.COMPLETED, Status.SETTLED) and not project.actual_end:
        raise RowError(_("a completed project needs its actual end"))
    # The author is set when the row is written (the import's actor), so it is not checked here.
    project.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
    return project, values["donors"], values["communes"]


def _write_project_row(checked, actor) -> str:
    project, donors, communes = checked
    created = project.pk is None
    if created:
        project.created_by = actor
    project._history_user = actor
    project.save()
    project.donors.set(donors)
    project.communes.set(communes)
    last = project.events.order_by("-created_at", "-pk").first()
    if last is None or last.to_status != project.status:
        AidEvent.objects.create(
            project=project,
            actor=actor,
            from_status=last.to_status if last else "",
            to_status=project.status,
            comment=_("Imported from Excel."),
        )
    if project.status in (*AidProject.RUNNING, Status.COMPLETED):
        progress_reports_lay_out(project=project)  # settled aid has given all its reports
    return "created" if created else "updated"


def _project(value) -> AidProject:
    code = imports.read_text(value).upper()
    projects = imports.lookup(
        "projects", lambda: {project.code.upper(): project for project in AidProject.objects.all()}
    )
    if code not in projects:
        raise RowError(_("no aid project has the code %(code)s") % {"code": code})
    return projects[code]


def _check_disbursement_row(values: dict, line: int, seen: dict):
    project = values["project"]
    key = (project.pk, values["date"], values["amount"], values["currency"], values["form"])
    if key in seen:
        raise RowError(_("the same disbursement is already on line %(line)d") % {"line": seen[key]})
    seen[key] = line
    if project.status not in AidProject.DISBURSING:
        raise RowError(
            _("%(code)s is “%(status)s”: disbursements are recorded only while the aid runs or has just ended")
            % {"code": project.code, "status": project.get_status_display()}
        )
    if project.actual_start and values["date"] < project.actual_start:
        raise RowError(_("the date is before the project started"))
    if values["date"] > timezone.localdate():
        raise RowError(_("the date is in the future"))
    rate = Decimal(1) if values["currency"] == "VND" else values["exchange_rate"]
    if rate is None:
        raise RowError(_("the exchange rate is required for an amount not in VND"))
    disbursement = Disbursement.objects.filter(
        project=project, date=values["date"], amount=values["amount"], currency=values["currency"], form=values["form"]
    ).first() or Disbursement(
        project=project, date=values["date"], amount=values["amount"], currency=values["currency"], form=values["form"]
    )
    disbursement.exchange_rate = rate
    disbursement.note = values["note"]
    disbursement.amount_vnd = vnd_equivalent(disbursement.amount, rate)
    disbursement.full_clean(exclude=["recorded_by"], validate_unique=False, validate_constraints=False)
    return disbursement


def _write_disbursement_row(disbursement, actor) -> str:
    created = disbursement.pk is None
    if created:
        disbursement.recorded_by = actor
    disbursement._history_user = actor
    disbursement.save()
    return "created" if created else "updated"


PROJECT_IMPORT = imports.register(
    ImportSpec(
        kind="aid_projects.projects",
        title="Du an vien tro",
        area_label=gettext_lazy("Aid projects"),
        list_url_name="aid_projects:project_list",
        import_url_name="aid_projects:import",
        permission="aid_projects.import_aid",
        columns=[
            Column("code", "Mã", required=True, example="VT-2025-014", width=14),
            Column("title", "Tên chương trình, dự án", required=True, example="Nước sạch cho trường học", width=36),
            Column(
                "kind",
                "Loại",
                lambda v: imports.read_choice(v, _labels(AidProject.Kind.choices)),
                required=True,
                example="Dự án",
                width=12,
            ),
            Column(
                "sector",
                "Lĩnh vực",
                lambda v: imports.read_choice(v, _labels(Sector.choices)),
                required=True,
                example="Nước sạch và vệ sinh môi trường",
                width=24,
            ),
            Column("summary", "Mục tiêu, kết quả", width=30),
            Column(
                "donors",
                "Nhà tài trợ (cách nhau bằng ;)",
                _donors,
                required=True,
                example="Plan International",
                width=28,
            ),
            Column("managing_agency", "Cơ quan chủ quản", required=True, example="UBND tỉnh Hà Tĩnh", width=24),
            Column("aid_owner", "Chủ khoản viện trợ", required=True, example="Sở Giáo dục và Đào tạo", width=24),
            Column("communes", "Xã, phường hưởng lợi (cách nhau bằng ;)", _communes, example="Xã Cẩm Xuyên", width=30),
            Column("beneficiaries", "Số người hưởng lợi", _whole, example=1200, width=12),
            Column(
                "planned_start", "Bắt đầu (kế hoạch)", imports.read_date, required=True, example="01/03/2025", width=14
            ),
            Column(
                "planned_end", "Kết thúc (kế hoạch)", imports.read_date, required=True, example="31/12/2026", width=14
            ),
            Column("actual_start", "Bắt đầu (thực tế)", imports.read_date, width=14),
            Column("actual_end", "Kết thúc (thực tế)", imports.read_date, width=14),
            Column("currency", "Loại tiền", _currency, required=True, example="USD", width=10),
            Column("commitment_amount", "Giá trị cam kết", imports.read_amount, required=True, example=85000, width=16),
            Column("exchange_rate", "Tỷ giá", _rate, example=25400, width=10),
            Column("counterpart_vnd", "Vốn đối ứng (đồng)", _whole, example=150000000, width=16),
            Column(
                "status",
                "Trạng thái",
                lambda v: imports.read_choice(v, _labels(AidProject.Status.choices)) if imports.read_text(v) else "",
                example="Đề xuất",
                width=14,
            ),
            Column("decision_number", "Số quyết định phê duyệt", example="", width=16),
            Column("decision_date", "Ngày quyết định", imports.read_date, width=14),
            Column("decision_body", "Cơ quan phê duyệt", width=20),
        ],
        check_row=_check_project_row,
        write_row=_write_project_row,
        notes=[
            "Mỗi dòng là một chương trình, dự án hoặc khoản viện trợ phi dự án, nhận biết theo mã.",
            "Nhập lại cùng một tệp không tạo bản ghi trùng: dòng đã có sẽ được cập nhật.",
            "Nhà tài trợ phải có trong danh bạ đối tác; nhiều nhà tài trợ hoặc nhiều xã cách nhau bằng dấu chấm phẩy.",
            "Loại: Chương trình, Dự án, Phi dự án. Trạng thái để trống là Đề xuất.",
            "Dự án đã phê duyệt cần số và ngày quyết định; dự án đã thực hiện cần ngày bắt đầu thực tế.",
        ],
    )
)

DISBURSEMENT_IMPORT = imports.register(
    ImportSpec(
        kind="aid_projects.disbursements",
        title="Giai ngan",
        area_label=gettext_lazy("Aid projects"),
        list_url_name="aid_projects:project_list",
        import_url_name="aid_projects:import",
        permission="aid_projects.import_aid",
        columns=[
            Column("project", "Mã dự án", _project, required=True, example="VT-2025-014", width=14),
            Column("date", "Ngày giải ngân", imports.read_date, required=True, example="15/04/2025", width=14),
            Column("amount", "Số tiền", imports.read_amount, required=True, example=20000, width=14),
            Column("currency", "Loại tiền", _currency, required=True, example="USD", width=10),
            Column("exchange_rate", "Tỷ giá", _rate, example=25400, width=10),
            Column(
                "form",
                "Hình thức",
                lambda v: (
                    imports.read_choice(v, _labels(Disbursement.Form.choices)) if imports.read_text(v) else "cash"
                ),
                example="Tiền mặt",
                width=12,
            ),
            Column("note", "Ghi chú", width=30),
        ],
        check_row=_check_disbursement_row,
        write_row=_write_disbursement_row,
        notes=[
            "Mỗi dòng là một lần giải ngân của một dự án đã có trong cổng (theo mã dự án).",
            "Hình thức: Tiền mặt hoặc Hiện vật (để trống là tiền mặt). Số tiền bằng đồng thì tỷ giá là 1.",
            "Nhập lại cùng một tệp không tạo bản ghi trùng.",
        ],
    )
)

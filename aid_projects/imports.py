"""The Excel imports of aid projects and of disbursements (the shared all-or-nothing machinery of
`friendship_portal.core.imports`): their columns, how a row is checked and how it is written. A
disbursement row is checked and recorded by the same service as the form."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aid_projects import totals
from aid_projects.choices import donor_choices
from aid_projects.models import CURRENCIES, AidEvent, AidProject, Commune, Disbursement, Sector, vnd_equivalent
from aid_projects.services import disbursement_check, disbursement_record, progress_reports_lay_out
from friendship_portal.core import imports
from friendship_portal.core.imports import Column, ImportSpec, RowError, fold
from friendship_portal.core.roles import Role

Status = AidProject.Status


def _lookup_partners() -> list:
    return list(donor_choices())


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
            actor_role=Role.UNION_STAFF,
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
    natural_key = {
        "project": project,
        "date": values["date"],
        "amount": values["amount"],
        "currency": values["currency"],
        "form": values["form"],
    }
    disbursement = Disbursement.objects.filter(**natural_key).first() or Disbursement(**natural_key)
    disbursement.exchange_rate = values["exchange_rate"]
    disbursement.note = values["note"]
    # The form's own rules (services.disbursement_check), then the model's.
    disbursement_check(instance=disbursement, project=project)
    disbursement.full_clean(exclude=["recorded_by"], validate_unique=False, validate_constraints=False)
    return disbursement


def _write_disbursement_row(disbursement, actor) -> str:
    created = disbursement.pk is None
    disbursement_record(actor=actor, instance=disbursement)
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
        writes_around=totals.kept_once,  # each year's figures worked out once for the file
        notes=[
            "Mỗi dòng là một lần giải ngân của một dự án đã có trong cổng (theo mã dự án).",
            "Hình thức: Tiền mặt hoặc Hiện vật (để trống là tiền mặt). Số tiền bằng đồng thì tỷ giá là 1.",
            "Nhập lại cùng một tệp không tạo bản ghi trùng.",
        ],
    )
)

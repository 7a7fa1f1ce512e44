"""The managing agency's yearly summary of aid (.xlsx), due by 15 January for the year before: every
project that ran in the year with its commitment and disbursements, the breakdowns, and the
progress reports still awaited."""

from io import BytesIO

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from aid_projects import selectors
from aid_projects.models import AidProject, Disbursement
from friendship_portal.core import reports
from friendship_portal.core.excel import NUMBER_FORMAT, append_row, formula
from friendship_portal.core.words import in_words_line


def _clean(params: dict) -> dict:
    return reports.clean_year(params, default=timezone.localdate().year - 1)


def aid_yearly_workbook(year: int, progress=lambda percent: None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dự án"
    append_row(sheet, [f"TỔNG HỢP VIỆN TRỢ PHI CHÍNH PHỦ NƯỚC NGOÀI NĂM {year}"], font=Font(bold=True, size=14))
    headers = [
        "Mã",
        "Tên chương trình, dự án",
        "Loại",
        "Lĩnh vực",
        "Nhà tài trợ",
        "Trạng thái",
        "Bắt đầu",
        "Kết thúc",
        "Cam kết (đồng)",
        "Giải ngân trong năm (đồng)",
        "Lũy kế giải ngân (đồng)",
    ]
    append_row(sheet, [])
    append_row(sheet, headers, font=Font(bold=True))
    sheet.freeze_panes = "A4"
    projects = (
        selectors.running_in(selectors.with_disbursed(AidProject.objects.all()), year)
        .annotate(in_year=Sum("disbursements__amount_vnd", filter=Q(disbursements__date__year=year)))
        .prefetch_related("donors")
        .order_by("code")
    )
    first = 4
    for project in projects:
        append_row(
            sheet,
            [
                project.code,
                project.title,
                str(project.get_kind_display()),
                str(project.get_sector_display()),
                "; ".join(donor.name for donor in project.donors.all()),
                str(project.get_status_display()),
                project.start,
                project.end,
                int(project.commitment_vnd),
                int(project.in_year or 0),
                int(project.disbursed_vnd),
            ],
        )
    last = sheet.max_row
    totals = [formula(f"SUM({c}{first}:{c}{last})") if last >= first else 0 for c in "IJK"]
    append_row(sheet, [None, "Tổng cộng"] + [None] * 6 + totals)
    for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row):
        for cell in row[6:8]:
            cell.number_format = "DD/MM/YYYY"
        for cell in row[8:11]:
            cell.number_format = NUMBER_FORMAT
    progress(50)
    overdue = workbook.create_sheet("Báo cáo quá hạn")
    append_row(overdue, ["Mã", "Tên dự án", "Loại báo cáo", "Kỳ", "Hạn nộp"])
    for report in selectors.overdue_reports():
        append_row(
            overdue,
            [
                report.project.code,
                report.project.title,
                str(report.get_kind_display()),
                f"{report.period_start:%d/%m/%Y}–{report.period_end:%d/%m/%Y}",
                report.due_on,
            ],
        )
    overdue.freeze_panes = "A2"
    total = Disbursement.objects.filter(date__year=year).aggregate(total=Sum("amount_vnd"))["total"] or 0
    append_row(sheet, [])
    append_row(sheet, [None, in_words_line(total).replace("Bằng chữ:", "Giải ngân trong năm, bằng chữ:")])
    buffer = BytesIO()
    workbook.save(buffer)
    progress(95)
    return buffer.getvalue()


def _build(job, progress) -> tuple[str, bytes]:
    year = job.params["year"]
    return f"tong-hop-vien-tro-{year}.xlsx", aid_yearly_workbook(year, progress)


reports.register(
    reports.ReportKind(
        key="aid_projects.yearly_summary",
        label=gettext_lazy("Yearly aid summary (.xlsx)"),
        title=lambda params: _("Aid summary %(year)s") % {"year": params["year"]},
        clean=_clean,
        build=_build,
    )
)

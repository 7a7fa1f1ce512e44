"""The managing agency's yearly summary of aid (.xlsx), due by 15 January for the year before: every
project that ran in the year with its commitment and disbursements, the breakdowns, and the
progress reports still awaited."""

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aid_projects import selectors
from aid_projects.models import AidProject, Disbursement
from friendship_portal.core import reports
from friendship_portal.core.excel import DATE, NUMBER, Column, StyledBook
from friendship_portal.core.words import in_words_line


def _clean(params: dict) -> dict:
    return reports.clean_year(params, default=timezone.localdate().year - 1)


def aid_yearly_workbook(year: int, progress=lambda percent: None) -> bytes:
    book = StyledBook()
    sheet = book.sheet("Dự án", title=f"TỔNG HỢP VIỆN TRỢ PHI CHÍNH PHỦ NƯỚC NGOÀI NĂM {year}")
    projects = (
        selectors.running_in(AidProject.objects.all(), year)
        .annotate(in_year=Sum("disbursements__amount_vnd", filter=Q(disbursements__date__year=year)))
        .prefetch_related("donors")
        .order_by("code")
    )
    sheet.table(
        [
            "Mã",
            "Tên chương trình, dự án",
            "Loại",
            "Lĩnh vực",
            "Nhà tài trợ",
            "Trạng thái",
            Column("Bắt đầu", DATE),
            Column("Kết thúc", DATE),
            Column("Cam kết (đồng)", NUMBER),
            Column("Giải ngân trong năm (đồng)", NUMBER),
            Column("Lũy kế giải ngân (đồng)", NUMBER),
        ],
        [
            [
                project.code,
                project.title,
                str(project.get_kind_display()),
                str(project.get_sector_display()),
                "\n".join(donor.name for donor in project.donors.all()),  # a name a line
                str(project.get_status_display()),
                project.start,
                project.end,
                int(project.commitment_vnd),
                int(project.in_year or 0),
                int(project.disbursed_vnd),
            ]
            for project in projects
        ],
        total="Tổng cộng",
        sums=[8, 9, 10],
    )
    total = Disbursement.objects.filter(date__year=year).aggregate(total=Sum("amount_vnd"))["total"] or 0
    sheet.skip()
    sheet.line(3, in_words_line(total).replace("Bằng chữ:", "Giải ngân trong năm, bằng chữ:"), sized=False)
    progress(50)
    overdue = book.sheet("Báo cáo quá hạn", title="CÁC BÁO CÁO QUÁ HẠN CHƯA NỘP")
    overdue.table(
        ["Mã", "Tên dự án", "Loại báo cáo", "Kỳ", Column("Hạn nộp", DATE)],
        [
            [
                report.project.code,
                report.project.title,
                str(report.get_kind_display()),
                f"{report.period_start:%d/%m/%Y}–{report.period_end:%d/%m/%Y}",
                report.due_on,
            ]
            for report in selectors.overdue_reports()
        ],
    )
    content = book.save()
    progress(95)
    return content


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

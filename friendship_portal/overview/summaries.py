"""The reports that span every app: the yearly budget summary (.xlsx) and the union's 6-month and
yearly review (.docx). They sit on top: they read each app through its selectors, and no app
imports them. Official documents are always in Vietnamese, so their text is written here as is.
"""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font

from aid_projects import selectors as aid
from associations import selectors as associations
from delegations import selectors as delegations
from friendship_portal.core import documents, reports
from friendship_portal.core.excel import BOLD, NUMBER, Column, StyledBook, formula
from friendship_portal.core.register import outgoing_document_register, union_body
from friendship_portal.core.words import amount_in_words, in_words_line
from scholarships import selectors as scholarships


def _year(params: dict) -> dict:
    return reports.clean_year(params, default=timezone.localdate().year)


# --- the yearly budget summary ------------------------------------------------------------------

TOTAL = "Tổng cộng"
# The last row of a breakdown where one project sits on several rows (one per donor, one per
# commune): its sums count such a project more than once, and the row says so. The figures that
# count each project once are on the summary sheet.
DOUBLE_COUNTED = "Cộng (có tính trùng)"


def budget_summary_workbook(year: int, progress=lambda percent: None) -> tuple[bytes, dict]:
    """The workbook, and the figures written in it (for the summary's words and for tests)."""
    book = StyledBook()
    figures = {}

    # Scholarships: planned against awarded and paid, by month, Lao province, level, institution.
    execution = scholarships.budget_execution(year=year)
    sheet = book.sheet("Học bổng", title=f"HỌC BỔNG LƯU HỌC SINH LÀO NĂM {year}")
    money = [Column("Đã cấp (đồng)", NUMBER), Column("Đã chi (đồng)", NUMBER)]
    by_month = sheet.table(
        ["Tháng", *money],
        [[f"Tháng {row['month']:02d}/{year}", row["awarded"], row["paid"]] for row in execution["months"]],
        caption="1. Theo tháng",
        total=TOTAL,
        sums=[1, 2],
    )
    for caption, key in (
        ("2. Theo tỉnh (Lào)", "by_province"),
        ("3. Theo bậc đào tạo", "by_level"),
        ("4. Theo cơ sở đào tạo", "by_institution"),
    ):
        sheet.skip()
        sheet.table(
            [capfirst(caption.split(" ", 2)[2]), *money],
            [[row["label"] or "—", row["awarded"], row["paid"]] for row in execution[key]],
            caption=caption,
            total=TOTAL,
            sums=[1, 2],
        )
    sheet.skip()
    paid = by_month.letter(2)
    planned_row = sheet.line(2, "Dự toán được giao (đồng)", None, int(execution["planned"]), font=BOLD)
    sheet.line(
        2,
        "Còn lại so với dự toán (đồng)",
        None,
        formula(f"{paid}{planned_row}-${paid}${by_month.total_row}", shows=execution["planned"] - execution["paid"]),
        font=BOLD,
    )
    figures["scholarships_planned"] = execution["planned"]
    figures["scholarships_paid"] = execution["paid"]
    progress(30)

    # Aid: committed against disbursed by sector, donor, commune and status.
    counted_once = aid.totals(year)
    aid_sheet = book.sheet("Viện trợ", title=f"VIỆN TRỢ PHI CHÍNH PHỦ NƯỚC NGOÀI NĂM {year}")
    aid_columns = [
        Column("Số dự án", NUMBER),
        Column("Cam kết (đồng)", NUMBER),
        Column("Giải ngân trong năm (đồng)", NUMBER),
    ]
    sectors = aid_sheet.table(
        ["Lĩnh vực", *aid_columns],
        [[str(row["label"]), row["projects"], row["committed"], row["disbursed"]] for row in aid.by_sector(year)],
        caption="1. Theo lĩnh vực",
        total=TOTAL,
        sums=[2, 3],
    )
    for caption, rows, total in (
        (
            "2. Theo nhà tài trợ (dự án nhiều nhà tài trợ được tính cho mỗi nhà tài trợ)",
            aid.by_donor(year),
            DOUBLE_COUNTED,
        ),
        ("3. Theo xã, phường hưởng lợi (dự án nhiều xã được tính cho mỗi xã)", aid.by_commune(year), DOUBLE_COUNTED),
        ("4. Theo trạng thái", [row for row in aid.by_status(year) if row["projects"] or row["disbursed"]], TOTAL),
    ):
        aid_sheet.skip()
        aid_sheet.table(
            [capfirst(caption.split(" ", 2)[2].split(" (")[0]), *aid_columns],
            [
                [str(row["label"] or "Chưa xác định"), row["projects"], row["committed"], row["disbursed"]]
                for row in rows
            ],
            caption=caption,
            total=total,
            sums=[2, 3],
        )
    figures["aid_projects"] = counted_once["projects"]
    figures["aid_committed"] = counted_once["committed"]
    figures["aid_disbursed"] = counted_once["disbursed"]
    progress(60)

    # Delegations: estimated cost by association and direction.
    costs = delegations.costs_by_association(year=year)
    trip_sheet = book.sheet("Đoàn công tác", title=f"KINH PHÍ ĐOÀN RA, ĐOÀN VÀO NĂM {year}")
    trips = trip_sheet.table(
        ["Hội", "Chiều", Column("Số đoàn", NUMBER), Column("Kinh phí dự toán (đồng)", NUMBER)],
        [
            [row["association"] or "Liên hiệp (không thuộc hội)", row["direction"], row["delegations"], row["total"]]
            for row in costs
        ],
        caption="Theo hội và chiều đoàn",
        total=TOTAL,
        sums=[3],
    )
    figures["delegations_cost"] = sum((Decimal(row["total"]) for row in costs), Decimal(0))
    progress(80)

    # The summary, first in the workbook: each line a formula reading its sheet's total.
    grand_total = figures["scholarships_paid"] + figures["aid_disbursed"] + figures["delegations_cost"]
    figures["grand_total"] = grand_total
    summary = book.sheet("Tổng hợp", title=f"TỔNG HỢP KINH PHÍ NĂM {year}", index=0)
    summary.table(
        ["Nội dung", Column("Số tiền (đồng)", NUMBER)],
        [
            ["Học bổng lưu học sinh Lào: đã chi", formula(by_month.total_ref(2), shows=figures["scholarships_paid"])],
            [
                "Viện trợ phi chính phủ nước ngoài: giải ngân trong năm",
                formula(sectors.total_ref(3), shows=figures["aid_disbursed"]),
            ],
            ["Đoàn ra, đoàn vào: kinh phí dự toán", formula(trips.total_ref(3), shows=figures["delegations_cost"])],
        ],
        total=TOTAL,
        sums=[1],
    )
    summary.line(2, in_words_line(grand_total), font=Font(italic=True), sized=False)
    summary.skip()
    summary.line(2, "Đối chiếu:", font=BOLD)
    summary.line(2, "Dự toán học bổng được giao", int(execution["planned"]))
    # Each aid project once, though it has several donors or communes (the aid sheet's sections 2 and 3
    # count it on each one's row).
    summary.line(2, "Viện trợ: số dự án thực hiện trong năm (mỗi dự án tính một lần)", counted_once["projects"])
    summary.line(
        2,
        "Viện trợ: giá trị cam kết của các dự án thực hiện trong năm (mỗi dự án tính một lần)",
        counted_once["committed"],
    )
    summary.line(2, "Viện trợ: giải ngân trong năm (mỗi dự án tính một lần)", counted_once["disbursed"])
    content = book.save()
    progress(95)
    return content, figures


def _build_budget_summary(job, progress) -> tuple[str, bytes]:
    year = job.params["year"]
    content, _figures = budget_summary_workbook(year, progress)
    return f"tong-hop-kinh-phi-{year}.xlsx", content


reports.register(
    reports.ReportKind(
        key="portal.budget_summary",
        label=gettext_lazy("Yearly budget summary (.xlsx)"),
        title=lambda params: _("Budget summary %(year)s") % {"year": params["year"]},
        clean=_year,
        build=_build_budget_summary,
    )
)


# --- the union's 6-month and yearly review --------------------------------------------------------

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def _review_params(params: dict) -> dict:
    cleaned = _year(params)
    period = params.get("period") or "year"
    if period not in ("year", "first_half"):
        raise ValidationError(_("Choose the whole year or the first six months."))
    return {**cleaned, "period": period, "final": bool(params.get("final"))}


def review_period(year: int, period: str) -> tuple[datetime.date, datetime.date]:
    if period == "first_half":
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# The Lao partners the review names, the capital last; their names are the reference data's.
CLOSEST_LAO_PARTNERS = ("LA-BL", "LA-KH", "LA-SV", "LA-VT")


NEW_STUDENTS = "tiếp nhận {} lưu học sinh nhập học mới"


def _counted(count: int, phrase: str, none: str) -> str:
    """ "tiếp nhận 5 lưu học sinh" for a count, and a sentence a reader would write for none."""
    return phrase.format(documents.format_number(count)) if count else none


def review_subject(year: int, period: str) -> str:
    half = period == "first_half"
    kind_word = "Sơ kết 6 tháng đầu năm" if half else "Tổng kết năm"
    return f"{kind_word} {year} công tác đối ngoại nhân dân và phương hướng nhiệm vụ " + (
        "6 tháng cuối năm" if half else f"năm {year + 1}"
    )


def review_document(
    year: int, period: str, progress=lambda percent: None, *, number: int | None = None, issued_on=None
) -> bytes:
    """The review as a draft (unnumbered, "DỰ THẢO"), or, given its `number` in the union's register
    and the day it is issued, the final document."""
    start, end = review_period(year, period)
    half = period == "first_half"
    union = union_body()
    document = documents.official_document(
        number=number,
        type_code="BC",
        issued_on=issued_on or timezone.localdate(),
        parent_body=union.superior,
        issuing_body=union.name,
        body_code=union.code,
        draft=number is None,
        subject=review_subject(year, period),
    )
    span = f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    documents.paragraph(
        document,
        f"Thực hiện chương trình công tác năm {year}, {settings.PORTAL_UNION_NAME} báo cáo kết quả "
        f"công tác đối ngoại nhân dân {span} như sau:",
    )

    documents.heading(document, "I. HOẠT ĐỘNG CỦA CÁC HỘI THÀNH VIÊN")
    rows = associations.associations_in_period(start=start, end=end)
    documents.table(
        document,
        ["Hội", "Hội viên", "Chi hội", "Hoạt động trong kỳ"],
        [[row["name"], row["members"], row["branches"], row["activities"]] for row in rows],
        total_row=[
            "Tổng cộng",
            sum(row["members"] for row in rows),
            sum(row["branches"] for row in rows),
            sum(row["activities"] for row in rows),
        ],
        widths_mm=[85, 25, 25, 30],
    )
    activities = list(associations.activities_in_period(start=start, end=end)[:15])
    if activities:
        documents.paragraph(document, "Một số hoạt động tiêu biểu:")
        for activity in activities:
            documents.bullet(document, f"{activity.held_on:%d/%m/%Y}: {activity.title} ({activity.association.name}).")
    progress(25)

    documents.heading(document, "II. ĐOÀN RA, ĐOÀN VÀO")
    trips = list(delegations.delegations_in_period(start=start, end=end))
    outbound = [trip for trip in trips if trip.is_outbound]
    inbound = [trip for trip in trips if not trip.is_outbound]
    sent = f"tổ chức {len(outbound)} đoàn ra" if outbound else "chưa tổ chức đoàn ra nào"
    received = f"đón {len(inbound)} đoàn vào" if inbound else "chưa đón đoàn vào nào"
    documents.paragraph(document, f"Trong kỳ, Liên hiệp và các hội thành viên {sent} và {received}.")
    if trips:
        documents.table(
            document,
            ["TT", "Đoàn", "Chiều", "Thời gian", "Trạng thái"],
            [
                [
                    index,
                    trip.title,
                    "Đoàn ra" if trip.is_outbound else "Đoàn vào",
                    f"{trip.start_date:%d/%m/%Y}–{trip.end_date:%d/%m/%Y}",
                    str(trip.get_status_display()),
                ]
                for index, trip in enumerate(trips, start=1)
            ],
            widths_mm=[10, 80, 20, 35, 25],
        )
    progress(50)

    documents.heading(document, "III. ĐÀO TẠO LƯU HỌC SINH LÀO")
    students = scholarships.scholarships_in_period(start=start, end=end)
    number = documents.format_number
    paid = (
        f"Kinh phí đã chi trong kỳ: {number(students['paid'])} đồng ({amount_in_words(students['paid'])})."
        if students["paid"]
        else "Trong kỳ chưa chi kinh phí hỗ trợ."
    )
    # A past period's review gives the totals as they stood at its end, not today's.
    documents.paragraph(
        document,
        "Trong kỳ, "
        + "; ".join(
            [
                _counted(students["supported"], "tỉnh hỗ trợ {} lưu học sinh Lào", "chưa hỗ trợ lưu học sinh nào"),
                _counted(students["new_students"], NEW_STUDENTS, "chưa tiếp nhận lưu học sinh mới"),
                _counted(students["graduated"], "{} lưu học sinh tốt nghiệp", "chưa có lưu học sinh tốt nghiệp"),
            ]
        )
        + f". Tính đến ngày {end:%d/%m/%Y} đã đào tạo {number(students['trained_total'])} cán bộ, lưu học sinh Lào. "
        + paid,
    )
    progress(65)

    documents.heading(document, "IV. VIỆN TRỢ PHI CHÍNH PHỦ NƯỚC NGOÀI")
    aid_figures = aid.aid_in_period(start=start, end=end)
    approved = (
        f"{aid_figures['approved']} chương trình, dự án, khoản viện trợ được phê duyệt với tổng giá trị cam kết "
        f"{documents.format_number(aid_figures['approved_value'])} đồng"
        if aid_figures["approved"]
        else "chưa có chương trình, dự án, khoản viện trợ nào được phê duyệt"
    )
    disbursed = (
        f"Giải ngân trong kỳ: {documents.format_number(aid_figures['disbursed'])} đồng "
        f"({amount_in_words(aid_figures['disbursed'])}) cho {aid_figures['receiving']} dự án."
        if aid_figures["disbursed"]
        else "Trong kỳ chưa có khoản giải ngân nào."
    )
    documents.paragraph(
        document,
        f"Trong kỳ, {approved}; "
        f"{_counted(aid_figures['running'], '{} dự án đang thực hiện', 'không có dự án đang thực hiện')}; "
        f"{_counted(aid_figures['completed'], '{} dự án kết thúc', 'chưa có dự án kết thúc')}. {disbursed}",
    )
    overdue_aid = aid.overdue_reports().count()
    if overdue_aid:
        documents.paragraph(document, f"Còn {overdue_aid} báo cáo tiến độ viện trợ quá hạn chưa nhận được.")
    progress(80)

    documents.heading(document, "V. TÌM KIẾM, QUY TẬP HÀI CỐT LIỆT SĨ")
    recovery = delegations.recovery_in_period(start=start, end=end)
    totals = delegations.recovery_totals(until=end)
    done = (
        f"phối hợp tổ chức {recovery['missions']} đợt tìm kiếm, quy tập; cất bốc {recovery['recovered']} và hồi "
        f"hương {recovery['repatriated']} hài cốt liệt sĩ quân tình nguyện và chuyên gia Việt Nam hy sinh tại Lào"
        if recovery["missions"]
        else "chưa tổ chức đợt tìm kiếm, quy tập hài cốt liệt sĩ nào"
    )
    documents.paragraph(
        document,
        f"Trong kỳ, {done}. Từ năm {totals['since']} đến ngày {end:%d/%m/%Y} đã hồi hương "
        f"{totals['repatriated']} hài cốt.",
    )

    documents.heading(
        document, f"{ROMAN[5]}. PHƯƠNG HƯỚNG, NHIỆM VỤ " + ("6 THÁNG CUỐI NĂM" if half else f"NĂM {year + 1}")
    )
    overdue_trips = delegations.overdue_reports().count()
    partners = associations.lao_province_names(CLOSEST_LAO_PARTNERS)
    tasks = [
        "Tiếp tục thực hiện kế hoạch công tác đối ngoại nhân dân đã được phê duyệt; tăng cường quan hệ hữu nghị với "
        f"các tỉnh {', '.join(partners[:-1])} và {partners[-1]}.",
        "Quản lý chặt chẽ đoàn ra, đoàn vào theo Chỉ thị 38-CT/TW; báo cáo kết quả chuyến công tác đúng hạn"
        + (f" (hiện còn {overdue_trips} báo cáo quá hạn)." if overdue_trips else "."),
        "Vận động, quản lý và sử dụng hiệu quả viện trợ phi chính phủ nước ngoài theo Nghị định 80/2020/NĐ-CP"
        + (f"; đôn đốc {overdue_aid} báo cáo tiến độ quá hạn." if overdue_aid else "."),
        "Chăm lo đào tạo lưu học sinh Lào; chi hỗ trợ đúng, đủ, kịp thời.",
        "Phối hợp tìm kiếm, quy tập hài cốt liệt sĩ trong mùa khô.",
    ]
    for task in tasks:
        documents.bullet(document, task)
    documents.signature_block(
        document,
        capacity=union.signer_capacity,
        position=union.signer_position,
        signer=union.signer_name,
        recipients=[
            f"UBND tỉnh {settings.PORTAL_PROVINCE_NAME}",
            "Liên hiệp các tổ chức hữu nghị Việt Nam",
            "Các hội thành viên",
            "Lưu: VT.",
        ],
    )
    progress(95)
    return documents.document_bytes(document)


def _build_review(job, progress) -> tuple[str, bytes]:
    year, period = job.params["year"], job.params["period"]
    name = f"so-ket-6-thang-{year}" if period == "first_half" else f"tong-ket-nam-{year}"
    if not job.params.get("final"):
        return f"{name}-du-thao.docx", review_document(year, period, progress)
    # The final review takes the next number of the union's register, once: asked again, the register
    # hands back the document it issued.
    union = union_body()
    issued_on = timezone.localdate()
    entry = outgoing_document_register(
        body=union,
        type_code="BC",
        title=review_subject(year, period),
        issued_on=issued_on,
        source=f"union-review:{year}:{period}",
        build=lambda number: review_document(year, period, progress, number=number, issued_on=issued_on),
        signer_name=union.signer_name,
        actor=job.requested_by,
    )
    with entry.file.open("rb") as issued:
        return f"{name}-so-{entry.number:02d}.docx", issued.read()


def _review_title(params: dict) -> str:
    title = (_("6-month review %(year)s") if params["period"] == "first_half" else _("Yearly review %(year)s")) % {
        "year": params["year"]
    }
    return _("%(title)s (final, numbered)") % {"title": title} if params.get("final") else title


reports.register(
    reports.ReportKind(
        key="portal.union_review",
        label=gettext_lazy("The union's 6-month or yearly review (.docx)"),
        title=_review_title,
        clean=_review_params,
        build=_build_review,
        form_fields={
            "period": forms.ChoiceField(
                label=gettext_lazy("Period"),
                choices=[
                    ("year", gettext_lazy("Whole year (yearly review)")),
                    ("first_half", gettext_lazy("First six months (6-month review)")),
                ],
                required=False,
                help_text=gettext_lazy("Used by the union's review; the other reports cover the whole year."),
            ),
            "final": forms.BooleanField(
                label=gettext_lazy("Final review, numbered in the register of outgoing documents"),
                required=False,
                help_text=gettext_lazy(
                    "Used by the union's review. Unticked, it is a draft (DỰ THẢO, no number). A period's final "
                    "review is numbered once: asked again, the register gives back the document it issued."
                ),
            ),
        },
    )
)

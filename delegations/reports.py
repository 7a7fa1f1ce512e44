"""The post-trip report (.docx) in the layout of ND 30/2020: a draft when the delegation comes home,
the final one when its report is filed. Official documents are always Vietnamese, so the text is
written here as is."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries as country_names

from delegations.models import Delegation, DelegationMember
from friendship_portal.core import documents, reports
from friendship_portal.core.models import IssuingBody, Job
from friendship_portal.core.register import issuing_body, outgoing_document_register, union_body
from friendship_portal.core.words import in_words_line

KIND = "delegations.trip_report"


def _clean(params: dict) -> dict:
    try:
        delegation_id = int(params["delegation_id"])
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError(_("Name the delegation.")) from error
    if not Delegation.objects.filter(pk=delegation_id).exists():
        raise ValidationError(_("No such delegation."))
    return {"delegation_id": delegation_id, "final": bool(params.get("final"))}


def _title(params: dict) -> str:
    title = Delegation.objects.filter(pk=params["delegation_id"]).values_list("title", flat=True).first() or ""
    if params["final"]:
        return _("Post-trip report: %(title)s") % {"title": title}
    return _("Post-trip report (draft): %(title)s") % {"title": title}


def _can_read(user, job: Job) -> bool:
    delegation = Delegation.objects.filter(pk=job.params.get("delegation_id")).first()
    return delegation is not None and user.has_perm("delegations.view_delegation", delegation)


def _country_list(delegation: Delegation) -> str:
    return ", ".join(str(country_names.name(code)) for code in delegation.countries) or "—"


def issuing_body_of(delegation: Delegation) -> IssuingBody:
    """The association that sent or received the delegation issues its report; the union otherwise."""
    if delegation.association_id:
        association = delegation.association
        return issuing_body(association.code, name=association.name, superior=settings.PORTAL_UNION_NAME)
    return union_body()


def trip_report_document(
    delegation: Delegation, *, final: bool, number: int | None = None, body: IssuingBody | None = None
) -> bytes:
    """The draft (unnumbered, marked "DỰ THẢO") or the final report, numbered `number` in the
    register of its issuing body."""
    body = body or issuing_body_of(delegation)
    report = getattr(delegation, "report", None) if final else None
    recovery = getattr(delegation, "recovery", None)
    members = list(delegation.members.all())
    outbound = delegation.is_outbound
    subject = trip_report_subject(delegation)
    document = documents.official_document(
        number=number if final else None,
        type_code="BC",
        issued_on=trip_report_date(delegation) if final else timezone.localdate(),
        parent_body=body.superior,
        issuing_body=body.name,
        body_code=body.code,
        subject=subject,
        draft=not final,
    )
    dates = f"từ ngày {delegation.start_date:%d/%m/%Y} đến ngày {delegation.end_date:%d/%m/%Y}"
    where = f"làm việc tại {_country_list(delegation)}" if outbound else "thăm và làm việc tại tỉnh"
    if delegation.decision_number:
        decided = f" ngày {delegation.decision_date:%d/%m/%Y}" if delegation.decision_date else ""
        basis = f"Thực hiện Quyết định số {delegation.decision_number}{decided}, đoàn đã {where} {dates}."
    else:
        basis = f"Đoàn đã {where} {dates}."
    documents.paragraph(document, basis + " Đoàn báo cáo kết quả như sau:")

    documents.heading(document, "I. MỤC ĐÍCH, YÊU CẦU")
    # The category names the kind of trip; the sentence says it is the purpose.
    purpose = delegation.get_purpose_display()
    documents.paragraph(document, f"Mục đích: {purpose[:1].lower()}{purpose[1:]}.")
    if delegation.purpose_detail:
        documents.paragraph(document, delegation.purpose_detail)
    partners = ", ".join(partner.name for partner in delegation.partners.all())
    if partners:
        documents.paragraph(document, f"Đối tác {'tiếp đón' if outbound else 'của đoàn'}: {partners}.")

    documents.heading(document, "II. THÀNH PHẦN ĐOÀN")
    documents.table(
        document,
        ["TT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị"],
        [
            [
                index,
                member.full_name + (" (Trưởng đoàn)" if member.is_head else ""),
                member.position,
                member.organization,
            ]
            for index, member in enumerate(members, start=1)
        ],
        widths_mm=[10, 55, 50, 50],
    )

    documents.heading(document, "III. CHƯƠNG TRÌNH, LỊCH TRÌNH")
    itinerary = list(delegation.itinerary.all())
    if itinerary:
        documents.table(
            document,
            ["Ngày", "Địa điểm", "Nội dung"],
            [[f"{item.day:%d/%m/%Y}", item.place, item.activity] for item in itinerary],
            widths_mm=[25, 45, 95],
        )
    elif delegation.programme:
        documents.paragraph(document, delegation.programme)

    documents.heading(document, "IV. KẾT QUẢ")
    if report:
        documents.paragraph(document, report.results)
        if report.agreements:
            documents.paragraph(document, f"Các nội dung đã thống nhất: {report.agreements}")
    else:
        documents.paragraph(document, _results_wanted(delegation), italic=True)
    if recovery:
        documents.paragraph(
            document,
            f"Tại {_lao_place(recovery.lao_province.name_vi)}, đoàn đã cất bốc {recovery.remains_recovered} "
            f"và hồi hương {recovery.remains_repatriated} hài cốt liệt sĩ quân tình nguyện và chuyên gia Việt Nam"
            + (f"; lễ bàn giao ngày {recovery.handover_date:%d/%m/%Y}." if recovery.handover_date else "."),
        )

    documents.heading(document, "V. ĐỀ XUẤT, KIẾN NGHỊ")
    if report and report.follow_up:
        documents.paragraph(document, report.follow_up)
    elif report:
        documents.paragraph(document, "Không có kiến nghị.")
    else:
        documents.paragraph(document, "(Trưởng đoàn bổ sung.)", italic=True)

    documents.heading(document, "VI. KINH PHÍ")
    lines = list(delegation.budget_lines.all())
    planned = sum((line.amount for line in lines), Decimal(0))
    by_line = report is not None and any(line.spent is not None for line in lines)
    if by_line:
        # The spending line by line beside the estimate (given with the report).
        documents.table(
            document,
            ["TT", "Nội dung", "Dự toán (đồng)", "Thực chi (đồng)"],
            [[index, line.item, line.amount, line.spent or Decimal(0)] for index, line in enumerate(lines, start=1)],
            total_row=["", "Tổng cộng", planned, sum((line.spent or Decimal(0) for line in lines), Decimal(0))],
            widths_mm=[10, 85, 35, 35],
        )
    else:
        documents.table(
            document,
            ["TT", "Nội dung", "Dự toán (đồng)"],
            [[index, line.item, line.amount] for index, line in enumerate(lines, start=1)],
            total_row=["", "Tổng cộng", planned],
            widths_mm=[10, 115, 40],
        )
    # Given line by line, the spending's total is the lines' (the sentence and the table never differ).
    if by_line:
        spent = sum((line.spent or Decimal(0) for line in lines), Decimal(0))
    else:
        spent = report.actual_expenses if report else None
    if spent:
        documents.paragraph(document, _amount_sentence("Kinh phí thực chi", spent))
    else:
        documents.paragraph(document, _amount_sentence("Tổng dự toán", planned))

    recipients = [f"Thường trực Tỉnh ủy {settings.PORTAL_PROVINCE_NAME}", f"UBND tỉnh {settings.PORTAL_PROVINCE_NAME}"]
    if delegation.association_id:
        recipients.append(settings.PORTAL_UNION_NAME)
    recipients.append("Lưu: VT.")
    # The issuing body signs its report, as the administrator keeps who signs for it (TM. Ban Chấp hành,
    # Chủ tịch, the name); the head of delegation is named in the report's first part.
    documents.signature_block(
        document,
        capacity=body.signer_capacity,
        position=body.signer_position,
        signer=body.signer_name,
        recipients=recipients,
    )
    return documents.document_bytes(document)


def _build(job: Job, progress) -> tuple[str, bytes]:
    delegation = (
        Delegation.objects.select_related("association", "report", "recovery__lao_province")
        .prefetch_related(
            Prefetch("members", DelegationMember.objects.order_by("-is_head", "pk")),
            "itinerary",
            "budget_lines",
            "partners",
        )
        .get(pk=job.params["delegation_id"])
    )
    progress(40)
    if not job.params["final"]:
        return f"bao-cao-doan-{delegation.pk}-du-thao.docx", trip_report_document(delegation, final=False)
    body = issuing_body_of(delegation)
    entry = outgoing_document_register(
        body=body,
        type_code="BC",
        title=trip_report_subject(delegation),
        issued_on=trip_report_date(delegation),
        source=f"delegation-report:{delegation.pk}",
        build=lambda number: trip_report_document(delegation, final=True, number=number, body=body),
        signer_name=body.signer_name,
        actor=job.requested_by,
    )
    with entry.file.open("rb") as issued:
        return f"bao-cao-doan-{delegation.pk}-so-{entry.number:02d}.docx", issued.read()


def trip_report_date(delegation: Delegation):
    report = getattr(delegation, "report", None)
    return timezone.localdate(report.submitted_at) if report and report.submitted_at else timezone.localdate()


def trip_report_subject(delegation: Delegation) -> str:
    if not delegation.is_outbound:
        return f"Kết quả đón tiếp {delegation.title}"
    names = [str(country_names.name(code)) for code in delegation.countries]
    # A title that already says where the delegation went ("… tại Ba Lan") is not followed by "(Ba Lan)";
    # a country named only in an association's name ("Hội hữu nghị Việt Nam – Lào") does not count.
    visited = r"(?:tại|thăm|sang|đến|làm việc ở)\s+(?:nước\s+|Cộng hòa\s+)?"
    if names and all(re.search(visited + re.escape(name), delegation.title, re.IGNORECASE) for name in names):
        return f"Kết quả chuyến công tác {delegation.title}"
    return f"Kết quả chuyến công tác {delegation.title} ({_country_list(delegation)})"


def _amount_sentence(label: str, amount) -> str:
    """The amount, then its words in parentheses: "Tổng dự toán: 57.050.000 đồng (Bằng chữ: … đồng)."."""
    return f"{label}: {documents.format_number(amount)} đồng ({in_words_line(amount).rstrip('.')})."


def _results_wanted(delegation: Delegation) -> str:
    """What the draft asks of the head of the delegation: by the due date while it is ahead, and
    without a date already past."""
    due = delegation.report_due_on
    if due and due >= timezone.localdate():
        return f"(Trưởng đoàn hoàn thiện phần kết quả và kiến nghị trước ngày {due:%d/%m/%Y}.)"
    if due:
        return f"(Trưởng đoàn hoàn thiện ngay phần kết quả và kiến nghị: hạn nộp báo cáo là ngày {due:%d/%m/%Y}.)"
    return "(Trưởng đoàn hoàn thiện phần kết quả và kiến nghị.)"


def _lao_place(name: str) -> str:
    """ "tỉnh Bôlykhămxay", but the capital is "Thủ đô Viêng Chăn", not "tỉnh Thủ đô Viêng Chăn"."""
    return name if name.lower().startswith("thủ đô") else f"tỉnh {name}"


reports.register(
    reports.ReportKind(
        key=KIND,
        label=gettext_lazy("Post-trip report (.docx)"),
        title=_title,
        clean=_clean,
        build=_build,
        permission="delegations.view_delegation",
        can_read=_can_read,
        on_reports_page=False,
    )
)


def trip_report_jobs(delegation_id: int) -> dict:
    """The latest draft and final report jobs of a delegation, for its page."""
    jobs = Job.objects.filter(family=Job.Family.REPORT, kind=KIND, params__delegation_id=delegation_id).order_by(
        "-created_at", "-pk"
    )
    latest = {}
    for job in jobs[:20]:
        latest.setdefault("final" if job.params.get("final") else "draft", job)
    return latest

"""The union's 6-month and yearly review (.docx) over hand-made records, some inside the period and
some outside it: every figure in the document is counted here by hand."""

import datetime
import io
import re
from decimal import Decimal

import docx
import pytest
from django.conf import settings
from django.utils import translation

from aid_projects.models import AidProject
from associations.models import Member
from delegations.models import Delegation
from friendship_portal.core.models import IssuingBody, Job, OutgoingDocument
from friendship_portal.core.words import amount_in_words
from friendship_portal.overview.summaries import review_document
from scholarships.models import Enrollment
from tests.aid_projects.factories import AidProjectFactory, DisbursementFactory, ProgressReportFactory
from tests.delegations.factories import DelegationFactory, RecoveryRecordFactory
from tests.factories import ActivityFactory, BranchFactory, MemberFactory
from tests.scholarships.factories import AwardFactory, EnrollmentFactory, PaymentFactory, StudentFactory

TODAY = datetime.date(2027, 1, 10)  # the year under review is over
D = datetime.date
S = Delegation.Status


@pytest.fixture
def clock_day():
    return TODAY


@pytest.fixture(autouse=True)
def clock(clock):
    with translation.override(settings.LANGUAGE_CODE):
        yield clock


@pytest.fixture
def records(cast):
    # Associations: members and branches as they stand; activities by the day they were held.
    MemberFactory.create_batch(3, association=cast.laos)
    MemberFactory(association=cast.laos, status=Member.Status.LEFT, status_changed_on=D(2026, 2, 1))
    MemberFactory.create_batch(2, association=cast.russia)
    BranchFactory(association=cast.laos, name="Chi hội Cẩm Xuyên")
    BranchFactory(association=cast.laos, name="Chi hội Kỳ Anh", dissolved_on=D(2026, 3, 1))
    BranchFactory(association=cast.russia, name="Chi hội Trường Đại học Hà Tĩnh")
    for association, held_on in [
        (cast.laos, D(2026, 3, 10)),
        (cast.laos, D(2026, 9, 2)),
        (cast.russia, D(2026, 5, 20)),
        (cast.russia, D(2025, 12, 1)),
    ]:
        ActivityFactory(association=association, held_on=held_on)

    # Delegations by the day they set out.
    DelegationFactory(title="Đoàn ra Bôlykhămxay", status=S.CLOSED, start_date=D(2026, 3, 10))
    DelegationFactory(title="Đoàn ra Matxcơva", association=cast.russia, status=S.APPROVED, start_date=D(2026, 8, 10))
    DelegationFactory(title="Đoàn vào Khăm Muộn", inbound=True, status=S.COMPLETED, start_date=D(2026, 4, 5))
    DelegationFactory(title="Đoàn ra đã hủy", status=S.CANCELLED, start_date=D(2026, 2, 1))
    DelegationFactory(title="Đoàn ra năm trước", status=S.CLOSED, start_date=D(2025, 11, 1))
    # Remains recovery missions (outbound delegations too).
    for start, recovered, repatriated in [(D(2026, 3, 1), 12, 10), (D(2026, 10, 20), 5, 5), (D(2019, 11, 10), 20, 18)]:
        RecoveryRecordFactory(
            delegation__start_date=start,
            delegation__title=f"Đoàn tìm kiếm, quy tập hài cốt liệt sĩ {start:%m/%Y}",
            remains_recovered=recovered,
            remains_repatriated=repatriated,
            handover_date=start + datetime.timedelta(days=10),
        )

    # Lao students: who started, who graduated, what was paid and when.
    def enrolled(start, **fields):
        return EnrollmentFactory(student=StudentFactory(), start_date=start, expected_end=D(2030, 6, 30), **fields)

    studying = enrolled(D(2025, 9, 5))
    new_in_march = enrolled(D(2026, 3, 1))
    graduate = enrolled(D(2022, 9, 5), status=Enrollment.Status.GRADUATED, ended_on=D(2026, 6, 20))
    new_in_september = enrolled(D(2026, 9, 5))
    enrolled(D(2027, 1, 5))  # after the year under review
    awards = {enrollment: AwardFactory(enrollment=enrollment) for enrollment in (studying, new_in_march, graduate)}
    awards[new_in_september] = AwardFactory(enrollment=new_in_september, academic_year=2026)
    for enrollment, month, amount, paid_on in [
        (studying, D(2025, 12, 1), 2_500_000, D(2025, 12, 10)),
        (studying, D(2026, 2, 1), 2_500_000, D(2026, 2, 10)),
        (studying, D(2026, 8, 1), 2_500_000, D(2026, 8, 10)),
        (new_in_march, D(2026, 3, 1), 3_000_000, D(2026, 3, 15)),
        (graduate, D(2026, 1, 1), 2_550_000, D(2026, 1, 10)),
        (new_in_september, D(2026, 9, 1), 2_500_000, D(2026, 9, 10)),
    ]:
        PaymentFactory(award=awards[enrollment], month=month, amount=Decimal(amount), paid_on=paid_on)

    # Aid: decisions, disbursements and endings on both sides of 30 June.
    def project(code, status, commitment, **fields):
        return AidProjectFactory(
            code=code,
            status=status,
            currency="VND",
            commitment_amount=Decimal(commitment),
            exchange_rate=Decimal(1),
            decision_number="125/QĐ-UBND",
            **fields,
        )

    running = project(
        "VT-2025-001",
        AidProject.Status.IMPLEMENTING,
        2_000_000_000,
        decision_date=D(2025, 1, 15),
        actual_start=D(2025, 3, 1),
    )
    approved_in_march = project(
        "VT-2026-001",
        AidProject.Status.IMPLEMENTING,
        800_000_000,
        decision_date=D(2026, 3, 20),
        actual_start=D(2026, 4, 1),
    )
    project(
        "VT-2025-002",
        AidProject.Status.COMPLETED,
        300_000_000,
        decision_date=D(2025, 6, 1),
        actual_start=D(2025, 7, 1),
        actual_end=D(2026, 9, 30),
    )
    project("VT-2026-002", AidProject.Status.REJECTED, 900_000_000, decision_date=D(2026, 4, 1))
    project("VT-2026-003", AidProject.Status.APPROVED, 500_000_000, decision_date=D(2026, 8, 15))
    for aided, day, amount in [
        (running, D(2025, 12, 1), 50_000_000),
        (running, D(2026, 2, 15), 100_000_000),
        (running, D(2026, 10, 1), 200_000_000),
        (approved_in_march, D(2026, 5, 5), 250_000_000),
    ]:
        DisbursementFactory(project=aided, date=day, amount=Decimal(amount), currency="VND", exchange_rate=Decimal(1))
    ProgressReportFactory(project=running, period_start=D(2026, 1, 1), period_end=D(2026, 6, 30), due_on=D(2026, 7, 15))


def lines_of(content: bytes) -> tuple[list[str], docx.document.Document]:
    document = docx.Document(io.BytesIO(content))
    return [paragraph.text for paragraph in document.paragraphs], document


def line_starting(lines: list[str], start: str) -> str:
    (line,) = [line for line in lines if line.startswith(start)]
    return line


def association_rows(document, cast) -> dict:
    (table,) = [table for table in document.tables if table.rows[0].cells[0].text == "Hội"]
    rows = {row.cells[0].text: [cell.text for cell in row.cells[1:]] for row in table.rows[1:]}
    return {
        "laos": rows[cast.laos.name],
        "russia": rows[cast.russia.name],
        "others": sorted(
            {
                tuple(cells)
                for name, cells in rows.items()
                if name not in (cast.laos.name, cast.russia.name, "Tổng cộng")
            }
        ),
        "total": rows["Tổng cộng"],
    }


def delegation_titles(document) -> list[str]:
    (table,) = [table for table in document.tables if table.rows[0].cells[1].text == "Đoàn"]
    return [row.cells[1].text for row in table.rows[1:]]


# --- the first six months ----------------------------------------------------------------------


def test_first_half_review(cast, records):
    lines, document = lines_of(review_document(2026, "first_half"))

    assert lines[0] == "DỰ THẢO"  # a review is a draft, unnumbered, until the union issues it
    assert lines[1] == "Hà Tĩnh, ngày 10 tháng 01 năm 2027"
    assert lines[2:4] == [
        "BÁO CÁO",
        "Sơ kết 6 tháng đầu năm 2026 công tác đối ngoại nhân dân và phương hướng nhiệm vụ 6 tháng cuối năm",
    ]
    assert "từ ngày 01/01/2026 đến ngày 30/06/2026" in lines[4]

    assert association_rows(document, cast) == {
        "laos": ["3", "1", "1"],
        "russia": ["2", "1", "1"],
        "others": [("0", "0", "0")],
        "total": ["5", "2", "2"],
    }

    assert "Trong kỳ, Liên hiệp và các hội thành viên tổ chức 2 đoàn ra và đón 1 đoàn vào." in lines
    assert delegation_titles(document) == [
        "Đoàn tìm kiếm, quy tập hài cốt liệt sĩ 03/2026",
        "Đoàn ra Bôlykhămxay",
        "Đoàn vào Khăm Muộn",
    ]

    students = line_starting(lines, "Trong kỳ, tỉnh hỗ trợ")
    assert students == (
        "Trong kỳ, tỉnh hỗ trợ 3 lưu học sinh Lào; tiếp nhận 1 lưu học sinh nhập học mới; 1 lưu học sinh tốt nghiệp. "
        "Tính đến ngày 30/06/2026 đã đào tạo 3 cán bộ, lưu học sinh Lào. Kinh phí đã chi trong kỳ: 8.050.000 đồng "
        "(Tám triệu không trăm năm mươi nghìn đồng)."
    )

    aid = line_starting(lines, "Trong kỳ, 1 chương trình")
    assert aid == (
        "Trong kỳ, 1 chương trình, dự án, khoản viện trợ được phê duyệt với tổng giá trị cam kết 800.000.000 đồng; "
        "2 dự án đang thực hiện; chưa có dự án kết thúc. Giải ngân trong kỳ: 350.000.000 đồng "
        f"({amount_in_words(350_000_000)}) cho 2 dự án."
    )
    assert amount_in_words(350_000_000) == "Ba trăm năm mươi triệu đồng"
    assert "Còn 1 báo cáo tiến độ viện trợ quá hạn chưa nhận được." in lines

    recovery = line_starting(lines, "Trong kỳ, phối hợp tổ chức")
    assert recovery.startswith("Trong kỳ, phối hợp tổ chức 1 đợt tìm kiếm, quy tập; cất bốc 12 và hồi hương 10 hài cốt")
    # As the totals stood on 30/06/2026: the mission of the second half is not counted yet.
    assert recovery.endswith("Từ năm 1999 đến ngày 30/06/2026 đã hồi hương 28 hài cốt.")

    assert "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM" in lines


# --- the whole year ------------------------------------------------------------------------------


def test_yearly_review(cast, records):
    lines, document = lines_of(review_document(2026, "year"))

    assert lines[3] == "Tổng kết năm 2026 công tác đối ngoại nhân dân và phương hướng nhiệm vụ năm 2027"
    assert "từ ngày 01/01/2026 đến ngày 31/12/2026" in lines[4]

    assert association_rows(document, cast) == {
        "laos": ["3", "1", "2"],
        "russia": ["2", "1", "1"],
        "others": [("0", "0", "0")],
        "total": ["5", "2", "3"],
    }

    assert "Trong kỳ, Liên hiệp và các hội thành viên tổ chức 4 đoàn ra và đón 1 đoàn vào." in lines
    assert len(delegation_titles(document)) == 5
    assert "Đoàn ra đã hủy" not in delegation_titles(document)

    assert line_starting(lines, "Trong kỳ, tỉnh hỗ trợ") == (
        "Trong kỳ, tỉnh hỗ trợ 4 lưu học sinh Lào; tiếp nhận 2 lưu học sinh nhập học mới; 1 lưu học sinh tốt nghiệp. "
        "Tính đến ngày 31/12/2026 đã đào tạo 4 cán bộ, lưu học sinh Lào. Kinh phí đã chi trong kỳ: 13.050.000 đồng "
        "(Mười ba triệu không trăm năm mươi nghìn đồng)."
    )
    assert line_starting(lines, "Trong kỳ, 2 chương trình") == (
        "Trong kỳ, 2 chương trình, dự án, khoản viện trợ được phê duyệt với tổng giá trị cam kết 1.300.000.000 đồng; "
        "2 dự án đang thực hiện; 1 dự án kết thúc. Giải ngân trong kỳ: 550.000.000 đồng "
        "(Năm trăm năm mươi triệu đồng) cho 2 dự án."
    )
    assert line_starting(lines, "Trong kỳ, phối hợp tổ chức").startswith(
        "Trong kỳ, phối hợp tổ chức 2 đợt tìm kiếm, quy tập; cất bốc 17 và hồi hương 15 hài cốt"
    )
    assert "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027" in lines


def test_review_ends_with_the_signature_and_the_recipients(records):
    _lines, document = lines_of(review_document(2026, "year"))

    recipients, signer = document.tables[-1].rows[0].cells
    assert [paragraph.text for paragraph in recipients.paragraphs] == [
        "Nơi nhận:",
        f"- UBND tỉnh {settings.PORTAL_PROVINCE_NAME}",
        "- Liên hiệp các tổ chức hữu nghị Việt Nam",
        "- Các hội thành viên",
        "- Lưu: VT.",
    ]
    assert [paragraph.text for paragraph in signer.paragraphs][:2] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]
    assert [paragraph.text for paragraph in signer.paragraphs][-1] == ""  # no name kept yet


def test_review_is_signed_by_the_name_the_administrator_keeps(records):
    IssuingBody.objects.filter(key=IssuingBody.UNION).update(
        signer_capacity="KT. Chủ tịch", signer_position="Phó Chủ tịch", signer_name="Trần Thị Bình"
    )
    _lines, document = lines_of(review_document(2026, "year"))

    signer = [paragraph.text for paragraph in document.tables[-1].rows[0].cells[1].paragraphs]
    assert signer[:2] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert signer[-1] == "Trần Thị Bình"


def test_review_of_an_empty_period_says_zero(cast):
    lines, _document = lines_of(review_document(2024, "first_half"))

    assert "Trong kỳ, Liên hiệp và các hội thành viên chưa tổ chức đoàn ra nào và chưa đón đoàn vào nào." in lines
    assert line_starting(lines, "Trong kỳ, chưa hỗ trợ lưu học sinh nào; chưa tiếp nhận").endswith(
        "Trong kỳ chưa chi kinh phí hỗ trợ."
    )
    assert line_starting(lines, "Trong kỳ, chưa có chương trình, dự án, khoản viện trợ nào được phê duyệt")
    assert line_starting(lines, "Trong kỳ, chưa tổ chức đợt tìm kiếm")
    assert not [line for line in lines if re.search(r"\b0 (đoàn|lưu học sinh|dự án|đợt|đồng)", line)]


def test_requested_review_is_built_under_its_name(cast, records, request_report):
    job = request_report("portal.union_review", {"year": 2026, "period": "first_half"}, cast.staff)

    assert (job.state, job.file_name) == (Job.State.DONE, "so-ket-6-thang-2026-du-thao.docx")
    with job.file.open("rb") as stored:
        lines, _document = lines_of(stored.read())
    assert lines[3].startswith("Sơ kết 6 tháng đầu năm 2026")


def test_a_final_review_takes_the_unions_next_number_once(cast, records, request_report):
    IssuingBody.objects.filter(key=IssuingBody.UNION).update(signer_name="Trần Thị Bình")
    draft = request_report("portal.union_review", {"year": 2026, "period": "year"}, cast.staff)
    final = request_report("portal.union_review", {"year": 2026, "period": "year", "final": True}, cast.staff)
    again = request_report("portal.union_review", {"year": 2026, "period": "year", "final": "on"}, cast.staff)

    (entry,) = OutgoingDocument.objects.all()
    assert (entry.reference, entry.year, entry.body.key, entry.signer_name) == (
        "01/BC-LHHN",
        2027,
        IssuingBody.UNION,
        "Trần Thị Bình",
    )
    assert entry.title.startswith("Tổng kết năm 2026 công tác đối ngoại nhân dân")
    assert (final.file_name, again.file_name) == ("tong-ket-nam-2026-so-01.docx", "tong-ket-nam-2026-so-01.docx")
    assert final.title == "Tổng kết năm 2026 (bản chính thức, có số)"
    for job, draft_mark, number in [(draft, True, ""), (final, False, "Số: 01/BC-LHHN")]:
        with job.file.open("rb") as stored:
            _lines, document = lines_of(stored.read())
        text = "\n".join(
            [paragraph.text for paragraph in document.paragraphs]
            + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        )
        assert ("DỰ THẢO" in text) is draft_mark
        assert ("01/BC-LHHN" in text) is not draft_mark and number in text

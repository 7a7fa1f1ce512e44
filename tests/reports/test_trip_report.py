"""The post-trip report (.docx): the draft queued when an outbound delegation comes home, the final
one when its report is filed, both in the layout of ND 30/2020; who sees and downloads them on the
delegation's page, and who may prepare them again."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.conf import settings
from django.urls import reverse

from delegations.models import BudgetLine, Delegation, ItineraryItem, TripReport
from delegations.reports import KIND, trip_report_document, trip_report_jobs, trip_report_subject
from delegations.services import delegations_follow_dates, trip_report_submit
from friendship_portal.core.models import IssuingBody, Job
from friendship_portal.core.words import in_words_line
from tests.clock import at
from tests.delegations.factories import DelegationFactory

State = Job.State
HOME_ON = datetime.date(2026, 5, 16)  # the day after the trip of 11–15/05/2026
HEADINGS = [
    "I. MỤC ĐÍCH, YÊU CẦU",
    "II. THÀNH PHẦN ĐOÀN",
    "III. CHƯƠNG TRÌNH, LỊCH TRÌNH",
    "IV. KẾT QUẢ",
    "V. ĐỀ XUẤT, KIẾN NGHỊ",
    "VI. KINH PHÍ",
]
PLANNED = 45_000_000 + 12_050_000  # 57.050.000
SPENT = 55_005_000
RESULTS = "Hai bên ký biên bản ghi nhớ hợp tác giai đoạn 2026–2030 về đào tạo lưu học sinh và giao lưu thanh niên."


@pytest.fixture
def clock_day():
    return HOME_ON


@pytest.fixture
def delegation(cast, clock, django_capture_on_commit_callbacks):
    """An approved trip of three to Bôlykhămxay, taken home by the daily task (which queues the draft)."""
    trip = DelegationFactory(
        status=Delegation.Status.APPROVED,
        title="Đoàn công tác Hội hữu nghị Việt Nam – Lào tỉnh thăm tỉnh Bôlykhămxay",
        decision_number="125/QĐ-UBND",
        decision_date=datetime.date(2026, 4, 20),
        members=3,
    )
    ItineraryItem.objects.create(
        delegation=trip,
        day=datetime.date(2026, 5, 12),
        place="Pakxan",
        activity="Làm việc với Hội hữu nghị Lào – Việt Nam",
    )
    BudgetLine.objects.create(delegation=trip, item="Vé máy bay, xe đi lại", amount=Decimal(45_000_000))
    BudgetLine.objects.create(delegation=trip, item="Quà tặng đối tác", amount=Decimal(12_050_000))

    with django_capture_on_commit_callbacks(execute=True):
        moved = delegations_follow_dates(today=HOME_ON)

    assert moved == {"started": 1, "ended": 1}
    trip.refresh_from_db()
    assert trip.status == Delegation.Status.RETURNED
    return trip


@pytest.fixture
def reported(cast, delegation, clock, django_capture_on_commit_callbacks):
    """The report filed by staff at 06:30 on 20 May, Hà Tĩnh time (still the 19th in UTC)."""
    clock.move_to(at(datetime.date(2026, 5, 20), hour=6, minute=30))
    with django_capture_on_commit_callbacks(execute=True):
        trip_report_submit(
            delegation_id=delegation.pk,
            actor=cast.staff,
            results=RESULTS,
            agreements="Trao đổi đoàn thanh niên hằng năm.",
            follow_up="Đề nghị UBND tỉnh hỗ trợ kinh phí đón đoàn Bôlykhămxay năm 2027.",
            actual_expenses=Decimal(SPENT),
        )
    delegation.refresh_from_db()
    return delegation


def opened(job: Job) -> docx.document.Document:
    with job.file.open("rb") as stored:
        return docx.Document(io.BytesIO(stored.read()))


def texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def cell_lines(cell) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs]


def table_with(document, header: str):
    (table,) = [table for table in document.tables if header in [cell.text for cell in table.rows[0].cells]]
    return [[cell.text for cell in row.cells] for row in table.rows]


def paragraph(document, text: str):
    (found,) = [paragraph for paragraph in document.paragraphs if paragraph.text == text]
    return found


# --- the draft ------------------------------------------------------------------------------------


def test_coming_home_queues_the_draft_which_is_built(delegation):
    latest = trip_report_jobs(delegation.pk)

    assert list(latest) == ["draft"]
    draft = latest["draft"]
    assert (draft.kind, draft.params, draft.requested_by, draft.state) == (
        KIND,
        {"delegation_id": delegation.pk, "final": False},
        None,
        State.DONE,
    )
    assert draft.file.name == f"reports/{draft.pk}/bao-cao-doan-{delegation.pk}-du-thao.docx"


def test_draft_starts_like_every_state_document(cast, delegation):
    document = opened(trip_report_jobs(delegation.pk)["draft"])

    left, right = document.tables[0].rows[0].cells
    assert [line.replace("\u00a0", " ") for line in cell_lines(left)] == [
        settings.PORTAL_UNION_NAME.upper(),
        cast.laos.name.upper(),
        "",  # the short rule under the issuing body
        "Số:       /BC-HNVL",  # the association's own code; a draft has no number yet
    ]
    assert left.paragraphs[1].runs[0].bold
    assert cell_lines(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert right.paragraphs[1].runs[0].underline

    lines = texts(document)
    assert lines[0] == "DỰ THẢO"
    assert paragraph(document, "DỰ THẢO").runs[0].bold
    # Days below 10 and the months 1 and 2 take a leading zero (ND 30/2020); May does not.
    assert lines[1] == "Hà Tĩnh, ngày 16 tháng 5 năm 2026"
    assert paragraph(document, lines[1]).runs[0].italic
    assert lines[2:4] == [
        "BÁO CÁO",
        f"Kết quả chuyến công tác {delegation.title} (Lào)",
    ]
    assert paragraph(document, "BÁO CÁO").runs[0].bold
    assert lines[4] == (
        "Thực hiện Quyết định số 125/QĐ-UBND ngày 20/04/2026, đoàn đã làm việc tại Lào "
        "từ ngày 11/05/2026 đến ngày 15/05/2026. Đoàn báo cáo kết quả như sau:"
    )


def test_draft_has_the_six_sections_in_order(delegation):
    lines = texts(opened(trip_report_jobs(delegation.pk)["draft"]))
    assert [line for line in lines if line in HEADINGS] == HEADINGS
    assert lines.index(HEADINGS[0]) < lines.index(HEADINGS[-1])


def test_draft_lists_the_members_with_the_head_marked(delegation):
    document = opened(trip_report_jobs(delegation.pk)["draft"])
    members = list(delegation.members.order_by("-is_head", "pk"))

    rows = table_with(document, "Họ và tên")
    assert rows[0] == ["TT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị"]
    assert [row[1] for row in rows[1:]] == [
        f"{members[0].full_name} (Trưởng đoàn)",
        members[1].full_name,
        members[2].full_name,
    ]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]


def test_draft_totals_the_budget_and_writes_it_in_words(delegation):
    document = opened(trip_report_jobs(delegation.pk)["draft"])

    rows = table_with(document, "Dự toán (đồng)")
    assert rows[1:] == [
        ["1", "Vé máy bay, xe đi lại", "45.000.000"],
        ["2", "Quà tặng đối tác", "12.050.000"],
        ["", "Tổng cộng", "57.050.000"],
    ]
    lines = texts(document)
    # The words follow their amount, in parentheses.
    assert "Tổng dự toán: 57.050.000 đồng (Bằng chữ: Năm mươi bảy triệu không trăm năm mươi nghìn đồng)." in lines
    assert in_words_line(PLANNED).rstrip(".") in lines[lines.index("VI. KINH PHÍ") + 1 :][0]
    assert "(Trưởng đoàn hoàn thiện phần kết quả và kiến nghị trước ngày 30/05/2026.)" in lines


def test_draft_is_set_in_times_new_roman_on_a4(delegation):
    document = opened(trip_report_jobs(delegation.pk)["draft"])

    assert document.styles["Normal"].font.name == "Times New Roman"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    assert 20 <= round(section.top_margin.mm) <= 25


def test_draft_ends_with_the_signature_and_the_recipients(delegation):
    IssuingBody.objects.filter(key=delegation.association.code).update(
        signer_capacity="TM. Ban Chấp hành", signer_position="Chủ tịch", signer_name="Nguyễn Văn Hải"
    )
    document = docx.Document(io.BytesIO(trip_report_document(delegation, final=False)))

    recipients, signer = document.tables[-1].rows[0].cells
    assert cell_lines(recipients)[0] == "Nơi nhận:"
    assert recipients.paragraphs[0].runs[0].bold and recipients.paragraphs[0].runs[0].italic
    assert cell_lines(recipients)[-1] == "- Lưu: VT."
    # The association that issues the report signs it: authority, position, room to sign, the name.
    assert [paragraph.text for paragraph in signer.paragraphs] == [
        "TM. BAN CHẤP HÀNH",
        "CHỦ TỊCH",
        "",
        "",
        "",
        "",
        "Nguyễn Văn Hải",
    ]


# --- the final report -----------------------------------------------------------------------------


def test_filing_the_report_queues_the_final_document(reported):
    latest = trip_report_jobs(reported.pk)

    assert set(latest) == {"draft", "final"}
    final = latest["final"]
    assert (final.params, final.state) == ({"delegation_id": reported.pk, "final": True}, State.DONE)
    assert final.file.name == f"reports/{final.pk}/bao-cao-doan-{reported.pk}-so-01.docx"


def test_final_document_has_the_results_and_the_expenses_in_words(reported):
    document = opened(trip_report_jobs(reported.pk)["final"])
    lines = texts(document)

    assert "DỰ THẢO" not in lines
    assert RESULTS in lines
    assert "Các nội dung đã thống nhất: Trao đổi đoàn thanh niên hằng năm." in lines
    assert "Đề nghị UBND tỉnh hỗ trợ kinh phí đón đoàn Bôlykhămxay năm 2027." in lines
    assert "Kinh phí thực chi: 55.005.000 đồng (Bằng chữ: Năm mươi lăm triệu không trăm linh năm nghìn đồng)." in lines
    assert in_words_line(SPENT).rstrip(".") + ")." in " ".join(lines)
    assert table_with(document, "Dự toán (đồng)")[-1] == ["", "Tổng cộng", "57.050.000"]


def test_final_document_is_dated_the_day_the_report_was_filed_in_ha_tinh(reported):
    lines = texts(opened(trip_report_jobs(reported.pk)["final"]))
    assert lines[0] == "Hà Tĩnh, ngày 20 tháng 5 năm 2026"


# --- on the delegation's page -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "laos_leader", "province"])
def test_page_offers_the_draft_and_the_final_for_download(cast, login, reported, role):
    latest = trip_report_jobs(reported.pk)
    client = login(getattr(cast, role))

    page = client.get(reverse("delegations:detail", args=[reported.pk])).content.decode()

    for stage in ("draft", "final"):
        url = reverse("report_download", args=[latest[stage].pk])
        assert f'href="{url}" data-testid="download-report-{stage}"' in page
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{latest[stage].file_name}"'
        paragraphs = [line.text for line in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs]
        assert "BÁO CÁO" in paragraphs[:3]


def test_leader_of_another_association_may_not_download_them(cast, login, reported):
    client = login(cast.russia_leader)

    assert client.get(reverse("delegations:detail", args=[reported.pk])).status_code == 403
    for job in trip_report_jobs(reported.pk).values():
        assert client.get(reverse("report_download", args=[job.pk])).status_code == 403


def test_staff_prepare_the_document_again(cast, login, reported, django_capture_on_commit_callbacks):
    before = trip_report_jobs(reported.pk)["final"]
    assert (
        'data-testid="prepare-report-document"'
        in login(cast.staff).get(reverse("delegations:detail", args=[reported.pk])).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.staff).post(reverse("delegations:report_document", args=[reported.pk]))

    assert (response.status_code, response["Location"]) == (302, reverse("delegations:detail", args=[reported.pk]))
    again = trip_report_jobs(reported.pk)["final"]
    assert again.pk != before.pk
    assert (again.requested_by, again.params, again.state) == (
        cast.staff,
        {"delegation_id": reported.pk, "final": True},
        State.DONE,
    )


@pytest.mark.parametrize("role", ["laos_leader", "province"])
def test_others_may_not_prepare_it_again(cast, login, reported, role):
    count = Job.objects.count()
    client = login(getattr(cast, role))

    assert (
        'data-testid="prepare-report-document"'
        not in client.get(reverse("delegations:detail", args=[reported.pk])).content.decode()
    )
    response = client.post(reverse("delegations:report_document", args=[reported.pk]))

    assert response.status_code == 403
    assert Job.objects.count() == count


def test_document_prepared_at_an_english_speakers_click_is_still_in_vietnamese(
    cast, login, reported, django_capture_on_commit_callbacks
):
    client = login(cast.staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("delegations:report_document", args=[reported.pk]))

    lines = texts(opened(trip_report_jobs(reported.pk)["final"]))
    assert lines[2] == f"Kết quả chuyến công tác {reported.title} (Lào)"
    assert lines[lines.index(HEADINGS[0]) + 1] == "Mục đích: giao lưu hữu nghị."


def test_the_final_report_takes_its_number_from_the_associations_register_once(
    cast, reported, django_capture_on_commit_callbacks
):
    from friendship_portal.core import reports
    from friendship_portal.core.models import OutgoingDocument

    first = opened(trip_report_jobs(reported.pk)["final"])
    with django_capture_on_commit_callbacks(execute=True):
        again = reports.report_request(
            kind=KIND, params={"delegation_id": reported.pk, "final": True}, actor=cast.staff
        )
    again.refresh_from_db()

    (entry,) = OutgoingDocument.objects.all()
    assert (entry.reference, entry.year, entry.title) == (
        "01/BC-HNVL",
        2026,
        f"Kết quả chuyến công tác {reported.title} (Lào)",
    )
    assert entry.issued_on == datetime.date(2026, 5, 20)
    assert entry.signer_name == IssuingBody.objects.get(key=reported.association.code).signer_name
    assert cell_lines(first.tables[0].rows[0].cells[0])[-1] == "Số: 01/BC-HNVL"
    assert cell_lines(opened(again).tables[0].rows[0].cells[0])[-1] == "Số: 01/BC-HNVL"


def test_a_title_that_names_the_country_is_not_followed_by_it_again(cast, clock):
    trip = DelegationFactory(title="Đoàn Hội hữu nghị Việt Nam – Ba Lan thăm và làm việc tại Ba Lan", countries=["PL"])
    assert trip_report_subject(trip) == f"Kết quả chuyến công tác {trip.title}"
    trip.countries = ["PL", "CZ"]
    assert trip_report_subject(trip).endswith("(Séc, Ba Lan)")


def test_a_draft_past_its_due_date_asks_for_the_results_now(cast, delegation, clock):
    clock.move_to(at(delegation.report_due_on + datetime.timedelta(days=3)))
    lines = texts(docx.Document(io.BytesIO(trip_report_document(delegation, final=False))))

    assert not any("trước ngày" in line for line in lines)
    due = f"{delegation.report_due_on:%d/%m/%Y}"
    assert f"(Trưởng đoàn hoàn thiện ngay phần kết quả và kiến nghị: hạn nộp báo cáo là ngày {due}.)" in lines


def test_the_capital_is_not_called_a_province(cast):
    from delegations.reports import _lao_place

    assert _lao_place("Thủ đô Viêng Chăn") == "Thủ đô Viêng Chăn"
    assert _lao_place("Bôlykhămxay") == "tỉnh Bôlykhămxay"


def test_the_spending_is_given_line_by_line_beside_the_estimate(
    cast, delegation, clock, login, django_capture_on_commit_callbacks
):
    """The report's form asks what was spent on each line of the estimate, as clerks write amounts; the
    total is their sum, and the final document sets each line's spending beside its estimate."""
    travel, gifts = delegation.budget_lines.order_by("pk")
    other = BudgetLine.objects.create(delegation=DelegationFactory(), item="Của đoàn khác", amount=Decimal(1))
    client = login(cast.staff)
    url = reverse("delegations:report", args=[delegation.pk])
    form = client.get(url).context["form"]
    assert "actual_expenses" not in form.fields  # the total is the lines' sum
    assert str(form.fields[f"spent_{travel.pk}"].help_text) == "Dự toán: 45.000.000 đ"

    refused = client.post(url, {"results": RESULTS, f"spent_{travel.pk}": "-5", f"spent_{other.pk}": "9"})
    assert refused.status_code == 200 and f"spent_{travel.pk}" in refused.context["form"].errors
    spent = {f"spent_{travel.pk}": "43.950.000", f"spent_{gifts.pk}": "11.055.000"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"results": RESULTS, **spent})
    assert response.status_code == 302

    travel.refresh_from_db(), gifts.refresh_from_db(), other.refresh_from_db()
    assert (travel.spent, gifts.spent, other.spent) == (Decimal(43_950_000), Decimal(11_055_000), None)
    assert TripReport.objects.get(delegation=delegation).actual_expenses == Decimal(SPENT)
    document = opened(trip_report_jobs(delegation.pk)["final"])
    assert table_with(document, "Thực chi (đồng)") == [
        ["TT", "Nội dung", "Dự toán (đồng)", "Thực chi (đồng)"],
        ["1", "Vé máy bay, xe đi lại", "45.000.000", "43.950.000"],
        ["2", "Quà tặng đối tác", "12.050.000", "11.055.000"],
        ["", "Tổng cộng", "57.050.000", "55.005.000"],
    ]

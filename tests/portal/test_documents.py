"""Official documents in the ND 30/2020 layout, checked by reopening the saved .docx."""

import datetime
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from friendship_portal.core.documents import (
    bullet,
    document_bytes,
    document_date_line,
    format_document_number,
    format_number,
    heading,
    official_document,
    paragraph,
    signature_block,
    table,
)

SUBJECT = "Kết quả công tác đối ngoại nhân dân năm 2025"


@pytest.fixture(autouse=True)
def hatinh_union(settings):
    settings.PORTAL_DOCUMENT_PLACE = "Hà Tĩnh"
    settings.PORTAL_DOCUMENT_SUFFIX = "LHHN"


def new_report(**overrides):
    arguments = {
        "number": 5,
        "type_code": "BC",
        "issued_on": datetime.date(2026, 1, 5),
        "parent_body": "Liên hiệp các tổ chức hữu nghị Việt Nam",
        "issuing_body": "Liên hiệp các tổ chức hữu nghị tỉnh Hà Tĩnh",
        "subject": SUBJECT,
    }
    return official_document(**(arguments | overrides))


def reopen(document):
    return docx.Document(BytesIO(document_bytes(document)))


@pytest.fixture
def report():
    document = new_report()
    heading(document, "I. KẾT QUẢ ĐẠT ĐƯỢC")
    paragraph(document, "Năm 2025, Liên hiệp đã đón và làm việc với các đoàn hữu nghị của nước bạn.")
    bullet(document, "Đón 12 đoàn vào")
    table(
        document,
        ["TT", "Nội dung", "Kinh phí (đồng)"],
        [[1, "Đón đoàn Hội hữu nghị Lào - Việt Nam", Decimal("1250000.00")], [2, "Hội thảo", 30_050_015_000]],
        widths_mm=[15, 100, 50],
        total_row=["", "Tổng cộng", Decimal("30051265000")],
    )
    signature_block(
        document,
        capacity="TM. Ban Thường trực",
        position="Chủ tịch",
        signer="Nguyễn Văn An",
        recipients=["Như trên;", "Thường trực Tỉnh ủy;", "- Lưu: VT, LHHN."],
    )
    return reopen(document)


def texts(cell):
    return [line.text for line in cell.paragraphs]


def test_page_is_a4_with_the_decree_margins(report):
    section = report.sections[0]

    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    measured += [section.left_margin, section.right_margin]
    assert [length.mm for length in measured] == pytest.approx([210, 297, 20, 20, 30, 15], abs=0.5)


def test_default_font_is_times_new_roman_also_for_east_asian_letters(report):
    normal = report.styles["Normal"]

    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert fonts.get(qn("w:hAnsi")) == "Times New Roman"


def test_header_names_parent_and_issuing_body_and_the_number(report):
    header = report.tables[0]
    left = header.rows[0].cells[0]

    assert header.style.name == "Normal Table"  # no borders
    assert [text.replace("\u00a0", " ") for text in texts(left)] == [
        "LIÊN HIỆP CÁC TỔ CHỨC HỮU NGHỊ VIỆT NAM",
        "LIÊN HIỆP CÁC TỔ CHỨC HỮU NGHỊ TỈNH HÀ TĨNH",
        "",  # the short rule under the issuing body
        "Số: 05/BC-LHHN",
    ]
    superior, issuing, rule, number = left.paragraphs
    assert [bool(line.runs[0].bold) for line in (superior, issuing, number)] == [False, True, False]
    assert {line.runs[0].font.size for line in (superior, issuing, number)} == {Pt(13)}
    assert {line.alignment for line in (superior, issuing, number)} == {WD_ALIGN_PARAGRAPH.CENTER}
    assert rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"


def test_the_issuing_body_breaks_only_between_whole_names():
    document = new_report(
        parent_body="Liên hiệp các tổ chức hữu nghị tỉnh Hà Tĩnh",
        issuing_body="Hội hữu nghị Việt Nam – Lào tỉnh Hà Tĩnh",
    )
    issuing = reopen(document).tables[0].rows[0].cells[0].paragraphs[1].text

    assert issuing == "HỘI HỮU NGHỊ VIỆT\u00a0NAM\u00a0–\u00a0LÀO TỈNH\u00a0HÀ\u00a0TĨNH"
    assert reopen(document).tables[0].columns[0].width > Mm(60)


def test_header_carries_the_national_motto(report):
    right = report.tables[0].rows[0].cells[1]
    country, motto = right.paragraphs

    assert texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert country.runs[0].bold and country.runs[0].font.size == Pt(12)  # 12–13 pt allowed; 12 fits one line
    assert motto.runs[0].bold and motto.runs[0].underline and motto.runs[0].font.size == Pt(14)
    assert not country.runs[0].underline


def test_date_line_title_and_subject_open_the_body(report):
    date_line, title, subject = report.paragraphs[:3]

    assert date_line.text == "Hà Tĩnh, ngày 05 tháng 01 năm 2026"
    assert date_line.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert all(run.italic for run in date_line.runs)
    assert (title.text, subject.text) == ("BÁO CÁO", SUBJECT)
    assert all(run.bold for run in title.runs + subject.runs)
    assert title.alignment == subject.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_body_text_is_justified_with_first_line_indent(report):
    section_heading, body, item = report.paragraphs[3:6]

    assert section_heading.text == "I. KẾT QUẢ ĐẠT ĐƯỢC"
    assert section_heading.runs[0].bold
    assert body.text.startswith("Năm 2025, Liên hiệp")
    assert not body.runs[0].bold
    assert item.text == "- Đón 12 đoàn vào"
    for line in (section_heading, body, item):
        assert line.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert line.paragraph_format.first_line_indent.cm == pytest.approx(1.27, abs=0.01)


def test_table_writes_numbers_with_dots_aligned_right(report):
    grid = report.tables[1]

    assert grid.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in grid.rows] == [
        ["TT", "Nội dung", "Kinh phí (đồng)"],
        ["1", "Đón đoàn Hội hữu nghị Lào - Việt Nam", "1.250.000"],
        ["2", "Hội thảo", "30.050.015.000"],
        ["", "Tổng cộng", "30.051.265.000"],
    ]
    header, first, _second, total = grid.rows
    assert all(cell.paragraphs[0].runs[0].bold for cell in header.cells)
    assert not first.cells[2].paragraphs[0].runs[0].bold
    assert all(cell.paragraphs[0].runs[0].bold for cell in total.cells)
    assert first.cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert first.cells[1].paragraphs[0].runs[0].font.size == Pt(12)
    assert first.cells[1].width.mm == pytest.approx(100, abs=0.5)


def test_signature_block_lists_recipients_and_the_signer(report):
    left, right = report.tables[2].rows[0].cells

    assert texts(left) == ["Nơi nhận:", "- Như trên;", "- Thường trực Tỉnh ủy;", "- Lưu: VT, LHHN."]
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    assert {line.runs[0].font.size for line in left.paragraphs[1:]} == {Pt(11)}
    signer_lines = [text for text in texts(right) if text]
    assert signer_lines == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Nguyễn Văn An"]
    assert all(line.runs[0].bold for line in right.paragraphs if line.text)
    assert right.paragraphs[-1].text == "Nguyễn Văn An"


def test_signature_without_capacity_starts_with_the_position():
    document = new_report()
    signature_block(document, capacity="", position="Chủ tịch", signer="Nguyễn Văn An", recipients=["Lưu: VT."])

    right = reopen(document).tables[1].rows[0].cells[1]
    assert right.paragraphs[0].text == "CHỦ TỊCH"


def test_page_numbers_from_the_second_page_on(report):
    section = report.sections[0]

    assert section.different_first_page_header_footer
    assert "PAGE" in "".join(text.text for text in section.header._element.iter(qn("w:instrText")))
    assert not section.first_page_header.is_linked_to_previous
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))


def test_draft_keeps_the_blank_for_its_number():
    left = reopen(new_report(number=None)).tables[0].rows[0].cells[0]

    number = left.paragraphs[-1]
    assert number.text == "Số:       /BC-LHHN"
    assert number.runs[0]._r.find(qn("w:t")).get(qn("xml:space")) == "preserve"  # Word keeps the blanks


def test_without_parent_body_the_issuing_body_comes_first():
    left = reopen(new_report(parent_body="")).tables[0].rows[0].cells[0]

    assert [text.replace("\u00a0", " ") for text in texts(left)] == [
        "LIÊN HIỆP CÁC TỔ CHỨC HỮU NGHỊ TỈNH HÀ TĨNH",
        "",
        "Số: 05/BC-LHHN",
    ]


@pytest.mark.parametrize(
    ("type_code", "title"),
    [
        ("BC", "BÁO CÁO"),
        ("TTr", "TỜ TRÌNH"),
        ("KH", "KẾ HOẠCH"),
        ("ĐA", "ĐỀ ÁN"),
        ("QĐ", "QUYẾT ĐỊNH"),
        ("TB", "THÔNG BÁO"),
    ],
)
def test_title_follows_the_type_code(type_code, title):
    document = reopen(new_report(type_code=type_code))

    assert document.paragraphs[1].text == title
    assert texts(document.tables[0].rows[0].cells[0])[-1] == f"Số: 05/{type_code}-LHHN"


def test_unknown_type_code_needs_its_own_title():
    with pytest.raises(ValueError):
        new_report(type_code="CV")

    document = reopen(new_report(type_code="CV", title="Công văn"))
    assert document.paragraphs[1].text == "CÔNG VĂN"


@pytest.mark.parametrize(
    ("number", "type_code", "expected"),
    [
        (5, "BC", "05/BC-LHHN"),
        (12, "BC", "12/BC-LHHN"),
        (1, "TTr", "01/TTr-LHHN"),
        (123, "QĐ", "123/QĐ-LHHN"),
        (None, "BC", "      /BC-LHHN"),
    ],
)
def test_format_document_number(number, type_code, expected):
    assert format_document_number(number, type_code) == expected


def test_document_number_starts_at_one():
    with pytest.raises(ValueError):
        format_document_number(0, "BC")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 1, 5), "Hà Tĩnh, ngày 05 tháng 01 năm 2026"),
        (datetime.date(2026, 11, 26), "Hà Tĩnh, ngày 26 tháng 11 năm 2026"),
        (datetime.date(2026, 2, 28), "Hà Tĩnh, ngày 28 tháng 02 năm 2026"),
        (datetime.date(2026, 3, 9), "Hà Tĩnh, ngày 09 tháng 3 năm 2026"),
        (datetime.date(2026, 12, 10), "Hà Tĩnh, ngày 10 tháng 12 năm 2026"),
    ],
)
def test_document_date_line(day, expected):
    assert document_date_line(day) == expected


def test_place_and_number_suffix_come_from_settings(settings):
    settings.PORTAL_DOCUMENT_PLACE = "Nghệ An"
    settings.PORTAL_DOCUMENT_SUFFIX = "LHHN-X"

    assert format_document_number(5, "BC") == "05/BC-LHHN-X"
    assert document_date_line(datetime.date(2026, 1, 5)) == "Nghệ An, ngày 05 tháng 01 năm 2026"
    document = reopen(new_report())
    assert texts(document.tables[0].rows[0].cells[0])[-1] == "Số: 05/BC-LHHN-X"
    assert document.paragraphs[0].text == "Nghệ An, ngày 05 tháng 01 năm 2026"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (1_234_567, "1.234.567"),
        (-1_234, "-1.234"),
        (Decimal("1250000.00"), "1.250.000"),
        (Decimal("1E+3"), "1.000"),
        (Decimal("1234.50"), "1.234,50"),
    ],
)
def test_format_number(value, expected):
    assert format_number(value) == expected

"""Word documents in the layout of state documents (ND 30/2020/NĐ-CP): reports, plans, submissions.

The text inside is Vietnamese whatever the reader's language: official documents are always
written in Vietnamese, so none of it goes through gettext.
"""

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

import docx
from django.conf import settings
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from friendship_portal.core.display import format_exact

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)
NATIONAL_TITLE_SIZE = Pt(12)  # the decree allows 12–13 pt; 12 keeps it on one line beside the issuer
TABLE_SIZE = Pt(12)
RECIPIENTS_SIZE = Pt(11)
FIRST_LINE_INDENT = Cm(1.27)
TEXT_WIDTH_MM = 210 - 30 - 15
ISSUER_WIDTH_MM = 68

DOCUMENT_TYPES = {
    "BC": "BÁO CÁO",
    "TTr": "TỜ TRÌNH",
    "KH": "KẾ HOẠCH",
    "ĐA": "ĐỀ ÁN",
    "QĐ": "QUYẾT ĐỊNH",
    "TB": "THÔNG BÁO",
}


NO_BREAK_SPACE = "\u00a0"


def keep_names_together(text: str) -> str:
    """Join with no-break spaces the words of the names in an issuing body that a line break must not
    part: "…VIỆT NAM – LÀO TỈNH HÀ TĨNH" breaks as "HỘI HỮU NGHỊ / VIỆT NAM – LÀO / TỈNH HÀ TĨNH",
    never "VIỆT / NAM" or "HÀ / TĨNH" (the decree's model breaks between whole names)."""
    province = settings.PORTAL_PROVINCE_NAME
    glued = [province, f"tỉnh {province}", "Việt Nam"]
    for name in glued:
        pattern = re.compile(r"\s+".join(re.escape(word) for word in name.split()), re.IGNORECASE)
        text = pattern.sub(lambda match: NO_BREAK_SPACE.join(match.group(0).split()), text)
    # "VIỆT NAM – LÀO": the two partners with the dash between them.
    return re.sub(r"(\S+) ([–-]) (\S+)", lambda m: NO_BREAK_SPACE.join(m.groups()), text)


def format_document_number(number: int | None, type_code: str, body_code: str = "") -> str:
    """5 → "05/BC-LHHN" (the union's code unless the issuing body's is given); a draft without its
    number yet leaves a blank to fill in by hand."""
    suffix = f"/{type_code}-{body_code or settings.PORTAL_DOCUMENT_SUFFIX}"
    if number is None:
        return " " * 6 + suffix
    if number < 1:
        raise ValueError(f"a document number starts at 1, not {number}")
    return f"{number:02d}{suffix}"


def document_date_line(date: datetime.date) -> str:
    """date(2026, 1, 5) → "Hà Tĩnh, ngày 05 tháng 01 năm 2026", the place coming from settings."""
    # The decree pads days below 10 and the months 1 and 2 so no digit can be added in front
    # afterwards; March to December stay as they are ("tháng 3").
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{settings.PORTAL_DOCUMENT_PLACE}, ngày {date.day:02d} tháng {month} năm {date.year}"


def format_number(value: int | Decimal | float) -> str:
    """1234567 and Decimal("1234567.00") → "1.234.567"; Decimal("1234.50") → "1.234,50"."""
    return format_exact(value, trim=False)


def official_document(
    *,
    number: int | None,
    type_code: str,
    issued_on: datetime.date,
    parent_body: str,
    issuing_body: str,
    subject: str,
    title: str | None = None,
    body_code: str = "",
    draft: bool = False,
) -> Document:
    """A new document with its page set up and the heading every state document starts with.

    `title` is the document type as printed (BÁO CÁO); by default it follows `type_code`.
    An empty `parent_body` leaves that line out; `body_code` is the issuing body's code in the
    number (the union's by default). A draft is marked "DỰ THẢO" above the heading.
    """
    if title is None:
        if type_code not in DOCUMENT_TYPES:
            raise ValueError(f"unknown document type {type_code!r}; known: {', '.join(DOCUMENT_TYPES)}")
        title = DOCUMENT_TYPES[type_code]
    document = docx.Document()
    document.core_properties.title = subject
    document.core_properties.author = issuing_body
    document.core_properties.language = "vi-VN"
    _set_default_font(document)
    _set_up_page(document)

    if draft:
        mark = document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        mark.paragraph_format.space_after = Pt(6)
        mark.add_run("DỰ THẢO").bold = True
    # The right column must hold the national title on one line (12 pt bold, about 97 mm); the left
    # one takes the rest, and the bodies' names break only between the words that may be parted.
    header = _borderless_table(document, widths_mm=(ISSUER_WIDTH_MM, TEXT_WIDTH_MM - ISSUER_WIDTH_MM))
    left, right = header.rows[0].cells
    if parent_body:
        _cell_line(left, keep_names_together(parent_body.upper()), size=HEADER_SIZE)
    _cell_line(left, keep_names_together(issuing_body.upper()), size=HEADER_SIZE, bold=True)
    _short_rule(left)
    _cell_line(left, f"Số: {format_document_number(number, type_code, body_code)}", size=HEADER_SIZE)
    _cell_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=NATIONAL_TITLE_SIZE, bold=True)
    _cell_line(right, "Độc lập - Tự do - Hạnh phúc", size=BODY_SIZE, bold=True, underline=True)

    date_line = document.add_paragraph()
    date_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date_line.paragraph_format.space_before = Pt(6)
    date_line.add_run(document_date_line(issued_on)).italic = True

    type_line = document.add_paragraph()
    type_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    type_line.paragraph_format.space_before = Pt(18)
    type_line.add_run(title.upper()).bold = True
    subject_line = document.add_paragraph()
    subject_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subject_line.paragraph_format.space_after = Pt(12)
    subject_line.add_run(subject).bold = True
    return document


def heading(document: Document, text: str) -> Paragraph:
    """A section heading such as "I. MỤC ĐÍCH, YÊU CẦU", kept on the page of the text it heads."""
    line = paragraph(document, text, bold=True)
    line.paragraph_format.keep_with_next = True
    return line


def paragraph(document: Document, text: str, *, bold: bool = False, italic: bool = False) -> Paragraph:
    """Body text: justified, first line indented, 6 pt between paragraphs as the decree asks.

    Each line of a text typed with line breaks becomes its own paragraph (a justified line ending
    in a break would be stretched across the page)."""
    for text_line in str(text).splitlines() or [""]:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        line.paragraph_format.first_line_indent = FIRST_LINE_INDENT
        line.paragraph_format.space_before = Pt(6)
        run = line.add_run(text_line)
        run.bold = bold or None
        run.italic = italic or None
    return line


def bullet(document: Document, text: str) -> Paragraph:
    """A "- ..." line of a list, indented like body text."""
    return paragraph(document, f"- {text}")


def table(
    document: Document,
    headers: list[str],
    rows: list[list],
    *,
    widths_mm: Sequence[float] | None = None,
    total_row: list | None = None,
) -> Table:
    """A bordered table in 12 pt under a bold header row that repeats on every page.

    Numbers (int, Decimal) are written with "." between thousands and aligned right; anything
    else is written as it is, None as an empty cell. `total_row` comes last, in bold.
    """
    body = [*rows, total_row] if total_row is not None else rows
    grid = document.add_table(rows=1 + len(body), cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_as_header(grid.rows[0])
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        _cell_line(cell, text, size=TABLE_SIZE, bold=True)
    for index, values in enumerate(body, start=1):
        bold = total_row is not None and index == len(body)
        for cell, value in zip(grid.rows[index].cells, values, strict=True):
            if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
                _cell_line(cell, format_number(value), size=TABLE_SIZE, bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT)
            else:
                text = "" if value is None else str(value)
                _cell_line(cell, text, size=TABLE_SIZE, bold=bold, align=WD_ALIGN_PARAGRAPH.LEFT)
    if widths_mm:
        _set_widths(grid, widths_mm)
    return grid


def signature_block(document: Document, *, capacity: str, position: str, signer: str, recipients: list[str]) -> Table:
    """The "Nơi nhận:" list on the left, the signer on the right; `capacity` (TM./KT./TL.) may be empty."""
    block = _borderless_table(document, widths_mm=(75, TEXT_WIDTH_MM - 75))
    block.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a signature never starts a page
    left, right = block.rows[0].cells
    _cell_line(left, "Nơi nhận:", size=TABLE_SIZE, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for recipient in recipients:
        text = recipient if recipient.startswith("-") else f"- {recipient}"
        _cell_line(left, text, size=RECIPIENTS_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
    if capacity:
        _cell_line(right, capacity.upper(), size=BODY_SIZE, bold=True)
    _cell_line(right, position.upper(), size=BODY_SIZE, bold=True)
    for _blank in range(4):  # room for the signature and the seal
        _cell_line(right, "", size=BODY_SIZE)
    _cell_line(right, signer, size=BODY_SIZE, bold=True)
    return block


def document_bytes(document: Document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_default_font(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    # Word takes some Vietnamese letters from the East Asian font slot (when an East Asian
    # editing language is on, for one); left unset, it falls back to the theme font mid-word.
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(language)  # spell-checked as Vietnamese, not English
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _set_up_page(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    # Page numbers start on page 2: the first page gets a header of its own, left empty.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    begin, instruction, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    number.add_run()._r.extend((begin, instruction, end))


def _borderless_table(document: Document, *, widths_mm: tuple[float, float]) -> Table:
    grid = document.add_table(rows=1, cols=2)
    grid.style = document.styles["Normal Table"]
    _set_widths(grid, widths_mm)
    return grid


def _set_widths(grid: Table, widths_mm: Sequence[float]) -> None:
    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:  # Word reads the cells' widths, LibreOffice the grid's
            cell.width = Mm(width)


def _repeat_as_header(row: _Row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _short_rule(cell: _Cell) -> None:
    """The short rule under the issuing body: a third of the column, centred (a bottom border on an
    empty, indented line of minimal height)."""
    line = cell.add_paragraph()
    indent = Mm(ISSUER_WIDTH_MM / 3)
    line.paragraph_format.left_indent = indent
    line.paragraph_format.right_indent = indent
    line.paragraph_format.space_after = Pt(2)
    line.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attribute, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(attribute), value)
    borders.append(bottom)
    line._p.get_or_add_pPr().append(borders)


def _cell_line(
    cell: _Cell,
    text: str,
    *,
    size: Pt,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    """A line in a table cell; a new cell's empty first paragraph is used rather than left blank."""
    first = cell.paragraphs[0]
    line = first if len(cell.paragraphs) == 1 and not first.runs and not first.text else cell.add_paragraph()
    line.alignment = align
    run = line.add_run(text)
    if "  " in text:  # the blanks of a draft's number, which Word would otherwise squeeze
        run._r.find(qn("w:t")).set(qn("xml:space"), "preserve")
    run.font.size = size
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    return line

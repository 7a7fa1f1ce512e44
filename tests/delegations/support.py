"""What several delegation tests share: the stopped clock's day, sample files, the event trail."""

import datetime
import io
import zipfile

from delegations.models import DelegationEvent

# The clock of most tests: a Monday morning in Hà Tĩnh, a week before the factories' trip (11–15/05/2026).
TODAY = datetime.date(2026, 5, 4)


def events_of(delegation) -> list[DelegationEvent]:
    return list(DelegationEvent.objects.filter(delegation=delegation).order_by("pk"))


def _office_file(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(main_part, '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


# Small but genuine beginnings of each accepted kind of file.
SAMPLES = {
    "quyet-dinh.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    "de-an.docx": _office_file("word/document.xml"),
    "du-toan.xlsx": _office_file("xl/workbook.xml"),
    "anh-doan.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00",
    "anh-ban-giao.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
}

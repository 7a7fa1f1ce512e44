"""What several scholarship tests share: the stopped clock's day and Excel files to import."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from scholarships.imports import STUDENT_IMPORT

# The clock of the tests that need one: a Monday in March 2026, halfway through the academic year.
TODAY = datetime.date(2026, 3, 16)


HEADERS = {column.key: column.header for column in STUDENT_IMPORT.columns}

# One enrollment of one student, as a clerk types it from the template's own examples.
GOOD_ROW = {
    "full_name": "Souksavanh Keobounphanh",
    "full_name_lao": "ສຸກສະຫວັນ ແກ້ວບຸນພັນ",
    "gender": "Nữ",
    "date_of_birth": "12/03/2004",
    "lao_province": "Bôlykhămxay",
    "passport_number": "P1234567",
    "passport_expiry": "30/06/2029",
    "residence_expiry": "31/08/2027",
    "phone": "0912345678",
    "email": "souksavanh@example.la",
    "is_official": "Không",
    "sending_body": "Sở Giáo dục và Thể thao tỉnh Bôlykhămxay",
    "institution": "ĐH Hà Tĩnh",
    "level": "Đại học",
    "major": "Điều dưỡng",
    "start_date": "05/09/2025",
    "expected_end": "30/06/2029",
    "status": "Đang học",
    "ended_on": "",
}


def row(**changes) -> dict:
    """GOOD_ROW with some cells changed: `row(passport_number="P7654321", level="Cao đẳng")`."""
    return {**GOOD_ROW, **changes}


def people(count: int, **changes) -> list[dict]:
    """`count` different students, each with one enrollment (passports P0000001, P0000002 …)."""
    return [
        row(full_name=f"Khamla Sisavath {number}", passport_number=f"P{number:07d}", **changes)
        for number in range(1, count + 1)
    ]


def xlsx(rows, headers=None) -> bytes:
    """A workbook whose first sheet holds `headers` (the template's, by default) then `rows`.

    A row is a dict by column key (a cell missing from it is left empty) or a list of raw cells;
    `None` for a row leaves a blank line.
    """
    headers = list(HEADERS.values()) if headers is None else headers
    keys = [key for key, header in HEADERS.items() if header in headers]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        if values is None:
            sheet.append([])
        elif isinstance(values, dict):
            by_header = {HEADERS[key]: values.get(key, "") for key in keys}
            sheet.append([by_header.get(header, "") for header in headers])
        else:
            sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "luu-hoc-sinh-lao.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")

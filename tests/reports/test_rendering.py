"""What a reader sees: the documents the portal writes from the demo, converted to PDF by LibreOffice
(as the office opens them to print and sign) and read back with pdftotext and pdfinfo.

Every kind of file the office prints is here: the union's yearly and first-half reviews, a trip
report as a draft and as the final, the budget and aid yearly summaries, a list exported at once and
one streamed by the export job, and the three import templates. All of them go through one
LibreOffice run (its start-up is most of the time).

CI installs LibreOffice and poppler-utils and always runs these; elsewhere, without them, the module
is skipped with a loud reason (tests/reports/renderer.py).
"""

import io
import math
import re
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from aid_projects.reports import aid_yearly_workbook
from aid_projects.views import IMPORTS as AID_IMPORTS
from delegations.models import Delegation
from delegations.reports import issuing_body_of, trip_report_document
from friendship_portal.core.jobs import job_run
from friendship_portal.core.models import IssuingBody, Job
from friendship_portal.core.record_views import LIST_EXPORT, XLSX
from friendship_portal.overview.summaries import budget_summary_workbook, review_document
from tests.clock import at
from tests.reports.renderer import IN_CI, INSTALL, MISSING, PDFINFO, PDFTOTEXT, SKIP_REASON, SOFFICE, require_renderer
from tests.workbooks import open_book

if MISSING and not IN_CI:
    print(f"\n!!!! The rendering tests are SKIPPED: {' and '.join(MISSING)} missing ({INSTALL}).\n")
pytestmark = [
    pytest.mark.skipif(bool(MISSING) and not IN_CI, reason=SKIP_REASON),
    pytest.mark.django_db,
    # The demo is seeded and every file rendered once for the module: on one xdist worker, not on each.
    pytest.mark.xdist_group("rendering"),
]

SIGNER = "Trần Thị Bình"
# The clock of the demo: its year is the year the documents are of.
DAY = at(timezone.localdate().replace(month=12, day=3))
# A list exported at once (long titles and amounts: the widest list), and one long enough that the
# office would be sent to the reports page for it (hundreds of members, many pages).
IN_REQUEST_EXPORT = "aid_projects:project_list"
STREAMED_EXPORT = "associations:member_list"

DOCUMENTS = ["review.docx", "review-half.docx", "trip-draft.docx", "trip-final.docx"]
LISTS = ["projects.xlsx", "members.xlsx"]
TEMPLATES = ["students-template.xlsx", *(f"aid-{kind}-template.xlsx" for kind in AID_IMPORTS)]
WORKBOOKS = ["budget.xlsx", "aid-yearly.xlsx", *LISTS, *TEMPLATES]
# The pages a document may take: the reviews have several sections and tables, a trip report a few.
DOCUMENT_PAGES = {
    "review.docx": (2, 8),
    "review-half.docx": (2, 8),
    "trip-draft.docx": (1, 4),
    "trip-final.docx": (1, 4),
}
# A landscape page of a workbook printed one page wide holds at least this many of its rows (long
# names wrap onto two or three lines), and at most this many while still readable.
ROWS_A_PAGE = (20, 80)
A4 = (595.3, 841.9)  # points


@dataclass
class Printed:
    """A rendered file: the text of each page (pdftotext -layout), each page's size, and the file."""

    pages: list[str]
    sizes: list[tuple[float, float]]
    content: bytes

    @property
    def text(self) -> str:
        return "\f".join(self.pages)

    @cached_property
    def sheets(self) -> list:
        return open_book(self.content).worksheets


@dataclass
class Rendering:
    files: dict[str, Printed]
    association_signer: str  # who signs for the association that reports on its trip
    head: str  # the head of the reported delegation, named in the trip report


def downloaded(client, url: str, query: dict | None = None) -> bytes:
    response = client.get(url, query or {})
    assert response.status_code == 200, url
    assert response["Content-Type"] == XLSX, url
    return response.content


def exported_by_a_job(client, url: str) -> bytes:
    """A list too long to answer at once: the page queues the export job, which streams the file."""
    with override_settings(EXPORT_IN_REQUEST_MAX_ROWS=0):
        response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 302, url
    job = Job.objects.filter(kind=LIST_EXPORT).latest("pk")
    job = job_run(job_id=job.pk)  # what the worker does once the request commits (the fixture never commits)
    assert job.state == Job.State.DONE, job.error
    with job.file.open("rb") as stored:
        return stored.read()


def printed(pdf: Path, content: bytes) -> Printed:
    layout = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(
        [PDFINFO, "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)]
    pages = layout.split("\f")[:-1]  # pdftotext ends every page with a form feed
    assert len(pages) == len(sizes), pdf
    return Printed(pages=pages, sizes=sizes, content=content)


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory) -> Rendering:
    require_renderer()
    folder = tmp_path_factory.mktemp("rendered")
    year = DAY.year
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(DEBUG=True, MEDIA_ROOT=folder / "media"),
        time_machine.travel(DAY, tick=False),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        IssuingBody.objects.filter(key=IssuingBody.UNION).update(signer_name=SIGNER)
        reported = (
            Delegation.objects.filter(report__isnull=False, association__code="laos")
            .select_related("association", "report")
            .order_by("pk")
            .first()
        )
        assert reported is not None, "the demo has a filed post-trip report of the Việt Nam – Lào association"
        client = Client()
        client.force_login(get_user_model().objects.get(username="staff"))
        files = {
            "review.docx": review_document(year, "year"),
            "review-half.docx": review_document(year, "first_half"),
            "trip-draft.docx": trip_report_document(reported, final=False),
            "trip-final.docx": trip_report_document(reported, final=True, number=3, body=issuing_body_of(reported)),
            "budget.xlsx": budget_summary_workbook(year)[0],
            "aid-yearly.xlsx": aid_yearly_workbook(year),
            "projects.xlsx": downloaded(client, reverse(IN_REQUEST_EXPORT), {"export": "xlsx"}),
            "members.xlsx": exported_by_a_job(client, reverse(STREAMED_EXPORT)),
            "students-template.xlsx": downloaded(client, reverse("scholarships:import_template")),
            **{
                f"aid-{kind}-template.xlsx": downloaded(client, reverse("aid_projects:import_template", args=[kind]))
                for kind in AID_IMPORTS
            },
        }
        association_signer = issuing_body_of(reported).signer_name
        head = reported.members.filter(is_head=True).values_list("full_name", flat=True).first()
        transaction.set_rollback(True)
    assert sorted(files) == sorted(DOCUMENTS + WORKBOOKS)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    # One LibreOffice for every file (it starts in seconds); its profile in the test's folder.
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(folder / name) for name in files),
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    return Rendering(
        files={name: printed(folder / f"{Path(name).stem}.pdf", content) for name, content in files.items()},
        association_signer=association_signer,
        head=head or "",
    )


def lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


def numbered_rows(page: str) -> list[int]:
    """The STT numbers that begin the lines of a page: a table's first column, followed by its row."""
    return [int(number) for number in re.findall(r"^\s*(\d+)\s{2,}\S", page, re.M)]


# --- the documents ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_header_of_each_document_breaks_only_between_whole_names(rendered, name):
    header = lines(rendered.files[name].text)[:8]
    joined = " ".join(header)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in joined
    assert "Độc lập - Tự do - Hạnh phúc" in joined
    assert "TỈNH HÀ TĨNH" in joined
    for broken in (r"VIỆT\s*$", r"^\s*NAM\b", r"\bHÀ\s*$", r"^\s*TĨNH"):
        assert not any(re.search(broken, line) for line in header), (broken, header)


def test_an_associations_report_carries_its_own_name_and_code(rendered):
    text = rendered.files["trip-final.docx"].text
    assert "VIỆT NAM – LÀO" in text
    assert "Số: 03/BC-HNVL" in re.sub(r"[ ]+", " ", text)
    assert "DỰ THẢO" not in text


def test_a_filed_trip_report_gives_the_spending_line_by_line_beside_the_estimate(rendered):
    text = re.sub(r"[ ]+", " ", rendered.files["trip-final.docx"].text)
    assert "Dự toán (đồng) Thực chi (đồng)" in text
    spent = re.search(r"Tổng cộng ([\d.]+) ([\d.]+)", text)
    assert spent, text
    planned, total = (int(amount.replace(".", "")) for amount in spent.groups())
    assert 0 < total < planned
    assert f"Kinh phí thực chi: {spent.group(2)} đồng" in text


def test_a_draft_says_so_and_has_no_number(rendered):
    text = rendered.files["trip-draft.docx"].text
    assert "DỰ THẢO" in text
    assert re.search(r"Số:\s+/BC-HNVL", text)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_end_with_the_signers_name(rendered, name):
    """The union signs its reviews, the association its trip report: the name under the room to sign."""
    signer = SIGNER if name.startswith("review") else rendered.association_signer
    assert signer
    last_page = lines(rendered.files[name].pages[-1])
    assert signer in last_page[-2:], last_page[-6:]


@pytest.mark.parametrize("name", ["trip-draft.docx", "trip-final.docx"])
def test_a_trip_report_names_the_head_of_delegation(rendered, name):
    assert rendered.head and rendered.head in rendered.files[name].text


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_keep_to_a_sensible_number_of_a4_portrait_pages(rendered, name):
    document = rendered.files[name]
    fewest, most = DOCUMENT_PAGES[name]
    assert fewest <= len(document.pages) <= most, len(document.pages)
    for width, height in document.sizes:
        assert (round(width), round(height)) == (round(A4[0]), round(A4[1])), (width, height)


# --- every file -----------------------------------------------------------------------------------

VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


@pytest.mark.parametrize("name", DOCUMENTS + WORKBOOKS)
def test_the_text_keeps_its_vietnamese_letters(rendered, name):
    printed = rendered.files[name]
    text = printed.text
    assert VIETNAMESE_LETTERS.search(text.lower())
    assert "\ufffd" not in text  # a letter the font had no glyph for
    assert not re.search(r"[\u0300-\u036f]", text)  # a tone mark printed apart from its letter
    # A line the file itself holds, diacritics and all, comes out as written.
    if name.endswith(".docx"):
        expected = "Độc lập - Tự do - Hạnh phúc"
    else:
        expected = str(printed.sheets[0]["A1"].value)
        assert not expected.isascii(), expected
    assert expected in re.sub(r"[ ]+", " ", text)


# --- the workbooks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", WORKBOOKS)
def test_no_cell_shows_hashes(rendered, name):
    assert "###" not in rendered.files[name].text


@pytest.mark.parametrize("name", WORKBOOKS)
def test_each_workbook_prints_on_landscape_a4_as_many_pages_as_its_rows_need(rendered, name):
    """Each sheet one page wide, so its pages number about its rows: a sheet printed two pages wide
    doubles them, and one shrunk onto a single page to fit would print fewer than its rows need."""
    workbook = rendered.files[name]
    for width, height in workbook.sizes:
        assert (round(width), round(height)) == (round(A4[1]), round(A4[0])), (width, height)
    sheets = workbook.sheets
    rows = sum(sheet.max_row for sheet in sheets)
    fewest = max(len(sheets), math.ceil(rows / ROWS_A_PAGE[1]))
    most = len(sheets) + rows // ROWS_A_PAGE[0]
    assert fewest <= len(workbook.pages) <= most, (len(workbook.pages), rows)


@pytest.mark.parametrize("name", ["budget.xlsx", "aid-yearly.xlsx", *LISTS])
def test_every_page_of_a_table_starts_at_its_stt_column(rendered, name):
    """A sheet too wide for its page goes on over a second page to the right, which has no STT
    column: every page must show the numbered rows (or the STT header repeated above them)."""
    for number, page in enumerate(rendered.files[name].pages, start=1):
        assert numbered_rows(page) or re.search(r"^\s*STT\b", page, re.M), f"page {number} has no STT column"


@pytest.mark.parametrize("name", LISTS)
def test_a_list_prints_every_row_in_order_under_its_header(rendered, name):
    workbook = rendered.files[name]
    sheet = workbook.sheets[0]
    last = max(cell.value for (cell,) in sheet.iter_rows(min_col=1, max_col=1) if isinstance(cell.value, int))
    assert last > ROWS_A_PAGE[0], "the demo's list is long enough to go over several pages"
    previous = 0
    for number, page in enumerate(workbook.pages, start=1):
        assert re.search(r"^\s*STT\b", page, re.M), f"page {number} does not repeat the header row"
        found = numbered_rows(page)
        assert found and found[0] > previous and found == sorted(found), f"page {number}: {found[:3]}…{found[-3:]}"
        previous = found[-1]
    assert previous == last

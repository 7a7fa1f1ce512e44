"""What a reader sees: the documents the portal writes from the demo, converted to PDF by LibreOffice
(as the office opens them to print and sign) and read back with pdftotext.

CI installs LibreOffice and poppler-utils and always runs these; elsewhere, without them, the module
is skipped with a loud reason.
"""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from aid_projects.reports import aid_yearly_workbook
from delegations.models import Delegation
from delegations.reports import issuing_body_of, trip_report_document
from friendship_portal.core.models import IssuingBody
from friendship_portal.overview.summaries import budget_summary_workbook, review_document
from tests.clock import at

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
MISSING = [name for name, path in (("LibreOffice (soffice)", SOFFICE), ("pdftotext", PDFTOTEXT)) if not path]
IN_CI = os.environ.get("CI") == "true"
if MISSING and not IN_CI:
    print(
        "\n!!!! The rendering tests are SKIPPED: "
        + " and ".join(MISSING)
        + " missing (apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils).\n"
    )
pytestmark = [
    pytest.mark.skipif(
        bool(MISSING) and not IN_CI,
        reason=f"!!!! {' and '.join(MISSING)} not installed: documents are not rendered here (CI always renders them)",
    ),
    pytest.mark.django_db,
]

SIGNER = "Trần Thị Bình"
# The clock of the demo: its year is the year the documents are of.
DAY = at(timezone.localdate().replace(month=12, day=3))


def pdf_text(pdf: Path) -> tuple[str, int]:
    layout = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return layout, layout.count("\f") or 1


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, tuple[str, int]]:
    if MISSING:
        pytest.fail(f"CI must render the documents, but {' and '.join(MISSING)} is missing")
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
        files = {
            "review.docx": review_document(year, "year"),
            "trip-draft.docx": trip_report_document(reported, final=False),
            "trip-final.docx": trip_report_document(reported, final=True, number=3, body=issuing_body_of(reported)),
            "budget.xlsx": budget_summary_workbook(year)[0],
            "aid-yearly.xlsx": aid_yearly_workbook(year),
        }
        head = reported.members.filter(is_head=True).values_list("full_name", flat=True).first()
        transaction.set_rollback(True)
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
    result = {name: pdf_text(folder / f"{Path(name).stem}.pdf") for name in files}
    result["head"] = (head or "", 0)
    return result


def lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("name", ["review.docx", "trip-draft.docx", "trip-final.docx"])
def test_the_header_of_each_document_breaks_only_between_whole_names(rendered, name):
    text, _pages = rendered[name]
    header = lines(text)[:8]
    joined = " ".join(header)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in joined
    assert "Độc lập - Tự do - Hạnh phúc" in joined
    assert "TỈNH HÀ TĨNH" in joined
    for broken in (r"VIỆT\s*$", r"^\s*NAM\b", r"\bHÀ\s*$", r"^\s*TĨNH"):
        assert not any(re.search(broken, line) for line in header), (broken, header)


def test_an_associations_report_carries_its_own_name_and_code(rendered):
    text, _pages = rendered["trip-final.docx"]
    assert "VIỆT NAM – LÀO" in text
    assert "Số: 03/BC-HNVL" in re.sub(r"[ ]+", " ", text)
    assert "DỰ THẢO" not in text


def test_a_draft_says_so_and_has_no_number(rendered):
    text, _pages = rendered["trip-draft.docx"]
    assert "DỰ THẢO" in text
    assert re.search(r"Số:\s+/BC-HNVL", text)


def test_documents_end_with_the_signers_name(rendered):
    assert SIGNER in rendered["review.docx"][0]
    assert rendered["head"][0] and rendered["head"][0] in rendered["trip-final.docx"][0]


@pytest.mark.parametrize("name", ["review.docx", "trip-final.docx", "budget.xlsx", "aid-yearly.xlsx"])
def test_the_text_keeps_its_vietnamese_letters(rendered, name):
    text, _pages = rendered[name]
    assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", text.lower())
    assert "\ufffd" not in text


@pytest.mark.parametrize("name", ["budget.xlsx", "aid-yearly.xlsx"])
def test_no_cell_shows_hashes(rendered, name):
    assert "###" not in rendered[name][0]


def test_the_documents_keep_to_a_sensible_number_of_pages(rendered):
    assert rendered["trip-final.docx"][1] <= 4
    assert rendered["review.docx"][1] <= 8

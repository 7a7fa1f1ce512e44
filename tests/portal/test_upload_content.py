"""An upload is judged by what it contains, not by its name or its first bytes: a PDF must be built
like a PDF, an image must decode in full, a Word or Excel file must open, and neither a zip bomb
nor an image bomb is unpacked. Every refusal says what was expected, and comes fast."""

import io
import struct
import time
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from friendship_portal.core import files, imports
from friendship_portal.core.files import validate_upload
from friendship_portal.core.imports import import_start
from friendship_portal.core.models import Job
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Student
from tests import samples

FAST = 2.0  # seconds: every refusal here comes well within it


@pytest.fixture(autouse=True)
def english():
    """The messages are read in English here (the catalogue gives them in Vietnamese on the pages)."""
    with translation.override("en"):
        yield


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes) -> ValidationError:
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    assert time.monotonic() - started < FAST
    return caught.value


def pillow_pdf() -> bytes:
    """A PDF written by another program than ours: Pillow's."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (255, 255, 255)).save(buffer, "PDF")
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(megabytes: int = 300) -> bytes:
    """An .xlsx-looking zip whose one sheet unpacks to `megabytes` of zeros; written in pieces, so
    neither making it nor the file itself is large."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * 1_048_576
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header declares `width` × `height` pixels (its one block
    of pixel data holds the first rows only): what a decompression bomb looks like to the portal."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit grey
    rows = zlib.compress(b"\0" * ((width + 7) // 8 + 1) * 8)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


# --- accepted ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("quyet-dinh.pdf", samples.PDF, id="pdf"),
        pytest.param("bang-ke.pdf", pillow_pdf(), id="pdf-made-by-pillow"),
        pytest.param("anh-doan.png", samples.PNG, id="png"),
        pytest.param("anh-ban-giao.jpg", samples.JPEG, id="jpg"),
        pytest.param("anh-ban-giao.JPEG", samples.JPEG, id="jpeg-upper-case"),
        pytest.param("de-an.docx", samples.DOCX, id="docx"),
        pytest.param("du-toan.xlsx", samples.XLSX, id="xlsx"),
        pytest.param("cong-van-cu.doc", samples.DOC, id="doc"),
        pytest.param("du-toan-cu.xls", samples.XLS, id="xls"),
    ],
)
def test_genuine_files_are_accepted(name, content):
    validate_upload(upload(name, content))


def test_an_accepted_file_is_left_at_its_start_for_saving():
    file = upload("de-an.docx", samples.DOCX)

    validate_upload(file)

    assert file.read() == samples.DOCX


# --- refused, each with what was expected ------------------------------------------------------------


def test_pdf_header_followed_by_a_web_page_is_refused():
    error = refusal("thu-moi.pdf", b"%PDF-1.7\n<html><body><script>fetch('/admin/')</script></body></html>\n%%EOF\n")

    assert error.code == "script"
    assert "a PDF document" in error.messages[0]


def test_pdf_header_with_a_web_page_after_its_objects_is_refused():
    content = samples.PDF.replace(b"%\xe2\xe3\xcf\xd3\n", b"%\xe2\xe3\xcf\xd3\n<!DOCTYPE html><svg onload=alert(1)>\n")

    assert refusal("thu-moi.pdf", content).code == "script"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.7\nnot a document at all\n%%EOF\n", id="header-and-end-only"),
        pytest.param(samples.PDF.replace(b"%%EOF", b"%%END"), id="no-end-marker"),
        pytest.param(samples.PDF.replace(b"startxref", b"startxyz"), id="no-startxref"),
        pytest.param(samples.PDF.replace(b"xref\n0 6", b"xtab\n0 6"), id="no-cross-reference"),
        pytest.param(samples.PDF.replace(b"/Root 1 0 R", b"/Rest 1 0 R"), id="no-root"),
        pytest.param(samples.PDF.replace(b"%PDF-1.7", b"%PDF-9.9"), id="unknown-version"),
        pytest.param(samples.PDF[: len(samples.PDF) // 2], id="truncated"),
    ],
)
def test_pdf_without_the_structure_of_a_pdf_is_refused(content):
    error = refusal("quyet-dinh.pdf", content)

    assert error.code == "content"
    assert "not a PDF document" in error.messages[0]


def test_png_header_followed_by_garbage_is_refused():
    error = refusal("anh-doan.png", samples.PNG[:16] + b"\x13\x37" * 200)

    assert error.code == "content"
    assert "a PNG image" in error.messages[0]


def test_png_with_a_damaged_chunk_is_refused():
    damaged = bytearray(samples.PNG)
    damaged[len(damaged) // 2] ^= 0xFF

    assert refusal("anh-doan.png", bytes(damaged)).code == "content"


def test_truncated_jpeg_is_refused():
    error = refusal("anh-ban-giao.jpg", samples.JPEG[: len(samples.JPEG) // 2])

    assert error.code == "content"
    assert "a JPEG image" in error.messages[0]


def test_image_of_the_other_format_is_refused():
    assert refusal("anh-doan.png", samples.JPEG).code == "content"


@pytest.mark.parametrize(
    ("width", "height"),
    [
        pytest.param(30_000, 30_000, id="900-megapixels"),  # past Pillow's own limit
        pytest.param(10_000, 6_000, id="60-megapixels"),  # past the portal's, within Pillow's
    ],
)
def test_image_bomb_is_refused_before_it_is_decoded(width, height):
    bomb = png_declaring(width, height)
    assert len(bomb) < 1_000

    error = refusal("anh-doan.png", bomb)

    assert error.code == "image_size"
    assert "50 megapixels" in error.messages[0]


def test_image_over_the_pixel_limit_is_refused(settings):
    settings.PORTAL_IMAGE_MAX_PIXELS = 64 * 48 - 1

    assert refusal("anh-doan.png", samples.PNG).code == "image_size"


def test_docx_that_is_a_renamed_text_file_is_refused():
    error = refusal("de-an.docx", "Đề án đoàn ra năm 2026\n".encode())

    assert error.code == "content"
    assert "a Word document (.docx)" in error.messages[0]


def test_docx_that_is_a_zip_of_something_else_is_refused():
    assert refusal("de-an.docx", zip_of({"readme.txt": b"not a document"})).code == "content"
    assert refusal("de-an.docx", samples.XLSX).code == "content"


def test_xlsx_that_is_a_word_document_is_refused():
    error = refusal("du-toan.xlsx", samples.DOCX)

    assert error.code == "content"
    assert "an Excel workbook (.xlsx)" in error.messages[0]


def test_xlsx_zip_bomb_is_refused_without_being_unpacked():
    bomb = zip_bomb(300)
    assert len(bomb) < 1_048_576  # 300 MB of zeros packed under one

    error = refusal("du-toan.xlsx", bomb)

    assert error.code == "packed"
    assert "300" in error.messages[0]


def test_packing_ratio_is_judged_below_the_unpacked_limit_too():
    assert refusal("du-toan.xlsx", zip_bomb(20)).code == "packed"  # 20 MB from a few kilobytes


def test_document_with_macros_is_refused():
    with_macros = zip_of(dict(zipfile_members(samples.DOCX)) | {"word/vbaProject.bin": b"\0" * 64})

    assert refusal("de-an.docx", with_macros).code == "macros"
    assert refusal("cong-van-cu.doc", samples.compound("WordDocument", "Macros")).code == "macros"
    assert refusal("du-toan-cu.xls", samples.compound("Workbook", "_VBA_PROJECT_CUR")).code == "macros"


def zipfile_members(content: bytes):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("cong-van-cu.doc", samples.XLS, id="xls-named-doc"),
        pytest.param("du-toan-cu.xls", samples.DOC, id="doc-named-xls"),
        pytest.param("cong-van-cu.doc", samples.DOC[:600], id="truncated-doc"),
        pytest.param("cong-van-cu.doc", samples.DOC[:512] + b"\xff" * 1024, id="broken-allocation-table"),
    ],
)
def test_old_office_file_without_its_stream_is_refused(name, content):
    assert refusal(name, content).code == "content"


def test_a_check_that_runs_out_of_time_is_refused(settings, monkeypatch):
    settings.PORTAL_UPLOAD_CHECK_SECONDS = 1
    opening = files.docx.Document

    def slow_opening(stream):
        time.sleep(1.1)
        return opening(stream)

    monkeypatch.setattr(files.docx, "Document", slow_opening)

    error = refusal("de-an.docx", samples.DOCX)

    assert error.code == "too_slow"
    assert "1 seconds" in error.messages[0]


def test_size_limit_still_comes_first(settings):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = len(samples.PDF) - 1

    assert refusal("quyet-dinh.pdf", samples.PDF).code == "too_large"


def test_an_import_file_that_is_a_zip_bomb_is_refused_unopened(
    cast, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(imports, "load_workbook", pytest.fail)  # never reached

    # Refused at the upload, from the archive's directory (the import's own limits), with no job made.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        import_start(kind=STUDENT_IMPORT.kind, upload=upload("luu-hoc-sinh-lao.xlsx", zip_bomb(20)), actor=cast.staff)

    assert "MB" in refused.value.messages[0]
    assert not Job.objects.exists()
    assert not Student.objects.exists()

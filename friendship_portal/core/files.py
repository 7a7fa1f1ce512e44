"""Uploaded files: only documents and images the union works with, judged by what they contain.

The name says what a file claims to be; its content must prove it, within the size limit
(PORTAL_ATTACHMENT_MAX_MB) and a time limit (PORTAL_UPLOAD_CHECK_SECONDS):

- a PDF must have the structure every PDF has (header, objects, cross-reference, trailer, end
  marker) and no web page or script at its start;
- a PNG or JPEG is decoded in full by Pillow, after its declared size is checked against
  PORTAL_IMAGE_MAX_MEGAPIXELS (a decompression bomb declares huge dimensions in a few bytes);
- a .docx opens with python-docx and an .xlsx with openpyxl, after the zip's unpacked size and
  packing ratio are checked and every member is unpacked once (a zip bomb is refused unopened);
- an old .doc or .xls must be a compound document holding a Word or an Excel stream.

Documents holding macros are refused. The work is bounded by the size limits, and the clock is
read between steps and while unpacking: a file still being checked after the time limit is refused.
"""

import re
import struct
import time
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import docx
import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from friendship_portal.core.display import format_number

MB = 1_048_576
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of old .doc and .xls files


class Deadline:
    """The time a file's check may take; `check()` refuses the file once it is over."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise ValidationError(
                _("The file could not be checked within %(seconds)s seconds. Upload a smaller or simpler file.")
                % {"seconds": format_number(self.seconds)},
                code="too_slow",
            )


@dataclass(frozen=True)
class Kind:
    expected: str  # what the file must be, as the refusal says it: "a PDF document"
    check: object  # check(data, kind, deadline): raise ValidationError unless `data` is such a file
    image_format: str = ""


class Broken(Exception):
    """The content is not the kind of file its name says."""


def _refuse(kind: Kind, extension: str) -> ValidationError:
    return ValidationError(
        _("The file is named %(extension)s but its content is not %(expected)s. Upload %(expected)s.")
        % {"extension": extension, "expected": kind.expected},
        code="content",
    )


def _macros(kind: Kind) -> ValidationError:
    return ValidationError(
        _("The file holds macros, which are not accepted. Save it without macros as %(expected)s.")
        % {"expected": kind.expected},
        code="macros",
    )


# --- PDF ------------------------------------------------------------------------------------------

PDF_HEADER = re.compile(rb"%PDF-(?:1\.[0-7]|2\.0)(?![0-9])")
PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
PDF_XREF = re.compile(rb"(?<!start)xref\s+\d+\s+\d+|/Type\s*/XRef\b")
PDF_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
PDF_ROOT = re.compile(rb"/Root\s+\d+\s+\d+\s+R")
# What a browser would take for a web page, or a server for a script, at the start of the file.
WEB_MARKERS = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<svg", b"<?php")
HEAD_BYTES = 4096  # the first kilobytes, where a browser sniffs
TAIL_BYTES = 1024  # readers look for the end marker in the last kilobyte


def _check_pdf(data: bytes, kind: Kind, deadline: Deadline) -> None:
    if not PDF_HEADER.match(data):
        raise Broken
    head = data[:HEAD_BYTES].lower()
    if any(marker in head for marker in WEB_MARKERS):
        raise ValidationError(
            _("The file holds a web page or a script, which is not accepted. Upload %(expected)s.")
            % {"expected": kind.expected},
            code="script",
        )
    tail = data[-TAIL_BYTES:]
    if b"%%EOF" not in tail:
        raise Broken
    ends = PDF_STARTXREF.findall(data[-TAIL_BYTES * 2 :])
    if not ends or int(ends[-1]) >= len(data):
        raise Broken
    deadline.check()
    if not (PDF_OBJECT.search(data) and b"endobj" in data and PDF_ROOT.search(data)):
        raise Broken
    deadline.check()
    if not PDF_XREF.search(data):
        raise Broken


# --- PNG and JPEG ----------------------------------------------------------------------------------


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image is larger than %(limit)s megapixels. Reduce it and upload it again.")
        % {"limit": format_number(settings.PORTAL_IMAGE_MAX_PIXELS / 1_000_000)},
        code="image_size",
    )


def _check_image(data: bytes, kind: Kind, deadline: Deadline) -> None:
    formats = [kind.image_format]
    try:
        image = Image.open(BytesIO(data), formats=formats)  # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:  # the warning, when made an error
        raise _too_many_pixels() from error
    except Exception as error:  # Pillow raises many kinds for a file that is not an image of this format
        raise Broken from error
    with image:
        width, height = image.size
        if width * height > settings.PORTAL_IMAGE_MAX_PIXELS:
            raise _too_many_pixels()
        try:
            image.verify()
        except Exception as error:
            raise Broken from error
    deadline.check()
    try:
        with Image.open(BytesIO(data), formats=formats) as image:
            image.load()  # decodes every pixel: a truncated or corrupt image fails here
    except Exception as error:
        raise Broken from error


# --- .docx and .xlsx --------------------------------------------------------------------------------

MAX_MEMBERS = 10_000
RATIO_FROM_BYTES = MB  # small members may pack tightly; the ratio is judged on the larger ones
UNPACK_CHUNK = MB


def check_packing(data: bytes, deadline: Deadline | None = None) -> zipfile.ZipFile:
    """The zip in `data`, once its declared unpacked size and packing ratio are within the limits and
    every member has been unpacked once to prove it says the truth; ValidationError otherwise.
    Raises `Broken` when `data` is not a zip at all."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise Broken from error
    unpacked = sum(member.file_size for member in members)
    limit, ratio = settings.PORTAL_UPLOAD_MAX_UNPACKED_BYTES, settings.PORTAL_UPLOAD_MAX_PACKING_RATIO
    if (
        len(members) > MAX_MEMBERS
        or unpacked > limit
        or any(
            member.file_size > RATIO_FROM_BYTES and member.file_size > ratio * max(member.compress_size, 1)
            for member in members
        )
    ):
        raise ValidationError(
            _(
                "The file is packed unusually: unpacked it would take %(size)s MB (the limit is %(limit)s MB, "
                "at most %(ratio)s times the packed size). It is not accepted."
            )
            % {
                "size": format_number(unpacked / MB, 1),
                "limit": format_number(limit / MB),
                "ratio": format_number(ratio),
            },
            code="packed",
        )
    try:
        for member in members:
            with archive.open(member) as stream:
                while stream.read(UNPACK_CHUNK):  # at most the declared size; a wrong CRC raises
                    if deadline is not None:
                        deadline.check()
    except ValidationError:
        raise
    except Exception as error:  # zipfile raises BadZipFile, zlib.error, NotImplementedError, …
        raise Broken from error
    return archive


def _without_macros(archive: zipfile.ZipFile, kind: Kind) -> None:
    if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
        raise _macros(kind)


def _check_docx(data: bytes, kind: Kind, deadline: Deadline) -> None:
    _without_macros(check_packing(data, deadline), kind)
    deadline.check()
    try:
        docx.Document(BytesIO(data))  # refuses a package whose main part is not a Word document
    except Exception as error:  # python-docx raises many kinds for a file that is not a document
        raise Broken from error


def _check_xlsx(data: bytes, kind: Kind, deadline: Deadline) -> None:
    _without_macros(check_packing(data, deadline), kind)
    deadline.check()
    try:
        workbook = openpyxl.load_workbook(BytesIO(data), read_only=True)
        sheets = workbook.sheetnames
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise Broken from error
    if not sheets:
        raise Broken


# --- .doc and .xls (the compound document of Office 97–2003) -----------------------------------------

FREE, END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
LAST_SECTOR = 0xFFFFFFFA  # ids from here on are markers, not sectors


def compound_entries(data: bytes, deadline: Deadline) -> set[str]:
    """The names (lower case) of the storages and streams of a compound document, read from its
    header, its allocation table and its directory; `Broken` when the structure does not hold."""
    if len(data) < 512 or not data.startswith(OLE):
        raise Broken
    major, byte_order, shift = struct.unpack_from("<HHH", data, 26)
    if byte_order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)):
        raise Broken
    size = 1 << shift
    sectors = (len(data) - size + size - 1) // size
    fat_count, first_directory = struct.unpack_from("<II", data, 44)
    first_difat, difat_count = struct.unpack_from("<II", data, 68)
    if fat_count > sectors or difat_count > sectors:
        raise Broken

    def sector(number: int) -> bytes:
        if number >= min(sectors, LAST_SECTOR):
            raise Broken
        return data[(number + 1) * size : (number + 2) * size].ljust(size, b"\0")

    locations = [number for number in struct.unpack_from("<109I", data, 76) if number != FREE]
    next_difat, seen = first_difat, set()
    while next_difat < LAST_SECTOR and len(seen) < difat_count:
        if next_difat in seen:
            raise Broken
        seen.add(next_difat)
        *entries, next_difat = struct.unpack(f"<{size // 4}I", sector(next_difat))
        locations += [number for number in entries if number != FREE]
    if len(locations) < fat_count:
        raise Broken
    table = []
    for number in locations[:fat_count]:
        table += struct.unpack(f"<{size // 4}I", sector(number))
    deadline.check()

    names, current, visited = set(), first_directory, set()
    while current != END_OF_CHAIN:
        if current in visited or current >= len(table):
            raise Broken
        visited.add(current)
        block = sector(current)
        for offset in range(0, size, 128):
            length, object_type = struct.unpack_from("<HB", block, offset + 64)
            if object_type in (1, 2) and 2 <= length <= 64:
                names.add(block[offset : offset + length - 2].decode("utf-16-le", "replace").lower())
        current = table[current]
    return names


def _compound_check(required: tuple[str, ...], macros: tuple[str, ...]):
    def check(data: bytes, kind: Kind, deadline: Deadline) -> None:
        names = compound_entries(data, deadline)
        if not names & set(required):
            raise Broken
        if names & set(macros):
            raise _macros(kind)

    return check


KINDS = {
    ".pdf": Kind(gettext_lazy("a PDF document"), _check_pdf),
    ".docx": Kind(gettext_lazy("a Word document (.docx)"), _check_docx),
    ".doc": Kind(gettext_lazy("a Word 97–2003 document (.doc)"), _compound_check(("worddocument",), ("macros",))),
    ".xlsx": Kind(gettext_lazy("an Excel workbook (.xlsx)"), _check_xlsx),
    ".xls": Kind(
        gettext_lazy("an Excel 97–2003 workbook (.xls)"),
        _compound_check(("workbook", "book"), ("_vba_project_cur",)),
    ),
    ".png": Kind(gettext_lazy("a PNG image"), _check_image, image_format="PNG"),
    ".jpg": Kind(gettext_lazy("a JPEG image"), _check_image, image_format="JPEG"),
    ".jpeg": Kind(gettext_lazy("a JPEG image"), _check_image, image_format="JPEG"),
}
ALLOWED = ", ".join(sorted(KINDS))


def validate_upload(upload) -> None:
    """Raise ValidationError unless `upload` is a PDF, Word, Excel or image file within the size and
    time limits, by its content as well as its name."""
    limit = settings.PORTAL_ATTACHMENT_MAX_BYTES
    too_large = ValidationError(
        _("The file is %(size)s MB; the limit is %(limit)s MB.")
        % {"size": format_number(upload.size / MB, 1), "limit": format_number(limit / MB, 0)},
        code="too_large",
    )
    if upload.size > limit:
        raise too_large
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = Path(upload.name).suffix.lower()
    kind = KINDS.get(extension)
    if kind is None:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted: %(types)s.") % {"types": ALLOWED}, code="type"
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    deadline = Deadline(settings.PORTAL_UPLOAD_CHECK_SECONDS)
    try:
        kind.check(data, kind, deadline)
    except Broken as error:
        raise _refuse(kind, extension) from error
    deadline.check()

"""Small but genuine files of each kind the portal accepts, made here rather than kept as binaries:
a one-page PDF with its cross-reference table and trailer, PNG and JPEG images drawn with Pillow,
a Word document made with python-docx, an Excel workbook made with openpyxl, and the compound
documents of Office 97–2003 (.doc, .xls) laid out by hand, sector by sector."""

import io
import struct

import docx
from openpyxl import Workbook
from PIL import Image, ImageDraw


def pdf(text: bytes = b"Quyet dinh so 125/QD-UBND") -> bytes:
    """A one-page A4 PDF 1.7: catalog, pages, page, content stream, font; xref offsets exact."""
    content = b"BT /F1 18 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def image(image_format: str, size: tuple[int, int] = (64, 48)) -> bytes:
    picture = Image.new("RGB", size, (200, 30, 40))
    ImageDraw.Draw(picture).rectangle((8, 8, size[0] - 8, size[1] - 8), fill=(255, 205, 0))
    buffer = io.BytesIO()
    picture.save(buffer, image_format)
    return buffer.getvalue()


def word() -> bytes:
    document = docx.Document()
    document.add_heading("Đề án đoàn ra", level=1)
    document.add_paragraph("Đoàn công tác hữu nghị sang tỉnh Bôlykhămxay.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def excel() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Khoản chi", "Số tiền (đồng)"])
    workbook.active.append(["Vé máy bay", 12_500_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound(*streams: str) -> bytes:
    """A compound document (version 3, 512-byte sectors) holding `streams`, each 4096 bytes long:
    sector 0 the allocation table, sector 1 the directory, then each stream's 8 sectors."""
    assert len(streams) <= 3  # one directory sector: the root and three entries
    table = [FAT_SECTOR, END_OF_CHAIN]
    entries = [_directory_entry("Root Entry", 5, END_OF_CHAIN, 0, child=1 if streams else NO_STREAM)]
    data = b""
    for index, name in enumerate(streams):
        first = len(table)
        table += list(range(first + 1, first + 8)) + [END_OF_CHAIN]
        right = index + 2 if index + 1 < len(streams) else NO_STREAM  # a chain of right siblings
        entries.append(_directory_entry(name, 2, first, 4096, right=right))
        data += name.encode("ascii").ljust(4096, b"\0")
    entries += [b"\0" * 64 + struct.pack("<HBB3I", 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM).ljust(64, b"\0")] * (
        4 - len(entries)
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        + struct.pack("<109I", 0, *[FREE] * 108)
    )
    allocation = struct.pack("<128I", *(table + [FREE] * (128 - len(table))))
    return header + allocation + b"".join(entries) + data


def _directory_entry(name: str, object_type: int, start: int, size: int, *, child=NO_STREAM, right=NO_STREAM):
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), object_type, 1)
        + struct.pack("<III", NO_STREAM, right, child)
        + b"\0" * 16  # class id
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


PDF = pdf()
PNG = image("PNG")
JPEG = image("JPEG")
DOCX = word()
XLSX = excel()
DOC = compound("WordDocument", "1Table")
XLS = compound("Workbook")

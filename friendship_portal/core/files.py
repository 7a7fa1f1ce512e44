"""Uploaded files: only documents and images the union works with, and not too large.

The type is judged by the file's first bytes as well as its name, so a renamed program is refused.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from friendship_portal.core.display import format_number

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of old .doc and .xls files
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".doc": (OLE,),
    ".xls": (OLE,),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
ALLOWED = ", ".join(sorted(SIGNATURES))


def validate_upload(upload) -> None:
    """Raise ValidationError unless `upload` is a PDF, Word, Excel or image file within the size limit."""
    limit = settings.PORTAL_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": format_number(upload.size / 1_048_576, 1), "limit": format_number(limit / 1_048_576, 0)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = Path(upload.name).suffix.lower()
    if extension not in SIGNATURES:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted: %(types)s.") % {"types": ALLOWED}, code="type"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise ValidationError(
            _("The file's content does not match its name (%(extension)s).") % {"extension": extension},
            code="content",
        )

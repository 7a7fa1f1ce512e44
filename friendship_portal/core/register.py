"""The register of outgoing documents (sổ đăng ký văn bản đi): a final document takes the next number
of its issuing body's sequence for the year; a draft takes none."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet

from friendship_portal.core.models import IssuingBody, OutgoingDocument


def issuing_body(key: str, *, name: str = "", superior: str = "") -> IssuingBody:
    """The body with this key; an association added after the migrations gets one on first use."""
    body, _created = IssuingBody.objects.get_or_create(
        key=key,
        defaults={
            "name": name or key,
            "superior": superior,
            "code": key.upper().replace("_", "").replace("-", "")[:20],
            "signer_capacity": "TM. Ban Chấp hành",
            "signer_position": "Chủ tịch",
        },
    )
    return body


def union_body() -> IssuingBody:
    return issuing_body(IssuingBody.UNION, name=settings.PORTAL_UNION_NAME)


@transaction.atomic
def outgoing_document_register(
    *,
    body: IssuingBody,
    type_code: str,
    title: str,
    issued_on: datetime.date,
    source: str,
    build: Callable[[int], bytes],
    signer_name: str = "",
    actor=None,
    extension: str = "docx",
) -> OutgoingDocument:
    """Give the document of `source` the next number of `body` for the year, build it with that number
    and keep the file as issued. Asked again for the same source (a job run twice, a report built
    again), it returns the entry already made: a document is numbered once."""
    # The body's row is the lock: two documents of one body are numbered one after the other.
    IssuingBody.objects.select_for_update().filter(pk=body.pk).first()
    existing = OutgoingDocument.objects.select_related("body").filter(source=source).first()
    if existing is not None:
        return existing
    last = OutgoingDocument.objects.filter(body=body, year=issued_on.year).aggregate(last=Max("number"))["last"]
    number = (last or 0) + 1
    entry = OutgoingDocument(
        body=body,
        year=issued_on.year,
        number=number,
        type_code=type_code,
        issued_on=issued_on,
        title=title[:500],
        signer_name=signer_name,
        source=source,
        registered_by=actor,
    )
    entry.file.save(
        f"{issued_on.year}-{number:03d}-{type_code}-{body.code}.{extension}", ContentFile(build(number)), save=False
    )
    entry.save()
    return entry


def register_entries(*, body_id: int | None = None, year: int | None = None) -> QuerySet:
    entries = OutgoingDocument.objects.select_related("body", "registered_by")
    if body_id:
        entries = entries.filter(body_id=body_id)
    if year:
        entries = entries.filter(year=year)
    return entries.order_by("-year", "-number", "-pk")

"""Files on a delegation: which are accepted, and who may add and open them.

Classified (mật) files are served only to the association's leader and the provincial office,
not even to union staff, who read everything else.
"""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delegations.models import Attachment
from delegations.services import attachment_add
from tests.delegations.support import SAMPLES

PDF = SAMPLES["quyet-dinh.pdf"]
PNG = SAMPLES["anh-doan.png"]


def upload(name, content):
    return SimpleUploadedFile(name, content)


def stored_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


@pytest.fixture
def delegation(delegation_factory, cast):
    return delegation_factory(association=cast.laos)


# --- which files are accepted ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(SAMPLES))
def test_documents_and_images_with_their_true_signature_are_accepted(cast, delegation, media_root, name):
    attachment = attachment_add(
        delegation_id=delegation.pk, actor=cast.staff, upload=upload(name, SAMPLES[name]), kind=Attachment.Kind.OTHER
    )

    assert (attachment.original_name, attachment.size, attachment.uploaded_by) == (name, len(SAMPLES[name]), cast.staff)
    with attachment.file.open("rb") as handle:
        assert handle.read() == SAMPLES[name]
    assert str(media_root) in attachment.file.path


def test_upper_case_extension_is_accepted(cast, delegation):
    attachment_add(delegation_id=delegation.pk, actor=cast.staff, upload=upload("QUYET-DINH.PDF", PDF), kind="decision")

    assert Attachment.objects.filter(delegation=delegation).count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("chuong-trinh.exe", b"MZ\x90\x00\x03\x00\x00\x00", id="program"),
        pytest.param("thu-moi.pdf.exe", PDF, id="double-extension"),
        pytest.param("ho-so.zip", SAMPLES["de-an.docx"], id="zip-archive"),
        pytest.param("ghi-chu.txt", b"Ghi chu cuoc hop", id="text"),
        pytest.param("trang.html", b"<html><script>alert(1)</script></html>", id="html"),
        pytest.param("khong-duoi", PDF, id="no-extension"),
    ],
)
def test_files_of_other_types_are_refused(cast, delegation, media_root, name, content):
    with pytest.raises(ValidationError):
        attachment_add(delegation_id=delegation.pk, actor=cast.staff, upload=upload(name, content), kind="other")

    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("quyet-dinh.pdf", PNG, id="png-named-pdf"),
        pytest.param("de-an.docx", PDF, id="pdf-named-docx"),
        pytest.param("du-toan.xlsx", b"MZ\x90\x00" + b"\x00" * 40, id="program-named-xlsx"),
        pytest.param("anh-doan.png", SAMPLES["anh-ban-giao.jpg"], id="jpg-named-png"),
        pytest.param("anh-ban-giao.jpg", b"<?php system($_GET['c']); ?>", id="script-named-jpg"),
    ],
)
def test_content_that_does_not_match_the_name_is_refused(cast, delegation, media_root, name, content):
    with pytest.raises(ValidationError):
        attachment_add(delegation_id=delegation.pk, actor=cast.staff, upload=upload(name, content), kind="other")

    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_empty_file_is_refused(cast, delegation):
    with pytest.raises(ValidationError):
        attachment_add(delegation_id=delegation.pk, actor=cast.staff, upload=upload("trong.pdf", b""), kind="other")

    assert not Attachment.objects.exists()


def test_file_over_the_size_limit_is_refused(settings, cast, delegation, media_root):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = len(PDF)

    attachment_add(delegation_id=delegation.pk, actor=cast.staff, upload=upload("vua-du.pdf", PDF), kind="other")
    with pytest.raises(ValidationError):
        attachment_add(
            delegation_id=delegation.pk, actor=cast.staff, upload=upload("qua-lon.pdf", PDF + b"\n"), kind="other"
        )

    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["vua-du.pdf"]
    assert len(stored_files(media_root)) == 1


def test_attachment_refused_after_the_type_check_leaves_no_file_behind(cast, delegation, media_root):
    with pytest.raises(ValidationError):
        attachment_add(
            delegation_id=delegation.pk,
            actor=cast.staff,
            upload=upload("a.pdf", PDF),
            kind="other",
            description="x" * 256,
        )

    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("role", ["russia_leader", "province", "outsider", "admin"])
def test_only_staff_and_the_own_leader_add_files(cast, delegation, role):
    with pytest.raises(PermissionDenied):
        attachment_add(
            delegation_id=delegation.pk, actor=getattr(cast, role), upload=upload("a.pdf", PDF), kind="other"
        )

    assert not Attachment.objects.exists()


def test_own_leader_adds_a_file(cast, delegation):
    attachment_add(delegation_id=delegation.pk, actor=cast.laos_leader, upload=upload("a.pdf", PDF), kind="invitation")

    assert Attachment.objects.get().uploaded_by == cast.laos_leader


# --- the upload page -------------------------------------------------------------------------


def post_file(client, delegation, name="thu-moi.pdf", content=PDF, **extra):
    return client.post(
        reverse("delegations:attachment_add", args=[delegation.pk]),
        {"kind": "invitation", "description": "Thư mời của tỉnh Bôlykhămxay", "upload": upload(name, content), **extra},
    )


@pytest.mark.parametrize("role", ["staff", "laos_leader"])
def test_upload_page_stores_the_file_for_staff_and_the_own_leader(cast, login, delegation, role):
    response = post_file(login(getattr(cast, role)), delegation)

    assert response.status_code == 302
    assert response["Location"] == reverse("delegations:detail", args=[delegation.pk])
    attachment = Attachment.objects.get(delegation=delegation)
    assert (attachment.original_name, attachment.kind, attachment.uploaded_by) == (
        "thu-moi.pdf",
        "invitation",
        getattr(cast, role),
    )


@pytest.mark.parametrize("role", ["russia_leader", "province", "outsider", "admin"])
def test_upload_page_is_refused_to_others(cast, login, delegation, role):
    response = post_file(login(getattr(cast, role)), delegation)

    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_upload_page_sends_anonymous_users_to_log_in(client, delegation):
    response = post_file(client, delegation)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert not Attachment.objects.exists()


def test_upload_page_takes_only_post(cast, login, delegation):
    assert login(cast.staff).get(reverse("delegations:attachment_add", args=[delegation.pk])).status_code == 405


def test_upload_page_refuses_a_disguised_file_with_a_message(cast, login, delegation):
    client = login(cast.staff)

    response = post_file(client, delegation, name="thu-moi.pdf", content=b"MZ\x90\x00 not a pdf")

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and ".pdf" in messages[0]


# --- downloads -------------------------------------------------------------------------------


@pytest.fixture
def plain_file(attachment_factory, delegation):
    return attachment_factory(delegation=delegation, original_name="thu-moi.pdf")


@pytest.fixture
def classified_file(attachment_factory, delegation):
    return attachment_factory(delegation=delegation, original_name="ke-hoach-mat.pdf", is_classified=True)


def download(client, attachment):
    return client.get(reverse("delegations:attachment_download", args=[attachment.pk]))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", 200), ("province", 200), ("laos_leader", 200), ("russia_leader", 403), ("outsider", 403)],
)
def test_download_of_an_ordinary_file(cast, login, plain_file, role, expected):
    response = download(login(getattr(cast, role)), plain_file)

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert "thu-moi.pdf" in response["Content-Disposition"]
        assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", 403), ("province", 200), ("laos_leader", 200), ("russia_leader", 403), ("outsider", 403)],
)
def test_classified_file_is_served_only_to_the_own_leader_and_the_province(
    cast, login, classified_file, role, expected
):
    response = download(login(getattr(cast, role)), classified_file)

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF


def test_download_sends_anonymous_users_to_log_in(client, plain_file):
    response = download(client, plain_file)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_file_missing_from_storage_is_not_found(cast, login, plain_file):
    plain_file.file.storage.delete(plain_file.file.name)

    assert download(login(cast.staff), plain_file).status_code == 404


def test_detail_page_hides_classified_files_from_staff(cast, login, delegation, plain_file, classified_file):
    response = login(cast.staff).get(reverse("delegations:detail", args=[delegation.pk]))

    assert response.status_code == 200
    assert response.context["attachments"] == [plain_file]
    assert response.context["hidden_attachments"] == 1
    assert "ke-hoach-mat.pdf" not in response.content.decode()


@pytest.mark.parametrize("role", ["province", "laos_leader"])
def test_detail_page_lists_classified_files_for_those_who_may_open_them(cast, login, delegation, classified_file, role):
    response = login(getattr(cast, role)).get(reverse("delegations:detail", args=[delegation.pk]))

    assert response.context["attachments"] == [classified_file]
    assert "ke-hoach-mat.pdf" in response.content.decode()

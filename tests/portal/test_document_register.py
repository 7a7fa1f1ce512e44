"""The register of outgoing documents: one sequence per issuing body and year, a document numbered
once, and the register page for the union's office."""

import datetime

import pytest
from django.urls import reverse

from friendship_portal.core.models import IssuingBody, OutgoingDocument
from friendship_portal.core.register import issuing_body, outgoing_document_register, union_body

# Session, user, its groups (roles), the bodies, the count and the page of entries with their bodies,
# and the menu's count of what waits for the user (delegations, aid).
QUERIES = 9


def register(body, *, source, on=datetime.date(2026, 3, 2), title="Báo cáo", built=None):
    def build(number):
        if built is not None:
            built.append(number)
        return f"văn bản số {number}".encode()

    return outgoing_document_register(
        body=body, type_code="BC", title=title, issued_on=on, source=source, build=build, signer_name="Nguyễn Văn An"
    )


@pytest.mark.django_db
def test_each_body_numbers_its_own_documents_from_one_each_year():
    union, laos = union_body(), IssuingBody.objects.get(key="laos")

    numbers = [
        register(union, source="a").reference,
        register(union, source="b").reference,
        register(laos, source="c").reference,
        register(union, source="d", on=datetime.date(2027, 1, 4)).reference,
    ]

    assert numbers == ["01/BC-LHHN", "02/BC-LHHN", "01/BC-HNVL", "01/BC-LHHN"]
    assert OutgoingDocument.objects.get(source="d").year == 2027


@pytest.mark.django_db
def test_a_document_asked_for_again_keeps_its_number_and_is_built_once():
    built = []
    first = register(union_body(), source="delegation-report:7", built=built)
    second = register(union_body(), source="delegation-report:7", built=built)

    assert first.pk == second.pk and built == [1]
    with second.file.open("rb") as issued:
        assert issued.read().decode() == "văn bản số 1"


@pytest.mark.django_db
def test_an_association_added_later_gets_a_body_of_its_own():
    body = issuing_body("vietnam_cuba", name="Hội Hữu nghị Việt Nam – Cu Ba tỉnh Hà Tĩnh")

    assert (body.code, body.signer_position) == ("VIETNAMCUBA", "Chủ tịch")
    assert issuing_body("vietnam_cuba").pk == body.pk


@pytest.mark.django_db
def test_the_union_and_the_five_associations_are_issuing_bodies_from_the_start():
    codes = dict(IssuingBody.objects.values_list("key", "code"))
    assert codes == {
        "union": "LHHN",
        "laos": "HNVL",
        "russia": "HNVN",
        "thailand": "HNVTL",
        "czech_slovakia": "HNVSS",
        "poland": "HNVBL",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("province", 200), ("admin", 200), ("laos_leader", 403), ("outsider", 403)],
)
def test_who_reads_the_register_and_its_files(client, cast, who, status):
    entry = register(union_body(), source="x", title="Tổng kết năm 2026")
    client.force_login(getattr(cast, who))

    page = client.get(reverse("document_register"))
    download = client.get(reverse("document_register_file", args=[entry.pk]))

    assert (page.status_code, download.status_code) == (status, status)
    if status == 200:
        assert "01/BC-LHHN" in page.content.decode() and "Tổng kết năm 2026" in page.content.decode()
        assert b"".join(download.streaming_content).decode() == "văn bản số 1"


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse("document_register")).status_code == 302


@pytest.mark.django_db
def test_the_register_is_paginated_filtered_and_keeps_its_query_count(client, cast, django_assert_num_queries):
    laos = IssuingBody.objects.get(key="laos")
    for index in range(30):
        register(union_body(), source=f"u{index}", title=f"<b>Văn bản {index}</b>")
    register(laos, source="l1", title="Báo cáo của Hội")
    client.force_login(cast.staff)

    with django_assert_num_queries(QUERIES):
        first = client.get(reverse("document_register"))
    with django_assert_num_queries(QUERIES):
        client.get(reverse("document_register"), {"page": 2})
    by_laos = client.get(reverse("document_register"), {"body": laos.pk, "year": "2026"}).content.decode()

    assert first.context["page"].paginator.num_pages == 2
    assert "&lt;b&gt;Văn bản 29&lt;/b&gt;" in first.content.decode()  # typed text stays text
    assert "01/BC-HNVL" in by_laos and "Văn bản 29" not in by_laos
    for hostile in ("-1", "99999", "abc", "1e9"):
        assert client.get(reverse("document_register"), {"body": hostile, "year": hostile}).status_code == 200
    assert client.get(reverse("document_register"), {"year": "\x00"}).status_code == 400  # the portal's 400 page


@pytest.mark.django_db
def test_the_administrator_keeps_who_signs_and_staff_does_not(client, cast):
    union = union_body()
    url = reverse("admin:friendship_portal_issuingbody_change", args=[union.pk])
    client.force_login(cast.admin)
    answer = client.post(
        url,
        {
            "name": union.name,
            "superior": "",
            "code": "LHHN",
            "signer_capacity": "TM. Ban Thường trực",
            "signer_position": "Chủ tịch",
            "signer_name": "Trần Thị Bình",
        },
    )
    assert answer.status_code == 302
    union.refresh_from_db()
    assert union.signer_name == "Trần Thị Bình"

    client.force_login(cast.staff)
    assert client.get(url).status_code == 302  # staff has no admin

"""The words of the delegation forms: the page names the record it adds, and no two fields read alike."""

import pytest
from django.urls import reverse

from tests.delegations.factories import DelegationFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "title"),
    [("delegations:outbound_create", "Thêm mới đoàn ra"), ("delegations:inbound_create", "Thêm mới đoàn vào")],
)
def test_the_new_record_page_names_what_it_adds(login, cast, url_name, title):
    page = login(cast.staff).get(reverse(url_name)).content.decode()
    assert f"<title>{title}" in page
    assert f">{title}</h1>" in page


@pytest.mark.django_db
def test_the_edit_page_names_the_kind_and_the_record(login, cast):
    trip = DelegationFactory(association=cast.laos, title="Đoàn thăm tỉnh Khăm Muộn")
    page = login(cast.staff).get(reverse("delegations:outbound_update", args=[trip.pk])).content.decode()
    assert ">Sửa đoàn ra: Đoàn thăm tỉnh Khăm Muộn</h1>" in page


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["delegations:outbound_create", "delegations:inbound_create"])
def test_no_two_fields_read_alike(login, cast, url_name):
    form = login(cast.staff).get(reverse(url_name)).context["form"]
    labels = [str(field.label).casefold() for field in form]
    assert "loại hoạt động" in labels and "mục đích, yêu cầu" in labels
    assert len(labels) == len(set(labels))
    firsts = [label.split(",")[0].strip() for label in labels]
    assert len(firsts) == len(set(firsts)), labels  # no "Mục đích" beside "Mục đích, yêu cầu"

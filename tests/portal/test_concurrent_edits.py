"""Two people editing the same record: the second save over a newer version is refused, nothing is
overwritten, the page shows what the other person changed and keeps both people's changes in the
form, and saving it again applies the second person's values without losing the first's."""

import pytest
from django.urls import reverse
from lxml import html

from associations.models import Member
from tests import factories


def form_data(response) -> dict:
    """What the browser would send back from the page's record form, as it stands."""
    page = html.fromstring(response.content)
    data = {}
    for field in page.xpath('//form[@data-testid="record-form"]//*[@name]'):
        name = field.get("name")
        if field.tag == "select":
            data[name] = [option.get("value") for option in field.xpath(".//option[@selected]")] or [""]
        elif field.tag == "textarea":
            data[name] = [field.text or ""]
        elif field.get("type") in ("checkbox", "radio"):
            if field.get("checked") is not None:
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = [field.get("value", "")]
    return data


@pytest.fixture
def member(cast):
    return factories.MemberFactory(association=cast.laos, full_name="Nguyễn Văn An", workplace="Sở Ngoại vụ")


def edit_url(member):
    return reverse("associations:member_update", args=[member.pk])


def test_the_second_save_is_refused_and_both_changes_survive(cast, client, member):
    client.force_login(cast.staff)
    staffs_form = form_data(client.get(edit_url(member)))
    client.force_login(cast.laos_leader)
    leaders_form = form_data(client.get(edit_url(member)))

    client.force_login(cast.staff)
    staffs_form["full_name"] = ["Nguyễn Văn Anh"]
    assert client.post(edit_url(member), staffs_form).status_code == 302

    client.force_login(cast.laos_leader)
    leaders_form["workplace"] = ["Sở Giáo dục và Đào tạo"]
    refused = client.post(edit_url(member), leaders_form)

    assert refused.status_code == 200
    member.refresh_from_db()
    assert (member.full_name, member.workplace) == ("Nguyễn Văn Anh", "Sở Ngoại vụ")  # nothing overwritten
    shown = html.fromstring(refused.content).xpath('//*[@data-testid="stale-edit"]')[0].text_content()
    assert "Nguyễn Văn Anh" in shown  # what the other person changed
    merged = form_data(refused)
    assert merged["full_name"] == ["Nguyễn Văn Anh"] and merged["workplace"] == ["Sở Giáo dục và Đào tạo"]

    assert client.post(edit_url(member), merged).status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.workplace) == ("Nguyễn Văn Anh", "Sở Giáo dục và Đào tạo")


def test_a_save_over_the_version_it_loaded_goes_through(cast, client, member):
    client.force_login(cast.staff)
    form = form_data(client.get(edit_url(member)))
    form["workplace"] = ["UBND tỉnh"]

    assert client.post(edit_url(member), form).status_code == 302
    assert Member.objects.get(pk=member.pk).workplace == "UBND tỉnh"

"""Choices searched as the user types: partners and donors come from `/choices/<source>/`, a form page
writes only the chosen ones, and whatever the browser sends is still checked against what the user
may choose. Every other select is written by the portal's own select template in one pass."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from associations.models import Activity, Member
from friendship_portal.core.choices import PAGE_SIZE
from tests import factories
from tests.aid_projects import factories as aid
from tests.associations import kinds
from tests.delegations import factories as trips


def choices(client, key: str, **params):
    response = client.get(reverse("choices", kwargs={"key": key}), params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def names(data) -> list[str]:
    return [row["text"] for row in data["results"]]


@pytest.mark.django_db
def test_a_leader_is_offered_the_union_partners_and_their_own_not_another_associations(login, cast):
    factories.PartnerFactory(name="Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay", association=cast.laos)
    factories.PartnerFactory(name="Hội hữu nghị Nga – Việt", association=cast.russia, country="RU")
    factories.PartnerFactory(name="Liên hiệp hữu nghị Trung ương", association=None, country="VN")
    factories.PartnerFactory(name="Đối tác đã ngừng", association=cast.laos, is_active=False)

    assert names(choices(login(cast.russia_leader), "partners")) == [
        "Hội hữu nghị Nga – Việt",
        "Liên hiệp hữu nghị Trung ương",
    ]
    assert names(choices(login(cast.staff), "partners")) == [
        "Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay",
        "Hội hữu nghị Nga – Việt",
        "Liên hiệp hữu nghị Trung ương",
    ]


@pytest.mark.django_db
def test_a_search_looks_in_the_name_and_the_name_in_the_original_language(login, cast):
    factories.PartnerFactory(name="Hội hữu nghị Lào – Việt Nam tỉnh Savannakhet", name_local="ສະມາຄົມມິດຕະພາບ")
    factories.PartnerFactory(name="Hội hữu nghị Lào – Việt Nam tỉnh Khammouane")
    client = login(cast.staff)
    assert names(choices(client, "partners", q="savannakhet")) == ["Hội hữu nghị Lào – Việt Nam tỉnh Savannakhet"]
    assert names(choices(client, "partners", q="ມິດຕະພາບ")) == ["Hội hữu nghị Lào – Việt Nam tỉnh Savannakhet"]
    assert names(choices(client, "partners", q="Hà Lan")) == []


@pytest.mark.django_db
def test_choices_come_in_pages_and_say_when_more_follow(login, cast):
    factories.PartnerFactory.create_batch(PAGE_SIZE + 5)
    client = login(cast.staff)
    first = choices(client, "partners")
    second = choices(client, "partners", page=2)
    assert (len(first["results"]), first["more"]) == (PAGE_SIZE, True)
    assert (len(second["results"]), second["more"]) == (5, False)
    assert not {row["value"] for row in first["results"]} & {row["value"] for row in second["results"]}
    # A page that is no number is the first page.
    assert choices(client, "partners", page="²")["results"] == first["results"]


@pytest.mark.django_db
def test_a_page_of_choices_costs_the_same_queries_for_ten_or_a_hundred_partners(login, cast):
    client = login(cast.staff)
    factories.PartnerFactory.create_batch(10)
    with CaptureQueriesContext(connection) as few:
        choices(client, "partners", q="Đối tác")
    factories.PartnerFactory.create_batch(90)
    with CaptureQueriesContext(connection) as many:
        choices(client, "partners", q="Đối tác")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_donors_are_the_partners_who_can_give_aid(login, cast):
    aid.DonorFactory(name="Tổ chức Tầm nhìn Thế giới (World Vision)")
    factories.PartnerFactory(name="Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay")
    assert names(choices(login(cast.province), "donors")) == ["Tổ chức Tầm nhìn Thế giới (World Vision)"]


@pytest.mark.django_db
def test_an_unknown_source_is_not_found_and_a_post_is_refused(login, cast):
    client = login(cast.staff)
    assert client.get(reverse("choices", kwargs={"key": "students"})).status_code == 404
    assert client.post(reverse("choices", kwargs={"key": "partners"})).status_code == 405


@pytest.mark.django_db
def test_a_name_with_markup_comes_back_as_text(login, cast):
    factories.PartnerFactory(name="<script>alert(1)</script> Hội")
    response = login(cast.staff).get(reverse("choices", kwargs={"key": "partners"}))
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"][0]["text"] == "<script>alert(1)</script> Hội"  # JSON, shown as text


# --- the form pages -------------------------------------------------------------------------------


def partner_options(html: str) -> list[str]:
    select = re.search(r'<select name="partners".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


@pytest.mark.django_db
def test_the_plan_form_writes_only_the_chosen_partners_and_names_its_source(login, cast):
    chosen = factories.PartnerFactory(name="Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay")
    factories.PartnerFactory.create_batch(30)
    delegation = trips.DelegationFactory(association=cast.laos)
    delegation.partners.set([chosen])
    html = login(cast.staff).get(reverse("delegations:outbound_update", kwargs={"pk": delegation.pk})).content.decode()
    assert partner_options(html) == ["Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay"]
    assert f'data-remote="{reverse("choices", kwargs={"key": "partners"})}"' in html
    assert 'data-placeholder="Gõ để tìm…"' in html
    # A new plan has no partner chosen: the select is empty until the user searches.
    new = login(cast.staff).get(reverse("delegations:outbound_create")).content.decode()
    assert partner_options(new) == []


@pytest.mark.django_db
def test_a_partner_the_leader_may_not_choose_is_refused_even_if_the_browser_sends_it(login, cast):
    other = factories.PartnerFactory(name="Hội hữu nghị Nga – Việt", association=cast.russia, country="RU")
    own = factories.PartnerFactory(name="Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay", association=cast.laos)
    client = login(cast.laos_leader)
    url = kinds.page_url("activity", "create")
    refused = client.post(url, {**kinds.form_data("activity", cast.laos), "partner": other.pk})
    assert refused.status_code == 200  # the form again, with the reason under the field
    assert "partner" in refused.context["form"].errors
    assert not Activity.objects.filter(partner=other).exists()
    accepted = client.post(url, {**kinds.form_data("activity", cast.laos), "partner": own.pk})
    assert accepted.status_code == 302
    assert Activity.objects.get(partner=own).association == cast.laos


@pytest.mark.django_db
def test_a_chosen_value_that_is_no_id_chooses_nothing_and_is_refused(login, cast):
    factories.PartnerFactory(name="Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay")
    response = login(cast.staff).get(reverse("aid_projects:project_list"), {"donor": ["abc", "9" * 30]})
    assert response.status_code == 200
    html = response.content.decode()
    donor = re.search(r'<select name="donor".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option[^>]*>", donor) == ['<option value="" selected>']


# --- branches and members -------------------------------------------------------------------------


def options_of(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


@pytest.mark.django_db
def test_branches_and_members_are_offered_within_the_users_associations_named_with_them(login, cast):
    factories.BranchFactory(association=cast.laos, name="Chi hội Cẩm Xuyên")
    factories.BranchFactory(association=cast.russia, name="Chi hội Thạch Hà")
    factories.MemberFactory(association=cast.laos, full_name="Nguyễn Thị Hương")
    factories.MemberFactory(association=cast.russia, full_name="Trần Văn Minh")
    factories.MemberFactory(association=cast.laos, full_name="Lê Văn Cũ", status=Member.Status.LEFT)
    laos, russia = str(cast.laos), str(cast.russia)

    leader = login(cast.laos_leader)
    assert names(choices(leader, "branches")) == [f"Chi hội Cẩm Xuyên ({laos})"]
    assert names(choices(leader, "members")) == [f"Nguyễn Thị Hương ({laos})"]  # the active ones
    staff = login(cast.staff)
    by_association = sorted(
        [(cast.laos.name, f"Chi hội Cẩm Xuyên ({laos})"), (cast.russia.name, f"Chi hội Thạch Hà ({russia})")]
    )
    assert names(choices(staff, "branches", q="chi hội")) == [text for _name, text in by_association]
    assert names(choices(staff, "branches", q=cast.russia.name)) == [f"Chi hội Thạch Hà ({russia})"]
    assert names(choices(staff, "members", q="minh")) == [f"Trần Văn Minh ({russia})"]
    assert login(cast.outsider).get(reverse("choices", kwargs={"key": "members"})).status_code == 403


@pytest.mark.django_db
def test_the_member_and_leadership_forms_and_the_member_filter_write_only_the_chosen_branch_or_member(login, cast):
    branch = factories.BranchFactory(association=cast.laos, name="Chi hội Cẩm Xuyên")
    factories.BranchFactory.create_batch(30, association=cast.laos)
    member = factories.MemberFactory(association=cast.laos, branch=branch, full_name="Nguyễn Thị Hương")
    factories.MemberFactory.create_batch(30, association=cast.laos)
    client = login(cast.staff)
    edit = client.get(kinds.page_url("member", "update", member)).content.decode()
    assert options_of(edit, "branch")[-1] == f"Chi hội Cẩm Xuyên ({cast.laos})"
    assert len(options_of(edit, "branch")) <= 2  # the empty choice and the chosen branch, not the other 30
    assert f'data-remote="{reverse("choices", kwargs={"key": "branches"})}"' in edit
    post = factories.LeadershipPositionFactory(association=cast.laos, member=member)
    leadership = client.get(kinds.page_url("leadership", "update", post)).content.decode()
    assert options_of(leadership, "member")[-1] == f"Nguyễn Thị Hương ({cast.laos})"
    assert len(options_of(leadership, "member")) <= 2
    listed = client.get(reverse("associations:member_list"), {"branch": branch.pk})
    assert [row.pk for row in listed.context["page"]] == [member.pk]
    assert options_of(listed.content.decode(), "branch")[-1] == f"Chi hội Cẩm Xuyên ({cast.laos})"
    assert len(options_of(listed.content.decode(), "branch")) <= 2


@pytest.mark.django_db
def test_a_branch_of_another_association_is_refused_to_a_leader_even_if_the_browser_sends_it(login, cast):
    other = factories.BranchFactory(association=cast.russia, name="Chi hội Thạch Hà")
    own = factories.BranchFactory(association=cast.laos, name="Chi hội Cẩm Xuyên")
    client = login(cast.laos_leader)
    url = kinds.page_url("member", "create")
    refused = client.post(url, {**kinds.form_data("member", cast.laos), "branch": other.pk})
    assert refused.status_code == 200
    assert "branch" in refused.context["form"].errors
    accepted = client.post(url, {**kinds.form_data("member", cast.laos), "branch": own.pk})
    assert accepted.status_code == 302
    assert Member.objects.get(branch=own).association == cast.laos


# --- the portal's select template -----------------------------------------------------------------


class Sample(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "— Chọn —"), ("a", "<b>đậm</b>"), ("Nhóm", [("b", 'Có "ngoặc"'), ("c", "Ba")])]
    )
    many = forms.MultipleChoiceField(choices=[("1", "Một"), ("2", "Hai")], required=False)


def test_the_select_template_writes_each_option_as_django_would_escaping_the_labels():
    html = str(Sample({"kind": "b", "many": ["1", "2"]})["kind"])
    assert '<option value="a">&lt;b&gt;đậm&lt;/b&gt;</option>' in html
    assert '<optgroup label="Nhóm">' in html and "</optgroup>" in html
    assert '<option value="b" selected>Có &quot;ngoặc&quot;</option>' in html
    many = str(Sample({"kind": "b", "many": ["1", "2"]})["many"])
    assert many.count(" selected>") == 2 and "multiple" in many


def test_every_country_reads_once_in_vietnamese():
    from django_countries import countries

    with translation.override("vi"):
        labels = [str(name) for _code, name in countries]
        assert len(labels) == len(set(labels))
        assert {countries.name("IS"), countries.name("IE")} == {"Ai-xơ-len", "Ai-len"}
        assert countries.name("NE") != countries.name("NG")

"""The create and edit forms of the associations' pages, with their inline rows."""

import datetime

from django.contrib.messages import get_messages
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from associations.models import Branch, Member, Partner, PartnerContact, WorkPlan, WorkPlanItem
from friendship_portal.core.display import person_name
from tests import factories
from tests.associations.kinds import filled_form, form_data, management_form, page_url


def in_vietnamese(message) -> str:
    with translation.override("vi"):
        return gettext(message) if isinstance(message, str) else str(message)


def shows(response, text) -> bool:
    return escape(str(text)) in response.content.decode()


# --- an invalid form comes back with what was typed and why ------------------------------------------


def test_invalid_member_form_comes_back_with_the_typed_values_and_the_errors(login, cast):
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    data = {
        **form_data("member", cast.laos),
        "full_name": "Hồ Thị Phương Thảo",
        "joined_on": future,
        "kind": "collective",
        "representative": "",
    }

    response = login(cast.laos_leader).post(page_url("member", "create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["joined_on"] == [in_vietnamese("The joining date cannot be in the future.")]
    assert form.errors["representative"] == [in_vietnamese("A collective member needs a representative.")]
    assert shows(response, form.errors["joined_on"][0])
    assert shows(response, form.errors["representative"][0])
    assert 'value="Hồ Thị Phương Thảo"' in response.content.decode()
    assert f'value="{future}"' in response.content.decode()
    assert not Member.objects.exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [in_vietnamese("Please correct the errors below.")]


def test_date_that_does_not_exist_is_refused_and_shown_again(login, cast):
    data = {**form_data("member", cast.laos), "joined_on": "31/02/2020"}

    response = login(cast.staff).post(page_url("member", "create"), data)

    assert response.status_code == 200
    assert "joined_on" in response.context["form"].errors
    assert 'value="31/02/2020"' in response.content.decode()
    assert not Member.objects.exists()


def test_invalid_edit_changes_nothing(login, cast):
    position = factories.LeadershipPositionFactory(association=cast.laos, main_job="Giám đốc Sở Ngoại vụ")
    data = {**form_data("leadership", cast.laos), "term_start": "01/06/2027", "term_end": "01/06/2022", "main_job": ""}

    response = login(cast.laos_leader).post(page_url("leadership", "update", position), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["term_end"] == [in_vietnamese("The term must end after it starts.")]
    assert errors["main_job"] == [in_vietnamese("Give the main job of a leader who holds the post concurrently.")]
    position.refresh_from_db()
    assert position.main_job == "Giám đốc Sở Ngoại vụ"
    assert position.history.count() == 1


def test_branch_of_another_association_is_refused_on_the_member_form(login, cast):
    russia_branch = factories.BranchFactory(association=cast.russia)
    data = {**form_data("member", cast.laos), "branch": russia_branch.pk}

    response = login(cast.staff).post(page_url("member", "create"), data)

    assert response.context["form"].errors["branch"] == [in_vietnamese("The branch belongs to another association.")]
    assert not Member.objects.exists()


# --- a valid form saves and opens the record ------------------------------------------------------------


def test_valid_create_redirects_to_the_new_record(login, cast):
    response = login(cast.laos_leader).post(page_url("member", "create"), form_data("member", cast.laos))

    member = Member.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_url("member", "detail", member)
    assert (member.association, member.full_name, member.joined_on) == (
        cast.laos,
        "Phan Thị Thu Hà",
        datetime.date(2019, 9, 2),
    )
    assert member.history.get().history_user == cast.laos_leader


def test_valid_edit_redirects_to_the_record(login, cast):
    branch = factories.BranchFactory(association=cast.laos)
    data = {**form_data("branch", cast.laos), "name": "Chi hội xã Cẩm Xuyên"}

    response = login(cast.laos_leader).post(page_url("branch", "update", branch), data)

    assert response["Location"] == page_url("branch", "detail", branch)
    branch.refresh_from_db()
    assert branch.name == "Chi hội xã Cẩm Xuyên"
    assert branch.founded_on == datetime.date(2012, 5, 19)


def test_leader_form_offers_only_own_association_already_chosen(login, cast):
    factories.BranchFactory(association=cast.laos, name="Chi hội Lào 1")
    factories.BranchFactory(association=cast.russia, name="Chi hội Nga 1")

    response = login(cast.laos_leader).get(page_url("member", "create"))

    form = response.context["form"]
    assert list(form.fields["association"].queryset) == [cast.laos]
    assert form.fields["association"].initial == cast.laos.pk
    assert [branch.name for branch in form.fields["branch"].queryset] == ["Chi hội Lào 1"]


def test_staff_form_offers_every_association(login, cast):
    response = login(cast.staff).get(page_url("member", "create"))

    assert set(response.context["form"].fields["association"].queryset) == set(cast.associations.values())


def test_leader_partner_form_requires_own_association(login, cast):
    response = login(cast.laos_leader).get(page_url("partner", "create"))

    field = response.context["form"].fields["association"]
    assert field.required
    assert list(field.queryset) == [cast.laos]


def test_activity_form_offers_the_leader_only_partners_and_focus_tasks_they_may_see(login, cast):
    own_partner = factories.PartnerFactory(association=cast.laos)
    union_partner = factories.PartnerFactory(association=None)
    factories.PartnerFactory(association=cast.russia)
    own_item = factories.WorkPlanItemFactory(plan=factories.WorkPlanFactory(association=cast.laos))
    factories.WorkPlanItemFactory(plan=factories.WorkPlanFactory(association=cast.russia))

    form = login(cast.laos_leader).get(page_url("activity", "create")).context["form"]

    assert set(form.fields["partner"].queryset) == {own_partner, union_partner}
    assert list(form.fields["plan_item"].queryset) == [own_item]


# --- the plan's focus tasks (formset prefix "items") ------------------------------------------------------


def plan_form(cast, **items) -> dict:
    return {
        "association": cast.laos.pk,
        "year": "2026",
        "title": "Kế hoạch công tác năm 2026",
        "adopted_on": "15/01/2026",
        "summary": "",
        **items,
    }


def test_new_plan_is_saved_with_its_focus_tasks(login, cast):
    data = plan_form(
        cast,
        **management_form("items", initial=0, total=2),
        **{
            "items-0-position": "1",
            "items-0-title": "Kỷ niệm 49 năm Hiệp ước Hữu nghị và Hợp tác Việt Nam – Lào",
            "items-0-target": "300 đại biểu",
            "items-0-due_on": "18/07/2026",
            "items-0-status": "planned",
            "items-1-position": "0",
            "items-1-status": "planned",
        },  # the empty extra row
    )

    response = login(cast.laos_leader).post(page_url("plan", "create"), data)

    plan = WorkPlan.objects.get()
    assert response["Location"] == page_url("plan", "detail", plan)
    assert list(plan.items.values_list("title", "due_on")) == [
        ("Kỷ niệm 49 năm Hiệp ước Hữu nghị và Hợp tác Việt Nam – Lào", datetime.date(2026, 7, 18))
    ]


def test_plan_edit_adds_changes_and_removes_focus_tasks(login, cast):
    plan = factories.WorkPlanFactory(association=cast.laos, year=2026)
    kept = factories.WorkPlanItemFactory(plan=plan, position=1, title="Chúc Tết Bunpimay")
    dropped = factories.WorkPlanItemFactory(plan=plan, position=2, title="Hội thảo đã hủy")
    client = login(cast.laos_leader)
    data = filled_form(client.get(page_url("plan", "update", plan)))
    rows = {data[f"items-{i}-title"]: i for i in range(2)}
    data[f"items-{rows['Chúc Tết Bunpimay']}-status"] = "done"
    data[f"items-{rows['Chúc Tết Bunpimay']}-outcome"] = "Đã thăm và chúc Tết 3 tỉnh bạn"
    data[f"items-{rows['Hội thảo đã hủy']}-DELETE"] = "on"
    data["items-2-title"] = "Đón đoàn tỉnh Bolikhamxay"
    data["items-2-position"] = "3"

    response = client.post(page_url("plan", "update", plan), data)

    assert response["Location"] == page_url("plan", "detail", plan)
    assert list(plan.items.values_list("title", "status", "outcome")) == [
        ("Chúc Tết Bunpimay", "done", "Đã thăm và chúc Tết 3 tỉnh bạn"),
        ("Đón đoàn tỉnh Bolikhamxay", "planned", ""),
    ]
    assert not WorkPlanItem.objects.filter(pk=dropped.pk).exists()
    assert kept.history.latest().history_user == cast.laos_leader


def test_plan_page_shows_its_focus_tasks_and_their_history(login, cast):
    plan = factories.WorkPlanFactory(association=cast.laos, year=2026)
    factories.WorkPlanItemFactory(plan=plan, position=1, title="Chúc Tết Bunpimay")
    client = login(cast.staff)
    data = filled_form(client.get(page_url("plan", "update", plan)))
    data["items-0-status"] = "done"
    data["items-1-title"] = "Đón đoàn tỉnh Bolikhamxay"
    data["items-1-position"] = "2"
    data["items-1-due_on"] = "20/10/2026"
    client.post(page_url("plan", "update", plan), data)

    response = client.get(page_url("plan", "detail", plan))

    (inline,) = response.context["inlines"]
    assert [row[1] for row in inline["rows"]] == ["Chúc Tết Bunpimay", "Đón đoàn tỉnh Bolikhamxay"]
    assert inline["rows"][1][3] == "20/10/2026"
    assert inline["rows"][0][4] == in_vietnamese(WorkPlanItem.Status.DONE.label)
    assert shows(response, "Đón đoàn tỉnh Bolikhamxay")
    history = response.context["history"]
    created = [entry for entry in history if entry.kind == "created" and "Đón đoàn" in entry.subject]
    assert created and created[0].user == person_name(cast.staff)
    changed = [entry for entry in history if entry.kind == "changed" and "Chúc Tết" in entry.subject]
    assert [(c.old, c.new) for c in changed[0].changes] == [
        (in_vietnamese(WorkPlanItem.Status.PLANNED.label), in_vietnamese(WorkPlanItem.Status.DONE.label))
    ]


def test_invalid_focus_task_row_comes_back_with_what_was_typed(login, cast):
    plan = factories.WorkPlanFactory(association=cast.laos, year=2026, title="Kế hoạch 2026")
    client = login(cast.laos_leader)
    data = filled_form(client.get(page_url("plan", "update", plan)))
    data["title"] = "Kế hoạch 2026 (sửa)"
    data["items-0-title"] = "Giao lưu thanh niên"
    data["items-0-due_on"] = "45/13/2026"

    response = client.post(page_url("plan", "update", plan), data)

    assert response.status_code == 200
    ((_title, formset),) = response.context["formsets"]
    assert "due_on" in formset.forms[0].errors
    assert 'value="Giao lưu thanh niên"' in response.content.decode()
    assert 'value="45/13/2026"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch 2026"
    assert not plan.items.exists()


# --- the partner's contact persons (formset prefix "contacts") ---------------------------------------------


def test_new_partner_is_saved_with_its_contacts(login, cast):
    data = {
        **form_data("partner", cast.laos),
        "name": "Sở Ngoại vụ tỉnh Bolikhamxay",
        "kind": "foreign_locality",
        "country": "LA",
        **management_form("contacts", initial=0, total=1),
        "contacts-0-full_name": "Khamphouvong Sisavath",
        "contacts-0-position": "Giám đốc Sở",
        "contacts-0-email": "khamphouvong@example.la",
    }

    response = login(cast.laos_leader).post(page_url("partner", "create"), data)

    partner = Partner.objects.get()
    assert response["Location"] == page_url("partner", "detail", partner)
    assert list(partner.contacts.values_list("full_name", "email")) == [
        ("Khamphouvong Sisavath", "khamphouvong@example.la")
    ]


def test_partner_edit_adds_a_contact_shown_on_the_partner_page_with_its_history(login, cast):
    partner = factories.PartnerFactory(association=cast.laos, name="Sở Ngoại vụ tỉnh Bolikhamxay")
    client = login(cast.laos_leader)
    data = filled_form(client.get(page_url("partner", "update", partner)))
    data["contacts-0-full_name"] = "Bounmy Phommachanh"
    data["contacts-0-phone"] = "+856 20 5555 1234"

    response = client.post(page_url("partner", "update", partner), data)
    page = client.get(page_url("partner", "detail", partner))

    assert response["Location"] == page_url("partner", "detail", partner)
    contact = PartnerContact.objects.get(partner=partner)
    assert contact.phone == "+856 20 5555 1234"
    (inline,) = page.context["inlines"]
    assert inline["rows"] == [["Bounmy Phommachanh", "", "", "+856 20 5555 1234", ""]]
    assert any(
        entry.kind == "created"
        and "Bounmy Phommachanh" in entry.subject
        and entry.user == person_name(cast.laos_leader)
        for entry in page.context["history"]
    )


def test_removed_contact_is_gone_and_its_removal_is_in_the_history(login, cast):
    partner = factories.PartnerFactory(association=cast.laos)
    factories.PartnerContactFactory(partner=partner, full_name="Somsak Vongsa")
    client = login(cast.staff)
    data = filled_form(client.get(page_url("partner", "update", partner)))
    data["contacts-0-DELETE"] = "on"

    client.post(page_url("partner", "update", partner), data)
    page = client.get(page_url("partner", "detail", partner))

    assert not partner.contacts.exists()
    assert page.context["inlines"][0]["rows"] == []
    assert any(entry.kind == "deleted" and "Somsak Vongsa" in entry.subject for entry in page.context["history"])


# --- delete pages ---------------------------------------------------------------------------------------


def test_delete_page_asks_before_deleting(login, cast):
    branch = factories.BranchFactory(association=cast.laos, name="Chi hội Hồng Lĩnh")

    response = login(cast.staff).get(page_url("branch", "delete", branch))

    assert response.status_code == 200
    assert b'data-testid="confirm-delete"' in response.content
    assert Branch.objects.filter(pk=branch.pk).exists()


def test_delete_of_a_branch_with_members_is_refused_with_a_clear_message(login, cast):
    branch = factories.BranchFactory(association=cast.laos)
    factories.MemberFactory(association=cast.laos, branch=branch)
    client = login(cast.staff)

    response = client.post(page_url("branch", "delete", branch))

    assert response["Location"] == page_url("branch", "detail", branch)
    assert Branch.objects.filter(pk=branch.pk).exists()
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert str(Member._meta.verbose_name_plural) in message
    assert shows(client.get(response["Location"]), message)

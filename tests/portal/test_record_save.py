"""record_save: the one way every page, admin and command creates or changes a record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from associations.models import Member, Partner, PartnerContact, WorkPlan, WorkPlanItem
from friendship_portal.core.records import record_save
from tests import factories


def stored(record):
    return type(record).objects.get(pk=record.pk)


# --- who may ---------------------------------------------------------------------------------


def test_staff_creates_a_record_of_any_association(cast):
    member = Member(association=cast.russia, full_name="Nguyễn Văn Bình", joined_on=datetime.date(2020, 1, 6))

    record_save(actor=cast.staff, instance=member)

    assert stored(member).association == cast.russia


def test_leader_creates_a_record_of_own_association(cast):
    member = Member(association=cast.laos, full_name="Nguyễn Văn Bình", joined_on=datetime.date(2020, 1, 6))

    record_save(actor=cast.laos_leader, instance=member)

    assert stored(member).full_name == "Nguyễn Văn Bình"


def test_leader_cannot_create_a_record_of_another_association(cast):
    member = Member(association=cast.russia, full_name="Nguyễn Văn Bình", joined_on=datetime.date(2020, 1, 6))

    with pytest.raises(PermissionDenied):
        record_save(actor=cast.laos_leader, instance=member)

    assert not Member.objects.exists()


@pytest.mark.parametrize("role", ["province", "admin", "outsider"])
def test_non_writers_cannot_create_a_record(cast, role):
    member = Member(association=cast.laos, full_name="Nguyễn Văn Bình", joined_on=datetime.date(2020, 1, 6))

    with pytest.raises(PermissionDenied):
        record_save(actor=getattr(cast, role), instance=member)

    assert not Member.objects.exists()


@pytest.mark.parametrize("role", ["province", "admin", "outsider", "russia_leader"])
def test_non_writers_cannot_change_a_laos_record(cast, role):
    member = factories.MemberFactory(association=cast.laos, workplace="Sở Ngoại vụ Hà Tĩnh")
    member.workplace = "UBND tỉnh Hà Tĩnh"

    with pytest.raises(PermissionDenied):
        record_save(actor=getattr(cast, role), instance=member)

    assert stored(member).workplace == "Sở Ngoại vụ Hà Tĩnh"
    assert member.history.count() == 1


def test_leader_cannot_move_own_record_to_another_association(cast):
    member = factories.MemberFactory(association=cast.laos)
    member.association = cast.russia

    with pytest.raises(PermissionDenied):
        record_save(actor=cast.laos_leader, instance=member)

    assert stored(member).association == cast.laos
    assert member.history.count() == 1


def test_leader_cannot_take_over_another_association_record(cast):
    member = factories.MemberFactory(association=cast.russia)
    member.association = cast.laos

    with pytest.raises(PermissionDenied):
        record_save(actor=cast.laos_leader, instance=member)

    assert stored(member).association == cast.russia


def test_leader_cannot_change_a_union_wide_partner(cast):
    partner = factories.PartnerFactory(association=None, notes="")
    partner.notes = "Đã liên hệ"

    with pytest.raises(PermissionDenied):
        record_save(actor=cast.laos_leader, instance=partner)

    assert stored(partner).notes == ""


def test_leader_cannot_make_own_partner_union_wide(cast):
    partner = factories.PartnerFactory(association=cast.laos)
    partner.association = None

    with pytest.raises(PermissionDenied):
        record_save(actor=cast.laos_leader, instance=partner)

    assert stored(partner).association == cast.laos


def test_permission_is_checked_before_validation(cast):
    """A refused user learns they may not, not what is wrong with the data."""
    member = Member(association=cast.russia, full_name="", joined_on=datetime.date(2020, 1, 6))

    with pytest.raises(PermissionDenied):
        record_save(actor=cast.province, instance=member)


def test_refusal_says_why(cast):
    member = factories.MemberFactory(association=cast.russia)
    member.notes = "x"

    with pytest.raises(PermissionDenied) as refused:
        record_save(actor=cast.laos_leader, instance=member)

    with translation.override("vi"):
        reason = gettext(
            "Your role does not allow changing this record: association leaders change only their own "
            "association's records, and the provincial office only reads."
        )
    assert str(refused.value) == reason


# --- validation ------------------------------------------------------------------------------


def test_invalid_record_is_not_saved(cast):
    member = factories.MemberFactory(association=cast.laos, full_name="Trần Thị Mai")
    member.full_name = ""

    with pytest.raises(ValidationError) as invalid:
        record_save(actor=cast.staff, instance=member)

    assert "full_name" in invalid.value.message_dict
    assert stored(member).full_name == "Trần Thị Mai"
    assert member.history.count() == 1


def test_database_constraints_are_checked_before_saving(cast):
    factories.WorkPlanFactory(association=cast.laos, year=2026)
    second = WorkPlan(association=cast.laos, year=2026, title="Kế hoạch bổ sung")

    with pytest.raises(ValidationError):
        record_save(actor=cast.staff, instance=second)

    assert WorkPlan.objects.filter(association=cast.laos, year=2026).count() == 1


# --- history -------------------------------------------------------------------------------------


def test_create_writes_history_with_the_acting_user(cast):
    member = Member(association=cast.laos, full_name="Nguyễn Văn Bình", joined_on=datetime.date(2020, 1, 6))

    record_save(actor=cast.laos_leader, instance=member)

    row = member.history.get()
    assert row.history_type == "+"
    assert row.history_user == cast.laos_leader


def test_change_writes_history_with_the_acting_user_and_reason(cast):
    member = factories.MemberFactory(association=cast.laos, workplace="Sở Ngoại vụ Hà Tĩnh")
    member.workplace = "UBND tỉnh Hà Tĩnh"

    record_save(actor=cast.staff, instance=member, reason="Chuyển công tác")

    latest = member.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == cast.staff
    assert latest.history_change_reason == "Chuyển công tác"
    assert latest.workplace == "UBND tỉnh Hà Tĩnh"


# --- inline children -----------------------------------------------------------------------------


def test_children_are_saved_deleted_and_recorded_with_the_acting_user(cast):
    plan = factories.WorkPlanFactory(association=cast.laos)
    kept = factories.WorkPlanItemFactory(plan=plan, title="Kỷ niệm Quốc khánh Lào")
    dropped = factories.WorkPlanItemFactory(plan=plan, title="Hội thảo bỏ")
    kept.status = WorkPlanItem.Status.DONE
    added = WorkPlanItem(plan=plan, title="Thăm hỏi Tết Bunpimay", position=3)

    record_save(actor=cast.laos_leader, instance=plan, children=[kept, added], deleted_children=[dropped])

    assert sorted(plan.items.values_list("title", "status")) == [
        ("Kỷ niệm Quốc khánh Lào", "done"),
        ("Thăm hỏi Tết Bunpimay", "planned"),
    ]
    rows = WorkPlanItem.history.filter(plan_id=plan.pk).exclude(history_type="+", title__in=[kept.title, dropped.title])
    assert {(row.title, row.history_type, row.history_user) for row in rows} == {
        ("Kỷ niệm Quốc khánh Lào", "~", cast.laos_leader),
        ("Hội thảo bỏ", "-", cast.laos_leader),
        ("Thăm hỏi Tết Bunpimay", "+", cast.laos_leader),
    }


def test_new_parent_is_saved_with_its_new_children(cast):
    """As the plan and partner forms do: the children point at the parent before it has an id."""
    partner = Partner(
        name="Sở Ngoại vụ tỉnh Bolikhamxay", kind=Partner.Kind.FOREIGN_LOCALITY, country="LA", association=cast.laos
    )
    contact = PartnerContact(partner=partner, full_name="Khamphouvong Sisavath")

    record_save(actor=cast.laos_leader, instance=partner, children=[contact])

    assert list(stored(partner).contacts.values_list("full_name", flat=True)) == ["Khamphouvong Sisavath"]


def test_invalid_child_leaves_parent_unchanged(cast):
    plan = factories.WorkPlanFactory(association=cast.laos, title="Kế hoạch 2026")
    plan.title = "Kế hoạch 2026 (sửa)"
    bad = WorkPlanItem(plan=plan, title="")

    with pytest.raises(ValidationError):
        record_save(actor=cast.staff, instance=plan, children=[bad])

    assert stored(plan).title == "Kế hoạch 2026"
    assert plan.history.count() == 1
    assert not plan.items.exists()

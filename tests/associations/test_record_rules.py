"""The rules a record of an association must always keep, enforced by record_save (full_clean)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from associations.models import (
    Activity,
    Branch,
    LaoProvince,
    LeadershipPosition,
    Member,
    Partner,
    WorkPlan,
)
from friendship_portal.core.records import record_save
from tests import factories


def refused_fields(cast, record) -> set[str]:
    """Save `record` as union staff; return the fields the refusal names (nothing is saved)."""
    with pytest.raises(ValidationError) as invalid:
        record_save(actor=cast.staff, instance=record)
    if record.pk:
        assert record.history.count() == 1  # only the factory's creation
    return set(invalid.value.message_dict)


def new_member(cast, **values) -> Member:
    return Member(
        **{"association": cast.laos, "full_name": "Nguyễn Thị Lan", "joined_on": datetime.date(2018, 5, 19), **values}
    )


# --- members -------------------------------------------------------------------------------------


def test_member_cannot_sit_in_a_branch_of_another_association(cast):
    russia_branch = factories.BranchFactory(association=cast.russia)

    assert refused_fields(cast, new_member(cast, branch=russia_branch)) == {"branch"}
    assert not Member.objects.exists()


def test_member_in_a_branch_of_own_association_is_saved(cast):
    branch = factories.BranchFactory(association=cast.laos)

    member = record_save(actor=cast.staff, instance=new_member(cast, branch=branch))

    assert Member.objects.get(pk=member.pk).branch == branch


def test_collective_member_needs_a_representative(cast):
    member = new_member(cast, kind=Member.Kind.COLLECTIVE, full_name="Trường Đại học Hà Tĩnh", headcount=40)

    assert refused_fields(cast, member) == {"representative"}


def test_collective_member_with_a_representative_is_saved(cast):
    member = new_member(
        cast,
        kind=Member.Kind.COLLECTIVE,
        full_name="Trường Đại học Hà Tĩnh",
        representative="PGS.TS Trần Văn Minh",
        headcount=40,
    )

    record_save(actor=cast.staff, instance=member)

    assert Member.objects.get(pk=member.pk).headcount == 40


def test_individual_member_has_no_headcount(cast):
    assert refused_fields(cast, new_member(cast, headcount=3)) == {"headcount"}


def test_member_cannot_join_in_the_future(cast):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    assert refused_fields(cast, new_member(cast, joined_on=tomorrow)) == {"joined_on"}


def test_member_may_join_today(cast):
    member = record_save(actor=cast.staff, instance=new_member(cast, joined_on=timezone.localdate()))

    assert member.pk


def test_member_no_longer_active_needs_the_date_of_the_change(cast):
    member = factories.MemberFactory(association=cast.laos)
    member.status = Member.Status.LEFT

    assert refused_fields(cast, member) == {"status_changed_on"}
    assert Member.objects.get(pk=member.pk).status == Member.Status.ACTIVE


def test_member_status_cannot_change_before_joining(cast):
    member = new_member(
        cast,
        status=Member.Status.LEFT,
        joined_on=datetime.date(2018, 5, 19),
        status_changed_on=datetime.date(2017, 1, 1),
    )

    assert refused_fields(cast, member) == {"status_changed_on"}


@pytest.mark.parametrize("birth_year", [1899, timezone.localdate().year + 1])
def test_member_birth_year_is_plausible(cast, birth_year):
    assert refused_fields(cast, new_member(cast, birth_year=birth_year)) == {"birth_year"}


# --- leadership ----------------------------------------------------------------------------------


def new_position(cast, **values) -> LeadershipPosition:
    return LeadershipPosition(
        **{
            "association": cast.laos,
            "person_name": "Võ Văn Thành",
            "role": LeadershipPosition.Role.CHAIR,
            "term_label": "2022–2027",
            "term_start": datetime.date(2022, 6, 1),
            "term_end": datetime.date(2027, 6, 1),
            "is_concurrent": True,
            "main_job": "Phó Chủ tịch UBND tỉnh",
            **values,
        }
    )


def test_term_cannot_end_before_it_starts(cast):
    position = new_position(cast, term_end=datetime.date(2021, 12, 31))

    assert "term_end" in refused_fields(cast, position)
    assert not LeadershipPosition.objects.exists()


def test_term_cannot_end_the_day_it_starts(cast):
    assert "term_end" in refused_fields(cast, new_position(cast, term_end=datetime.date(2022, 6, 1)))


def test_concurrent_leader_needs_a_main_job(cast):
    assert refused_fields(cast, new_position(cast, main_job="")) == {"main_job"}


def test_full_time_leader_needs_no_main_job(cast):
    position = record_save(actor=cast.staff, instance=new_position(cast, is_concurrent=False, main_job=""))

    assert LeadershipPosition.objects.get(pk=position.pk).is_concurrent is False


def test_leader_seat_cannot_name_a_member_of_another_association(cast):
    russia_member = factories.MemberFactory(association=cast.russia)

    assert refused_fields(cast, new_position(cast, member=russia_member)) == {"member"}


# --- plans and activities ------------------------------------------------------------------------


def new_activity(cast, **values) -> Activity:
    return Activity(
        **{
            "association": cast.laos,
            "kind": Activity.Kind.NEW_YEAR_GREETINGS,
            "title": "Chúc Tết Bunpimay",
            "held_on": datetime.date(2026, 4, 13),
            **values,
        }
    )


def test_activity_cannot_serve_a_focus_task_of_another_association(cast):
    russia_item = factories.WorkPlanItemFactory(plan=factories.WorkPlanFactory(association=cast.russia, year=2026))

    assert refused_fields(cast, new_activity(cast, plan_item=russia_item)) == {"plan_item"}
    assert not Activity.objects.exists()


def test_activity_cannot_serve_a_focus_task_of_another_year(cast):
    item_2025 = factories.WorkPlanItemFactory(plan=factories.WorkPlanFactory(association=cast.laos, year=2025))

    assert refused_fields(cast, new_activity(cast, plan_item=item_2025)) == {"plan_item"}


def test_activity_serving_own_focus_task_of_the_year_is_saved(cast):
    item = factories.WorkPlanItemFactory(plan=factories.WorkPlanFactory(association=cast.laos, year=2026))

    activity = record_save(actor=cast.laos_leader, instance=new_activity(cast, plan_item=item))

    assert Activity.objects.get(pk=activity.pk).plan_item == item


def test_one_plan_a_year_for_an_association(cast):
    factories.WorkPlanFactory(association=cast.laos, year=2026)

    assert refused_fields(cast, WorkPlan(association=cast.laos, year=2026, title="Kế hoạch thứ hai"))


@pytest.mark.parametrize("year", [1989, timezone.localdate().year + 6])
def test_plan_year_is_plausible(cast, year):
    assert refused_fields(cast, WorkPlan(association=cast.laos, year=year, title="Kế hoạch")) == {"year"}


def test_branch_cannot_be_dissolved_before_it_was_founded(cast):
    branch = Branch(
        association=cast.laos,
        name="Chi hội Kỳ Anh",
        founded_on=datetime.date(2015, 1, 1),
        dissolved_on=datetime.date(2014, 12, 31),
    )

    assert "dissolved_on" in refused_fields(cast, branch)


# --- partners ------------------------------------------------------------------------------------


def test_lao_province_only_for_a_partner_in_laos(cast):
    bolikhamxay = LaoProvince.objects.get(iso_code="LA-BL")
    partner = Partner(
        name="Tỉnh Udon Thani", kind=Partner.Kind.FOREIGN_LOCALITY, country="TH", lao_province=bolikhamxay
    )

    assert refused_fields(cast, partner) == {"lao_province"}
    assert not Partner.objects.exists()


def test_lao_partner_keeps_its_province(cast):
    bolikhamxay = LaoProvince.objects.get(iso_code="LA-BL")
    partner = Partner(
        name="Sở Ngoại vụ tỉnh Bolikhamxay", kind=Partner.Kind.FOREIGN_LOCALITY, country="LA", lao_province=bolikhamxay
    )

    record_save(actor=cast.staff, instance=partner)

    assert Partner.objects.get(pk=partner.pk).lao_province == bolikhamxay


def test_lao_provinces_are_the_eighteen_of_laos(db):
    assert LaoProvince.objects.count() == 18


def test_partner_names_are_unique_within_a_country(cast):
    factories.PartnerFactory(name="Đại sứ quán Lào", country="LA")

    assert refused_fields(cast, Partner(name="Đại sứ quán Lào", kind=Partner.Kind.EMBASSY, country="LA"))

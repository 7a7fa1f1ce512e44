"""The checks of Directive 38-CT/TW run on submission: each breach needs a reason, which is kept on the plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from delegations.checks import delegation_breaches
from delegations.models import CheckWarning, Delegation, DelegationMember
from delegations.services import delegation_submit
from tests.delegations.support import events_of

S = Delegation.Status
LEADER = DelegationMember.ManagementLevel.ASSOCIATION_LEADER


def codes(delegation):
    return [breach.code for breach in delegation_breaches(delegation)]


def test_a_plan_within_every_rule_breaks_none(delegation_factory):
    assert codes(delegation_factory()) == []


# --- caps: members, days, countries ----------------------------------------------------------


@pytest.mark.parametrize(("count", "expected"), [(10, []), (11, ["members"])])
def test_more_than_ten_members_is_a_breach(delegation_factory, count, expected):
    assert codes(delegation_factory(members=count)) == expected


def test_member_cap_follows_the_setting(settings, delegation_factory):
    settings.DELEGATION_MAX_MEMBERS = 3
    assert codes(delegation_factory(members=3)) == []
    assert codes(delegation_factory(members=4)) == ["members"]


@pytest.mark.parametrize(("days", "expected"), [(10, []), (11, ["days"])])
def test_more_than_ten_days_is_a_breach(delegation_factory, days, expected):
    start = datetime.date(2026, 5, 11)
    delegation = delegation_factory(start_date=start, end_date=start + datetime.timedelta(days=days - 1))

    assert codes(delegation) == expected


def test_day_cap_follows_the_setting(settings, delegation_factory):
    settings.DELEGATION_MAX_DAYS = 5
    start = datetime.date(2026, 5, 11)

    assert codes(delegation_factory(start_date=start, end_date=start + datetime.timedelta(days=4))) == []
    assert codes(delegation_factory(start_date=start, end_date=start + datetime.timedelta(days=5))) == ["days"]


@pytest.mark.parametrize(
    ("countries", "expected"), [(["LA", "TH", "KH"], []), (["LA", "TH", "KH", "MM"], ["countries"])]
)
def test_more_than_three_countries_is_a_breach(delegation_factory, countries, expected):
    assert codes(delegation_factory(countries=countries)) == expected


def test_country_cap_follows_the_setting(settings, delegation_factory):
    settings.DELEGATION_MAX_COUNTRIES = 1
    assert codes(delegation_factory(countries=["LA"])) == []
    assert codes(delegation_factory(countries=["LA", "TH"])) == ["countries"]


# --- a leader travels at most twice a year ---------------------------------------------------

NAME = "Trần Thị Hương"


def trip_with(delegation_factory, member_factory, *, name=NAME, level=LEADER, status=S.SUBMITTED, **values):
    delegation = delegation_factory(status=status, **values)
    member_factory(delegation=delegation, full_name=name, management_level=level)
    return delegation


def test_a_leaders_third_trip_of_the_year_is_a_breach(delegation_factory, member_factory):
    trip_with(delegation_factory, member_factory, status=S.APPROVED, start_date=datetime.date(2026, 2, 2))
    trip_with(delegation_factory, member_factory, status=S.RETURNED, start_date=datetime.date(2026, 3, 2))
    third = trip_with(delegation_factory, member_factory, status=S.DRAFT)

    [breach] = delegation_breaches(third)

    assert breach.code == "leader_trips"
    assert NAME in breach.message


def test_a_leaders_second_trip_of_the_year_is_allowed(delegation_factory, member_factory):
    trip_with(delegation_factory, member_factory, status=S.APPROVED)
    second = trip_with(delegation_factory, member_factory, status=S.DRAFT)

    assert codes(second) == []


@pytest.mark.parametrize(
    "level",
    [
        DelegationMember.ManagementLevel.PROVINCIAL_STANDING,
        DelegationMember.ManagementLevel.DEPARTMENT_LEADER,
        DelegationMember.ManagementLevel.ASSOCIATION_LEADER,
    ],
)
def test_every_leader_level_counts(delegation_factory, member_factory, level):
    for _ in range(2):
        trip_with(delegation_factory, member_factory, level=level)

    assert codes(trip_with(delegation_factory, member_factory, level=level, status=S.DRAFT)) == ["leader_trips"]


def test_members_who_are_not_leaders_travel_without_a_cap(delegation_factory, member_factory):
    official = DelegationMember.ManagementLevel.OFFICIAL
    for _ in range(3):
        trip_with(delegation_factory, member_factory, level=official)

    assert codes(trip_with(delegation_factory, member_factory, level=official, status=S.DRAFT)) == []


@pytest.mark.parametrize("status", [S.DRAFT, S.CANCELLED, S.REJECTED])
def test_drafts_and_trips_that_never_went_do_not_count(delegation_factory, member_factory, status):
    trip_with(delegation_factory, member_factory, status=S.APPROVED)
    trip_with(delegation_factory, member_factory, status=status)

    assert codes(trip_with(delegation_factory, member_factory, status=S.DRAFT)) == []


def test_trips_of_another_year_do_not_count(delegation_factory, member_factory):
    trip_with(delegation_factory, member_factory, status=S.CLOSED, start_date=datetime.date(2025, 11, 3))
    trip_with(delegation_factory, member_factory, status=S.APPROVED)

    assert codes(trip_with(delegation_factory, member_factory, status=S.DRAFT)) == []


def test_inbound_visits_do_not_count(delegation_factory, member_factory):
    for _ in range(2):
        trip_with(delegation_factory, member_factory, inbound=True, status=S.COMPLETED)

    assert codes(trip_with(delegation_factory, member_factory, status=S.DRAFT)) == []


def test_trips_of_other_associations_count(cast, delegation_factory, member_factory):
    trip_with(delegation_factory, member_factory, association=cast.russia)
    trip_with(delegation_factory, member_factory, association=cast.associations["poland"])

    assert codes(trip_with(delegation_factory, member_factory, status=S.DRAFT)) == ["leader_trips"]


def test_names_are_compared_ignoring_case_and_spaces(delegation_factory, member_factory):
    trip_with(delegation_factory, member_factory, name="TRẦN THỊ HƯƠNG")
    trip_with(delegation_factory, member_factory, name="  Trần   thị  Hương ")

    assert codes(trip_with(delegation_factory, member_factory, status=S.DRAFT)) == ["leader_trips"]


def test_leader_trip_cap_follows_the_setting(settings, delegation_factory, member_factory):
    settings.DELEGATION_MAX_LEADER_TRIPS_PER_YEAR = 1
    trip_with(delegation_factory, member_factory, status=S.APPROVED)

    assert codes(trip_with(delegation_factory, member_factory, status=S.DRAFT)) == ["leader_trips"]


# --- key leaders, the yearly plan, the classified-documents commitment -----------------------


def key_leader(member_factory, delegation, name, organization):
    return member_factory(
        delegation=delegation, full_name=name, organization=organization, is_key_leader=True, position="Phó Chủ tịch"
    )


def test_two_key_leaders_of_one_unit_on_one_trip_is_a_breach(delegation_factory, member_factory):
    delegation = delegation_factory()
    key_leader(member_factory, delegation, "Lê Văn Nam", "Sở Ngoại vụ Hà Tĩnh")
    key_leader(member_factory, delegation, "Phan Thị Lan", "  sở ngoại vụ  HÀ TĨNH")

    [breach] = delegation_breaches(delegation)

    assert breach.code == "key_leaders"
    assert "Lê Văn Nam" in breach.message and "Phan Thị Lan" in breach.message


def test_key_leaders_of_different_units_may_travel_together(delegation_factory, member_factory):
    delegation = delegation_factory()
    key_leader(member_factory, delegation, "Lê Văn Nam", "Sở Ngoại vụ Hà Tĩnh")
    key_leader(member_factory, delegation, "Phan Thị Lan", "Sở Giáo dục và Đào tạo Hà Tĩnh")

    assert codes(delegation) == []


def test_a_trip_outside_the_yearly_plan_is_flagged(delegation_factory):
    assert codes(delegation_factory(in_yearly_plan=False)) == ["outside_plan"]


def test_an_unsigned_classified_documents_commitment_is_flagged(delegation_factory):
    assert codes(delegation_factory(commits_no_classified_documents=False)) == ["classified"]


# --- submitting with breaches ----------------------------------------------------------------


@pytest.fixture
def risky_plan(delegation_factory):
    """A plan outside the yearly plan whose classified-documents commitment is not signed."""
    return delegation_factory(in_yearly_plan=False, commits_no_classified_documents=False)


REASONS = {
    "outside_plan": "Phía bạn mời đột xuất dự lễ kỷ niệm 50 năm.",
    "classified": "Cam kết đang trình ký, bổ sung trước ngày đi.",
}


@pytest.mark.parametrize(
    "acknowledgements",
    [
        pytest.param({}, id="no-reason"),
        pytest.param({"outside_plan": REASONS["outside_plan"]}, id="one-reason-of-two"),
        pytest.param({"outside_plan": REASONS["outside_plan"], "classified": "   "}, id="blank-reason"),
    ],
)
def test_submission_is_refused_until_each_breach_has_a_reason(cast, risky_plan, acknowledgements):
    with pytest.raises(ValidationError) as refused:
        delegation_submit(delegation_id=risky_plan.pk, actor=cast.staff, acknowledgements=acknowledgements)

    missing = [b.message for b in delegation_breaches(risky_plan) if not acknowledgements.get(b.code, "").strip()]
    assert len(refused.value.messages) == len(missing)
    assert all(message in text for message, text in zip(missing, refused.value.messages, strict=True))
    risky_plan.refresh_from_db()
    assert risky_plan.status == S.DRAFT
    assert events_of(risky_plan) == []
    assert not CheckWarning.objects.filter(delegation=risky_plan).exists()


def test_reasons_are_kept_as_warnings_on_the_plan(cast, risky_plan):
    delegation_submit(delegation_id=risky_plan.pk, actor=cast.staff, acknowledgements=REASONS)

    risky_plan.refresh_from_db()
    assert risky_plan.status == S.SUBMITTED
    warnings = {w.code: w for w in CheckWarning.objects.filter(delegation=risky_plan)}
    assert {code: w.reason for code, w in warnings.items()} == REASONS
    assert all(w.acknowledged_by == cast.staff and w.message for w in warnings.values())


def test_resubmission_replaces_the_warnings(cast, risky_plan):
    delegation_submit(delegation_id=risky_plan.pk, actor=cast.staff, acknowledgements=REASONS)
    Delegation.objects.filter(pk=risky_plan.pk).update(
        status=S.RETURNED_FOR_REVISION, commits_no_classified_documents=True
    )

    delegation_submit(
        delegation_id=risky_plan.pk, actor=cast.staff, acknowledgements={"outside_plan": "Lý do đã cập nhật."}
    )

    assert list(CheckWarning.objects.filter(delegation=risky_plan).values_list("code", "reason")) == [
        ("outside_plan", "Lý do đã cập nhật.")
    ]


def test_a_plan_without_breaches_is_submitted_without_warnings(cast, delegation_factory):
    delegation = delegation_factory()

    delegation_submit(delegation_id=delegation.pk, actor=cast.staff)

    assert not CheckWarning.objects.filter(delegation=delegation).exists()


@pytest.mark.parametrize("role", ["laos_leader", "province", "staff"])
def test_reasons_are_shown_on_the_detail_page(cast, login, risky_plan, role):
    delegation_submit(delegation_id=risky_plan.pk, actor=cast.staff, acknowledgements=REASONS)

    response = login(getattr(cast, role)).get(reverse("delegations:detail", args=[risky_plan.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    for reason in REASONS.values():
        assert reason in content


def test_submit_page_asks_a_reason_for_each_breach(cast, login, risky_plan):
    response = login(cast.staff).get(reverse("delegations:submit", args=[risky_plan.pk]))

    assert response.status_code == 200
    assert set(response.context["form"].fields) >= {"reason_outside_plan", "reason_classified"}


def test_submit_page_refuses_without_reasons_and_submits_with_them(cast, login, risky_plan):
    client = login(cast.staff)
    url = reverse("delegations:submit", args=[risky_plan.pk])

    refused = client.post(url, {"reason_outside_plan": REASONS["outside_plan"]})
    risky_plan.refresh_from_db()
    assert refused.status_code == 200
    assert risky_plan.status == S.DRAFT

    accepted = client.post(url, {f"reason_{code}": reason for code, reason in REASONS.items()})
    risky_plan.refresh_from_db()
    assert accepted.status_code == 302
    assert risky_plan.status == S.SUBMITTED
    assert CheckWarning.objects.filter(delegation=risky_plan).count() == 2

"""Every workflow step for every role: who may take it, from which states, and what it leaves behind.

Delegations belong to Việt Nam–Lào, so `laos_leader` leads them and `russia_leader` is the leader
of another association. A step that is refused raises, leaves the status as it was and writes no
event; a step taken writes exactly one event, and taking it again writes none.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from delegations.models import Delegation, TripReport
from delegations.services import (
    InvalidTransition,
    delegation_approve,
    delegation_cancel,
    delegation_close,
    delegation_endorse,
    delegation_reject,
    delegation_return_for_revision,
    delegation_submit,
    trip_report_submit,
)
from tests.clock import at
from tests.delegations.support import TODAY, events_of

pytestmark = pytest.mark.usefixtures("clock")

S = Delegation.Status
OUT, IN = Delegation.Direction.OUTBOUND, Delegation.Direction.INBOUND
STATES = {
    OUT: (S.DRAFT, S.SUBMITTED, S.RETURNED_FOR_REVISION, S.ENDORSED, S.APPROVED, S.ABROAD, S.RETURNED, S.REPORTED,
          S.CLOSED, S.REJECTED, S.CANCELLED),
    IN: (S.REGISTERED, S.APPROVED, S.HOSTING, S.COMPLETED, S.REPORTED, S.CLOSED, S.REJECTED, S.CANCELLED),
}  # fmt: skip
ROLES = ("staff", "laos_leader", "russia_leader", "province", "admin", "outsider")


@pytest.fixture
def cast(module_cast):
    """Made once for the module: its many cases only read the users (tests/conftest.py)."""
    return module_cast


class Step(NamedTuple):
    run: object  # run(delegation, actor)
    role: str  # the only role that may take it
    target: str
    sources: dict  # direction → states it may be taken from
    comment: str  # what the event records


STEPS = {
    "submit": Step(
        lambda d, actor: delegation_submit(delegation_id=d.pk, actor=actor, comment="Kính trình lãnh đạo Hội."),
        "staff", S.SUBMITTED, {OUT: (S.DRAFT, S.RETURNED_FOR_REVISION)}, "Kính trình lãnh đạo Hội.",
    ),
    "endorse": Step(
        lambda d, actor: delegation_endorse(delegation_id=d.pk, actor=actor, comment="Hội nhất trí."),
        "laos_leader", S.ENDORSED, {OUT: (S.SUBMITTED,)}, "Hội nhất trí.",
    ),
    "return": Step(
        lambda d, actor: delegation_return_for_revision(delegation_id=d.pk, actor=actor, comment="Bổ sung thư mời."),
        "laos_leader", S.RETURNED_FOR_REVISION, {OUT: (S.SUBMITTED,)}, "Bổ sung thư mời.",
    ),
    "approve": Step(
        lambda d, actor: delegation_approve(
            delegation_id=d.pk, actor=actor, decision_number="1234/QĐ-UBND", decision_date=TODAY, comment="Đồng ý."
        ),
        "province", S.APPROVED, {OUT: (S.ENDORSED,), IN: (S.REGISTERED,)}, "Đồng ý.",
    ),
    "reject": Step(
        lambda d, actor: delegation_reject(delegation_id=d.pk, actor=actor, comment="Không có trong kế hoạch năm."),
        "province", S.REJECTED, {OUT: (S.ENDORSED,), IN: (S.REGISTERED,)}, "Không có trong kế hoạch năm.",
    ),
    "cancel": Step(
        lambda d, actor: delegation_cancel(delegation_id=d.pk, actor=actor, comment="Phía bạn đề nghị lùi lịch."),
        "staff", S.CANCELLED,
        {OUT: (S.DRAFT, S.SUBMITTED, S.RETURNED_FOR_REVISION, S.ENDORSED, S.APPROVED), IN: (S.REGISTERED, S.APPROVED)},
        "Phía bạn đề nghị lùi lịch.",
    ),
    "close": Step(
        lambda d, actor: delegation_close(delegation_id=d.pk, actor=actor, comment="Đã nhận báo cáo."),
        "province", S.CLOSED, {OUT: (S.REPORTED,), IN: (S.REPORTED,)}, "Đã nhận báo cáo.",
    ),
    "report": Step(
        lambda d, actor: trip_report_submit(delegation_id=d.pk, actor=actor, results="Ký biên bản ghi nhớ hợp tác."),
        "staff", S.REPORTED, {OUT: (S.RETURNED,), IN: (S.COMPLETED,)}, "",
    ),
}  # fmt: skip


def allowed_cases():
    for name, step in STEPS.items():
        for direction, sources in step.sources.items():
            for source in sources:
                yield pytest.param(name, direction, source, id=f"{name}-{direction}-from-{source}")


def wrong_role_cases():
    for name, step in STEPS.items():
        direction, sources = next(iter(step.sources.items()))
        for role in ROLES:
            if role != step.role:
                yield pytest.param(name, role, direction, sources[0], id=f"{name}-by-{role}")


def wrong_state_cases():
    for name, step in STEPS.items():
        for direction, sources in step.sources.items():
            for state in STATES[direction]:
                if state not in sources and state != step.target:
                    yield pytest.param(name, direction, state, id=f"{name}-{direction}-from-{state}")


def make(delegation_factory, cast, direction, status):
    return delegation_factory(direction=direction, status=status, association=cast.laos)


def assert_untouched(delegation, status):
    delegation.refresh_from_db()
    assert delegation.status == status
    assert events_of(delegation) == []


@pytest.mark.parametrize(("name", "direction", "source"), list(allowed_cases()))
def test_step_moves_the_delegation_and_writes_one_event(cast, delegation_factory, name, direction, source):
    step = STEPS[name]
    delegation = make(delegation_factory, cast, direction, source)
    actor = getattr(cast, step.role)

    step.run(delegation, actor)

    delegation.refresh_from_db()
    assert delegation.status == step.target
    [event] = events_of(delegation)
    assert (event.actor, event.from_status, event.to_status, event.comment) == (
        actor,
        source,
        step.target,
        step.comment,
    )


@pytest.mark.parametrize(("name", "direction", "source"), list(allowed_cases()))
def test_repeating_a_step_writes_no_second_event(cast, delegation_factory, name, direction, source):
    step = STEPS[name]
    delegation = make(delegation_factory, cast, direction, source)
    actor = getattr(cast, step.role)
    step.run(delegation, actor)

    step.run(delegation, actor)

    delegation.refresh_from_db()
    assert delegation.status == step.target
    assert len(events_of(delegation)) == 1


@pytest.mark.parametrize(("name", "role", "direction", "source"), list(wrong_role_cases()))
def test_step_is_refused_to_other_roles(cast, delegation_factory, name, role, direction, source):
    delegation = make(delegation_factory, cast, direction, source)

    with pytest.raises(PermissionDenied):
        STEPS[name].run(delegation, getattr(cast, role))

    assert_untouched(delegation, source)


@pytest.mark.parametrize(("name", "direction", "state"), list(wrong_state_cases()))
def test_step_is_refused_from_other_states(cast, delegation_factory, name, direction, state):
    step = STEPS[name]
    delegation = make(delegation_factory, cast, direction, state)

    with pytest.raises(InvalidTransition):
        step.run(delegation, getattr(cast, step.role))

    assert_untouched(delegation, state)


@pytest.mark.parametrize("name", ["submit", "endorse", "return"])
def test_inbound_visit_has_no_submission_or_endorsement(cast, delegation_factory, name):
    step = STEPS[name]
    visit = delegation_factory(inbound=True, association=cast.laos)

    with pytest.raises(PermissionDenied):
        step.run(visit, getattr(cast, step.role))

    assert_untouched(visit, S.REGISTERED)


def test_leader_cannot_endorse_other_association(cast, delegation_factory):
    delegation = delegation_factory(association=cast.russia, status=S.SUBMITTED)

    with pytest.raises(PermissionDenied):
        delegation_endorse(delegation_id=delegation.pk, actor=cast.laos_leader)

    assert_untouched(delegation, S.SUBMITTED)


def test_leader_of_the_association_endorses_its_own_plan(cast, delegation_factory):
    delegation = delegation_factory(association=cast.russia, status=S.SUBMITTED)

    delegation_endorse(delegation_id=delegation.pk, actor=cast.russia_leader)

    delegation.refresh_from_db()
    assert delegation.status == S.ENDORSED


# --- what each step requires besides the role and the state ---------------------------------


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_return_for_revision_needs_a_comment(cast, delegation_factory, comment):
    delegation = delegation_factory(status=S.SUBMITTED)

    with pytest.raises(ValidationError):
        delegation_return_for_revision(delegation_id=delegation.pk, actor=cast.laos_leader, comment=comment)

    assert_untouched(delegation, S.SUBMITTED)


@pytest.mark.parametrize(
    ("number", "date", "field"),
    [
        pytest.param("", TODAY, "decision_number", id="no-number"),
        pytest.param("   ", TODAY, "decision_number", id="blank-number"),
        pytest.param("1234/QĐ-UBND", None, "decision_date", id="no-date"),
        pytest.param("1234/QĐ-UBND", TODAY + datetime.timedelta(days=1), "decision_date", id="date-in-the-future"),
    ],
)
def test_approval_needs_a_decision_number_and_a_date_not_in_the_future(cast, delegation_factory, number, date, field):
    delegation = delegation_factory(status=S.ENDORSED)

    with pytest.raises(ValidationError) as refused:
        delegation_approve(delegation_id=delegation.pk, actor=cast.province, decision_number=number, decision_date=date)

    assert field in refused.value.message_dict
    assert_untouched(delegation, S.ENDORSED)
    assert (delegation.decision_number, delegation.decision_date) == ("", None)


def test_approval_records_the_decision(cast, delegation_factory):
    delegation = delegation_factory(status=S.ENDORSED)
    decided_on = TODAY - datetime.timedelta(days=3)

    delegation_approve(
        delegation_id=delegation.pk, actor=cast.province, decision_number=" 1234/QĐ-UBND ", decision_date=decided_on
    )

    delegation.refresh_from_db()
    assert (delegation.decision_number, delegation.decision_date) == ("1234/QĐ-UBND", decided_on)


def test_inbound_visit_is_approved_from_registered(cast, delegation_factory):
    visit = delegation_factory(inbound=True, association=None)

    delegation_approve(delegation_id=visit.pk, actor=cast.province, decision_number="88/QĐ-UBND", decision_date=TODAY)

    visit.refresh_from_db()
    assert visit.status == S.APPROVED


@pytest.mark.parametrize(
    ("service", "status"),
    [
        pytest.param(delegation_reject, S.ENDORSED, id="reject"),
        pytest.param(delegation_cancel, S.APPROVED, id="cancel"),
    ],
)
@pytest.mark.parametrize("comment", ["", "  "])
def test_rejection_and_cancellation_need_a_reason(cast, delegation_factory, service, status, comment):
    delegation = delegation_factory(status=status)
    actor = cast.province if service is delegation_reject else cast.staff

    with pytest.raises(ValidationError):
        service(delegation_id=delegation.pk, actor=actor, comment=comment)

    assert_untouched(delegation, status)


def test_submission_needs_members(cast, delegation_factory):
    delegation = delegation_factory(members=0)

    with pytest.raises(ValidationError):
        delegation_submit(delegation_id=delegation.pk, actor=cast.staff)

    assert_untouched(delegation, S.DRAFT)


def test_submission_needs_a_head_of_delegation(cast, delegation_factory, member_factory):
    delegation = delegation_factory(members=0)
    member_factory.create_batch(2, delegation=delegation)

    with pytest.raises(ValidationError):
        delegation_submit(delegation_id=delegation.pk, actor=cast.staff)

    assert_untouched(delegation, S.DRAFT)


@pytest.mark.parametrize("results", ["", " \n "])
def test_trip_report_needs_results(cast, delegation_factory, results):
    delegation = delegation_factory(status=S.RETURNED)

    with pytest.raises(ValidationError):
        trip_report_submit(delegation_id=delegation.pk, actor=cast.staff, results=results)

    assert_untouched(delegation, S.RETURNED)
    assert not TripReport.objects.filter(delegation=delegation).exists()


def test_trip_report_keeps_what_staff_wrote(cast, delegation_factory):
    delegation = delegation_factory(status=S.RETURNED)

    trip_report_submit(
        delegation_id=delegation.pk,
        actor=cast.staff,
        results="  Ký biên bản ghi nhớ.  ",
        agreements="Trao đổi đoàn hằng năm.",
        follow_up="Mời đoàn bạn sang thăm Hà Tĩnh.",
        actual_expenses=Decimal("85000000"),
    )

    report = TripReport.objects.get(delegation=delegation)
    assert (report.results, report.agreements, report.follow_up) == (
        "Ký biên bản ghi nhớ.",
        "Trao đổi đoàn hằng năm.",
        "Mời đoàn bạn sang thăm Hà Tĩnh.",
    )
    assert report.actual_expenses == Decimal("85000000")
    assert report.submitted_by == cast.staff


def test_refiling_a_report_updates_it_without_a_new_event(cast, delegation_factory):
    delegation = delegation_factory(status=S.RETURNED)
    trip_report_submit(delegation_id=delegation.pk, actor=cast.staff, results="Bản đầu.")

    trip_report_submit(delegation_id=delegation.pk, actor=cast.staff, results="Bản đã chỉnh sửa.")

    assert TripReport.objects.get(delegation=delegation).results == "Bản đã chỉnh sửa."
    assert len(events_of(delegation)) == 1


def test_full_outbound_journey_leaves_one_event_per_step(cast, delegation_factory):
    delegation = delegation_factory()
    for name in ("submit", "return", "submit", "endorse", "approve"):
        STEPS[name].run(delegation, getattr(cast, STEPS[name].role))

    trail = [(event.from_status, event.to_status) for event in events_of(delegation)]

    assert trail == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.RETURNED_FOR_REVISION),
        (S.RETURNED_FOR_REVISION, S.SUBMITTED),
        (S.SUBMITTED, S.ENDORSED),
        (S.ENDORSED, S.APPROVED),
    ]


def test_decision_dated_today_in_ha_tinh_is_not_in_the_future(cast, delegation_factory, clock):
    delegation = delegation_factory(status=S.ENDORSED)
    today_in_ha_tinh = TODAY + datetime.timedelta(days=1)
    clock.move_to(at(today_in_ha_tinh, hour=0) + datetime.timedelta(minutes=30))  # still yesterday in UTC

    delegation_approve(
        delegation_id=delegation.pk, actor=cast.province, decision_number="5/QĐ-UBND", decision_date=today_in_ha_tinh
    )

    delegation.refresh_from_db()
    assert delegation.decision_date == today_in_ha_tinh

"""Every step of an aid record's life for every role and from every state, what each step requires,
and saving the record itself.

Union staff send to appraisal, start, complete and settle; the provincial office approves, rejects,
adjusts and revokes; leaders, outsiders and the administrator take no step. A refused step raises,
leaves the state as it was and writes no event; a step taken writes exactly one event, and taking
it again writes none, except an adjustment: each one is a new decision.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from aid_projects.models import AidEvent, AidProject, ProgressReport
from aid_projects.services import (
    InvalidTransition,
    aid_project_adjust,
    aid_project_approve,
    aid_project_complete,
    aid_project_reject,
    aid_project_revoke,
    aid_project_save,
    aid_project_send_to_appraisal,
    aid_project_settle,
    aid_project_start,
    revocable_from,
)
from tests.aid_projects.factories import (
    DECIDED_ON,
    STARTED_ON,
    TODAY,
    AidProjectFactory,
    DonorFactory,
    events_of,
    project_in,
    receive_reports,
)
from tests.clock import at

S = AidProject.Status
STATES = tuple(S)
ROLES = ("staff", "province", "laos_leader", "outsider", "admin")
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def cast(module_cast):
    """Made once for the module: its many cases only read the users (tests/conftest.py)."""
    return module_cast


class Step(NamedTuple):
    run: object  # run(project, actor)
    role: str  # the only role that may take it
    target: str
    sources: tuple  # the states it may be taken from
    comment: str  # what the event records


def adjusting_comment(number: str, date: datetime.date, comment: str) -> str:
    note = gettext("Adjusting decision %(number)s of %(date)s.") % {"number": number, "date": f"{date:%d/%m/%Y}"}
    return f"{note} {comment}"


STEPS = {
    "send_to_appraisal": Step(
        lambda p, actor: aid_project_send_to_appraisal(project_id=p.pk, actor=actor, comment="Hồ sơ đã đủ."),
        "staff", S.UNDER_APPRAISAL, (S.PROPOSED,), "Hồ sơ đã đủ.",
    ),
    "approve": Step(
        lambda p, actor: aid_project_approve(
            project_id=p.pk, actor=actor, decision_number="125/QĐ-UBND", decision_date=TODAY, comment="Đồng ý."
        ),
        "province", S.APPROVED, (S.UNDER_APPRAISAL,), "Đồng ý.",
    ),
    "reject": Step(
        lambda p, actor: aid_project_reject(project_id=p.pk, actor=actor, comment="Chưa đủ hồ sơ."),
        "province", S.REJECTED, (S.UNDER_APPRAISAL,), "Chưa đủ hồ sơ.",
    ),
    "start": Step(
        lambda p, actor: aid_project_start(project_id=p.pk, actor=actor, started_on=TODAY, comment="Khởi công."),
        "staff", S.IMPLEMENTING, (S.APPROVED,), "Khởi công.",
    ),
    "adjust": Step(
        lambda p, actor: aid_project_adjust(
            project_id=p.pk, actor=actor, decision_number="310/QĐ-UBND", decision_date=TODAY,
            comment="Gia hạn đến 30/06/2028.", planned_end=datetime.date(2028, 6, 30),
        ),
        "province", S.ADJUSTED, (S.IMPLEMENTING, S.ADJUSTED),
        adjusting_comment("310/QĐ-UBND", TODAY, "Gia hạn đến 30/06/2028."),
    ),
    "complete": Step(
        lambda p, actor: aid_project_complete(project_id=p.pk, actor=actor, ended_on=TODAY, comment="Bàn giao."),
        "staff", S.COMPLETED, (S.IMPLEMENTING, S.ADJUSTED), "Bàn giao.",
    ),
    "settle": Step(
        lambda p, actor: aid_project_settle(project_id=p.pk, actor=actor, comment="Đã quyết toán."),
        "staff", S.SETTLED, (S.COMPLETED,), "Đã quyết toán.",
    ),
    "revoke": Step(
        lambda p, actor: aid_project_revoke(project_id=p.pk, actor=actor, comment="Quá 6 tháng chưa triển khai."),
        "province", S.REVOKED, (S.APPROVED,), "Quá 6 tháng chưa triển khai.",
    ),
}  # fmt: skip


def allowed_cases():
    for name, step in STEPS.items():
        for source in step.sources:
            yield pytest.param(name, source, id=f"{name}-from-{source}")


def wrong_role_cases():
    # In the states the step may be taken from: the right is checked before the state, so a wrong
    # role is refused there as anywhere else.
    for name, step in STEPS.items():
        for role in ROLES:
            if role != step.role:
                for state in step.sources:
                    yield pytest.param(name, role, state, id=f"{name}-by-{role}-in-{state}")


def wrong_state_cases():
    for name, step in STEPS.items():
        for state in STATES:
            if state not in step.sources and state != step.target:
                yield pytest.param(name, state, id=f"{name}-from-{state}")


def make(status: str) -> AidProject:
    """Aid in `status`; a completed one has its completion report in, so that it may be settled."""
    project = project_in(status)
    if status == S.COMPLETED:
        receive_reports(project, ProgressReport.Kind.COMPLETION)
    return project


def assert_untouched(project, status, events: int):
    project.refresh_from_db()
    assert project.status == status
    assert len(events_of(project)) == events


# --- who may take each step, and from where ----------------------------------------------------


@pytest.mark.parametrize(("name", "source"), list(allowed_cases()))
def test_step_moves_the_aid_and_writes_one_event(cast, name, source):
    step = STEPS[name]
    project = make(source)
    before = len(events_of(project))
    actor = getattr(cast, step.role)

    step.run(project, actor)

    project.refresh_from_db()
    assert project.status == step.target
    events = events_of(project)
    assert len(events) == before + 1
    event = events[-1]
    assert (event.actor, event.from_status, event.to_status, event.comment) == (
        actor,
        source,
        step.target,
        step.comment,
    )


@pytest.mark.parametrize(("name", "source"), [case for case in allowed_cases() if case.values[0] != "adjust"])
def test_repeating_a_step_writes_no_second_event(cast, name, source):
    step = STEPS[name]
    project = make(source)
    actor = getattr(cast, step.role)
    step.run(project, actor)
    events = len(events_of(project))

    step.run(project, actor)

    assert_untouched(project, step.target, events)


def test_each_adjustment_is_a_new_decision_with_its_own_event(cast):
    project = project_in(S.IMPLEMENTING)
    before = len(events_of(project))

    STEPS["adjust"].run(project, cast.province)
    STEPS["adjust"].run(project, cast.province)

    project.refresh_from_db()
    assert project.status == S.ADJUSTED
    trail = [(event.from_status, event.to_status) for event in events_of(project)[before:]]
    assert trail == [(S.IMPLEMENTING, S.ADJUSTED), (S.ADJUSTED, S.ADJUSTED)]


@pytest.mark.parametrize(("name", "role", "state"), list(wrong_role_cases()))
def test_step_is_refused_to_other_roles(cast, name, role, state):
    project = make(state)
    events = len(events_of(project))

    with pytest.raises(PermissionDenied):
        STEPS[name].run(project, getattr(cast, role))

    assert_untouched(project, state, events)


@pytest.mark.parametrize(("name", "state"), list(wrong_state_cases()))
def test_step_is_refused_from_other_states(cast, name, state):
    step = STEPS[name]
    project = make(state)
    events = len(events_of(project))

    with pytest.raises(InvalidTransition) as refused:
        step.run(project, getattr(cast, step.role))

    assert (refused.value.current, refused.value.target) == (state, step.target)
    assert_untouched(project, state, events)


def test_full_journey_leaves_one_event_per_step(cast):
    project = project_in(S.SETTLED)

    trail = [(event.from_status, event.to_status, event.actor) for event in events_of(project)]

    assert trail == [
        ("", S.PROPOSED, cast.staff),
        (S.PROPOSED, S.UNDER_APPRAISAL, cast.staff),
        (S.UNDER_APPRAISAL, S.APPROVED, cast.province),
        (S.APPROVED, S.IMPLEMENTING, cast.staff),
        (S.IMPLEMENTING, S.COMPLETED, cast.staff),
        (S.COMPLETED, S.SETTLED, cast.staff),
    ]


# --- approval -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "date", "field"),
    [
        pytest.param("", TODAY, "decision_number", id="no-number"),
        pytest.param("   ", TODAY, "decision_number", id="blank-number"),
        pytest.param("125/QĐ-UBND", None, "decision_date", id="no-date"),
        pytest.param("125/QĐ-UBND", TOMORROW, "decision_date", id="date-in-the-future"),
    ],
)
def test_approval_needs_a_decision_number_and_a_date_not_in_the_future(cast, number, date, field):
    project = project_in(S.UNDER_APPRAISAL)
    events = len(events_of(project))

    with pytest.raises(ValidationError) as refused:
        aid_project_approve(project_id=project.pk, actor=cast.province, decision_number=number, decision_date=date)

    assert field in refused.value.message_dict
    assert_untouched(project, S.UNDER_APPRAISAL, events)
    assert (project.decision_number, project.decision_date) == ("", None)


def test_approval_records_the_decision_and_names_the_committee_when_no_body_is_given(cast):
    project = project_in(S.UNDER_APPRAISAL)

    aid_project_approve(
        project_id=project.pk, actor=cast.province, decision_number=" 125/QĐ-UBND ", decision_date=DECIDED_ON
    )

    project.refresh_from_db()
    assert (project.decision_number, project.decision_date) == ("125/QĐ-UBND", DECIDED_ON)
    assert project.decision_body == "Ủy ban nhân dân tỉnh Hà Tĩnh"


def test_approval_keeps_the_body_it_is_given(cast):
    project = project_in(S.UNDER_APPRAISAL)

    aid_project_approve(
        project_id=project.pk,
        actor=cast.province,
        decision_number="125/QĐ-UBND",
        decision_date=TODAY,
        decision_body=" Chủ tịch UBND tỉnh Hà Tĩnh ",
    )

    project.refresh_from_db()
    assert project.decision_body == "Chủ tịch UBND tỉnh Hà Tĩnh"


def test_decision_dated_today_in_ha_tinh_is_not_in_the_future(cast, clock):
    project = project_in(S.UNDER_APPRAISAL)
    clock.move_to(at(TOMORROW, hour=0) + datetime.timedelta(minutes=30))  # still TODAY in UTC

    aid_project_approve(project_id=project.pk, actor=cast.province, decision_number="5/QĐ-UBND", decision_date=TOMORROW)

    project.refresh_from_db()
    assert (project.status, project.decision_date) == (S.APPROVED, TOMORROW)


# --- the comment that rejection, revocation and adjustment require ------------------------------


@pytest.mark.parametrize("comment", ["", "   \n"])
@pytest.mark.parametrize(
    ("service", "status"),
    [
        pytest.param(aid_project_reject, S.UNDER_APPRAISAL, id="reject"),
        pytest.param(aid_project_revoke, S.APPROVED, id="revoke"),
    ],
)
def test_rejection_and_revocation_need_a_reason(cast, service, status, comment):
    project = project_in(status)
    events = len(events_of(project))

    with pytest.raises(ValidationError):
        service(project_id=project.pk, actor=cast.province, comment=comment)

    assert_untouched(project, status, events)


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_adjustment_needs_a_comment(cast, comment):
    project = project_in(S.IMPLEMENTING)
    events = len(events_of(project))

    with pytest.raises(ValidationError):
        aid_project_adjust(
            project_id=project.pk,
            actor=cast.province,
            decision_number="310/QĐ-UBND",
            decision_date=TODAY,
            comment=comment,
            planned_end=datetime.date(2028, 6, 30),
        )

    assert_untouched(project, S.IMPLEMENTING, events)
    assert project.planned_end == datetime.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("number", "date", "field"),
    [
        pytest.param("", TODAY, "decision_number", id="no-number"),
        pytest.param("310/QĐ-UBND", TOMORROW, "decision_date", id="date-in-the-future"),
    ],
)
def test_adjustment_needs_its_own_decision(cast, number, date, field):
    project = project_in(S.IMPLEMENTING)
    events = len(events_of(project))

    with pytest.raises(ValidationError) as refused:
        aid_project_adjust(
            project_id=project.pk, actor=cast.province, decision_number=number, decision_date=date, comment="Gia hạn."
        )

    assert field in refused.value.message_dict
    assert_untouched(project, S.IMPLEMENTING, events)


def test_adjustment_changes_the_end_and_the_value_and_recomputes_the_vnd_commitment(cast):
    project = project_in(S.IMPLEMENTING, currency="USD", commitment_amount=Decimal("85000"), exchange_rate=25400)

    aid_project_adjust(
        project_id=project.pk,
        actor=cast.province,
        decision_number="310/QĐ-UBND",
        decision_date=TODAY,
        comment="Bổ sung vốn và gia hạn.",
        planned_end=datetime.date(2027, 6, 30),
        commitment_amount=Decimal("100000.50"),
    )

    project.refresh_from_db()
    assert project.planned_end == datetime.date(2027, 6, 30)
    assert project.commitment_amount == Decimal("100000.50")
    assert project.commitment_vnd == Decimal("2540012700")  # 100,000.50 × 25,400
    # The approving decision stays on the record; the adjusting one is in the event.
    assert (project.decision_number, project.decision_date) == ("125/QĐ-UBND", DECIDED_ON)
    assert events_of(project)[-1].comment == adjusting_comment("310/QĐ-UBND", TODAY, "Bổ sung vốn và gia hạn.")


def test_adjustment_cannot_end_the_aid_before_it_started(cast):
    project = project_in(S.IMPLEMENTING, planned_start=datetime.date(2025, 1, 1), started_on=STARTED_ON)
    events = len(events_of(project))

    with pytest.raises(ValidationError):
        aid_project_adjust(
            project_id=project.pk,
            actor=cast.province,
            decision_number="310/QĐ-UBND",
            decision_date=TODAY,
            comment="Kết thúc sớm.",
            planned_end=STARTED_ON - datetime.timedelta(days=28),
        )

    assert_untouched(project, S.IMPLEMENTING, events)


# --- start, completion, settlement -----------------------------------------------------------------


def test_aid_cannot_start_before_it_was_approved(cast):
    project = project_in(S.APPROVED, decided_on=datetime.date(2026, 3, 10))
    events = len(events_of(project))

    with pytest.raises(ValidationError) as refused:
        aid_project_start(project_id=project.pk, actor=cast.staff, started_on=datetime.date(2026, 3, 9))

    assert "actual_start" in refused.value.message_dict
    assert_untouched(project, S.APPROVED, events)
    assert project.actual_start is None
    assert not project.reports.exists()


def test_aid_may_start_on_the_day_it_was_approved(cast):
    project = project_in(S.APPROVED, decided_on=datetime.date(2026, 3, 10))

    aid_project_start(project_id=project.pk, actor=cast.staff, started_on=datetime.date(2026, 3, 10))

    project.refresh_from_db()
    assert (project.status, project.actual_start) == (S.IMPLEMENTING, datetime.date(2026, 3, 10))


def test_start_cannot_be_recorded_in_advance(cast):
    project = project_in(S.APPROVED)
    events = len(events_of(project))

    with pytest.raises(ValidationError) as refused:
        aid_project_start(project_id=project.pk, actor=cast.staff, started_on=TOMORROW)

    assert "actual_start" in refused.value.message_dict
    assert_untouched(project, S.APPROVED, events)


def test_end_cannot_be_recorded_in_advance(cast):
    project = project_in(S.IMPLEMENTING)
    events = len(events_of(project))

    with pytest.raises(ValidationError) as refused:
        aid_project_complete(project_id=project.pk, actor=cast.staff, ended_on=TOMORROW)

    assert "actual_end" in refused.value.message_dict
    assert_untouched(project, S.IMPLEMENTING, events)


def test_start_needs_its_date(cast):
    project = project_in(S.APPROVED)
    events = len(events_of(project))

    with pytest.raises(ValidationError):
        aid_project_start(project_id=project.pk, actor=cast.staff, started_on=None)

    assert_untouched(project, S.APPROVED, events)


def test_completion_cannot_end_before_the_start(cast):
    project = project_in(S.IMPLEMENTING, started_on=STARTED_ON)
    events = len(events_of(project))

    with pytest.raises(ValidationError) as refused:
        aid_project_complete(project_id=project.pk, actor=cast.staff, ended_on=STARTED_ON - datetime.timedelta(days=1))

    assert "actual_end" in refused.value.message_dict
    assert_untouched(project, S.IMPLEMENTING, events)
    assert project.actual_end is None


def test_completion_records_the_end(cast):
    project = project_in(S.ADJUSTED)

    aid_project_complete(project_id=project.pk, actor=cast.staff, ended_on=datetime.date(2026, 4, 1))

    project.refresh_from_db()
    assert (project.status, project.actual_end) == (S.COMPLETED, datetime.date(2026, 4, 1))


def test_settlement_is_refused_while_the_completion_report_is_not_received(cast):
    project = project_in(S.COMPLETED)
    receive_reports(project, ProgressReport.Kind.SIX_MONTH, ProgressReport.Kind.YEARLY)
    events = len(events_of(project))

    with pytest.raises(ValidationError):
        aid_project_settle(project_id=project.pk, actor=cast.staff)

    assert_untouched(project, S.COMPLETED, events)


def test_settlement_follows_the_completion_report_even_with_periodic_reports_missing(cast):
    project = project_in(S.COMPLETED)
    receive_reports(project, ProgressReport.Kind.COMPLETION)

    aid_project_settle(project_id=project.pk, actor=cast.staff)

    project.refresh_from_db()
    assert project.status == S.SETTLED


# --- revocation -----------------------------------------------------------------------------------


def test_revocation_becomes_possible_six_months_after_the_decision_clamped_to_the_month_end(cast, clock):
    clock.move_to(at(datetime.date(2025, 9, 1)))
    project = project_in(S.APPROVED, decided_on=datetime.date(2025, 8, 31))
    assert revocable_from(project) == datetime.date(2026, 2, 28)
    events = len(events_of(project))

    clock.move_to(at(datetime.date(2026, 2, 27)))
    with pytest.raises(ValidationError):
        aid_project_revoke(project_id=project.pk, actor=cast.province, comment="Chưa triển khai.")
    assert_untouched(project, S.APPROVED, events)

    clock.move_to(at(datetime.date(2026, 2, 28)))
    aid_project_revoke(project_id=project.pk, actor=cast.province, comment="Chưa triển khai.")

    project.refresh_from_db()
    assert project.status == S.REVOKED


def test_revocation_waits_the_months_the_settings_name(cast, settings):
    settings.AID_NOT_STARTED_MONTHS = 3
    project = project_in(S.APPROVED, decided_on=datetime.date(2026, 1, 16))

    assert revocable_from(project) == datetime.date(2026, 4, 16)
    with pytest.raises(ValidationError):
        aid_project_revoke(project_id=project.pk, actor=cast.province, comment="Chưa triển khai.")


def test_revocable_from_is_unknown_without_a_decision():
    assert revocable_from(AidProjectFactory.build(decision_date=None)) is None


# --- saving the record itself -----------------------------------------------------------------


def new_project(**fields) -> AidProject:
    return AidProjectFactory.build(code="VT-2026-001", **fields)


def test_new_aid_is_proposed_with_an_event_by_its_author(cast):
    donor = DonorFactory()

    project = aid_project_save(actor=cast.staff, instance=new_project(status=S.APPROVED), donors=[donor])

    project.refresh_from_db()
    assert (project.status, project.created_by) == (S.PROPOSED, cast.staff)
    assert list(project.donors.all()) == [donor]
    [event] = events_of(project)
    assert (event.actor, event.from_status, event.to_status, event.comment) == (cast.staff, "", S.PROPOSED, "")


def test_commitment_in_vnd_is_the_amount_times_the_rate_rounded_to_the_dong(cast):
    instance = new_project(currency="USD", commitment_amount=Decimal("85000.50"), exchange_rate=Decimal("25415.25"))

    project = aid_project_save(actor=cast.staff, instance=instance, donors=[DonorFactory()])

    project.refresh_from_db()
    assert project.commitment_vnd == Decimal("2160308958")  # 85,000.50 × 25,415.25 = 2,160,308,957.625


def test_an_amount_in_vnd_has_the_rate_one_whatever_was_typed(cast):
    instance = new_project(currency="VND", commitment_amount=Decimal("750000000"), exchange_rate=Decimal("25400"))

    project = aid_project_save(actor=cast.staff, instance=instance, donors=[DonorFactory()])

    project.refresh_from_db()
    assert (project.exchange_rate, project.commitment_vnd) == (Decimal(1), Decimal("750000000"))


def test_editing_follows_a_new_rate_and_keeps_the_state(cast):
    project = project_in(S.APPROVED, currency="USD", commitment_amount=Decimal("10000"), exchange_rate=25000)
    project.exchange_rate = Decimal("26000")
    project.status = S.SETTLED  # the state is the services' business, never a form's

    aid_project_save(actor=cast.staff, instance=project)

    project.refresh_from_db()
    assert (project.status, project.commitment_vnd) == (S.APPROVED, Decimal("260000000"))
    assert project.donors.count() == 1  # donors not given: left as they were


@pytest.mark.parametrize("status", [S.PROPOSED, S.UNDER_APPRAISAL, S.APPROVED, S.IMPLEMENTING, S.ADJUSTED])
def test_aid_may_be_edited_until_it_is_completed(cast, status):
    project = project_in(status)
    project.title = "Nước sạch cho trường học vùng lũ"

    aid_project_save(actor=cast.staff, instance=project)

    project.refresh_from_db()
    assert (project.title, project.status) == ("Nước sạch cho trường học vùng lũ", status)


@pytest.mark.parametrize("status", [S.SETTLED, S.REVOKED, S.REJECTED])
def test_settled_revoked_or_rejected_aid_can_no_longer_be_edited(cast, status):
    project = project_in(status)
    title = project.title
    project.title = "Sửa sau khi đã kết thúc"

    with pytest.raises(ValidationError):
        aid_project_save(actor=cast.staff, instance=project, donors=[DonorFactory()])

    project.refresh_from_db()
    assert (project.title, project.status) == (title, status)


def test_new_aid_needs_at_least_one_donor(cast):
    with pytest.raises(ValidationError) as refused:
        aid_project_save(actor=cast.staff, instance=new_project(), donors=[])

    assert "donors" in refused.value.message_dict
    assert not AidProject.objects.exists()
    assert not AidEvent.objects.exists()


def test_new_aid_without_the_donors_named_at_all_is_refused(cast):
    with pytest.raises(ValidationError):
        aid_project_save(actor=cast.staff, instance=new_project())

    assert not AidProject.objects.exists()


def test_donors_given_as_a_generator_are_all_kept(cast):
    donors = [DonorFactory(), DonorFactory(overseas_vietnamese=True)]

    project = aid_project_save(actor=cast.staff, instance=new_project(), donors=(donor for donor in donors))

    assert set(project.donors.all()) == set(donors)


def test_an_edit_cannot_remove_every_donor(cast):
    project = project_in(S.PROPOSED)
    [donor] = project.donors.all()

    with pytest.raises(ValidationError):
        aid_project_save(actor=cast.staff, instance=project, donors=[])

    assert list(project.donors.all()) == [donor]


@pytest.mark.parametrize("role", ["province", "laos_leader", "outsider", "admin"])
def test_only_staff_keep_the_aid_records(cast, role):
    with pytest.raises(PermissionDenied):
        aid_project_save(actor=getattr(cast, role), instance=new_project(), donors=[DonorFactory()])

    assert not AidProject.objects.exists()

"""Rights come from roles, never from being a superuser, and one person never both prepares or
endorses a plan and decides on it. The trail says who acted in which role."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aid_projects.models import AidProject
from aid_projects.services import aid_project_approve, aid_project_send_to_appraisal
from delegations.models import Attachment, Delegation
from delegations.selectors import waiting_for
from delegations.services import delegation_approve, delegation_endorse, delegation_reject, delegation_submit
from friendship_portal.core.roles import Role
from tests import factories
from tests.aid_projects.factories import AidProjectFactory
from tests.delegations.support import TODAY, events_of

pytestmark = pytest.mark.usefixtures("clock")

S = Delegation.Status
DECIDED = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def root(db):
    """A superuser made with createsuperuser: administers, takes no step."""
    return factories.UserFactory(username="root", is_superuser=True, is_staff=True)


def test_a_superuser_cannot_approve_a_plan(root, delegation_factory, cast):
    delegation = delegation_factory(association=cast.laos, status=S.ENDORSED)

    with pytest.raises(PermissionDenied):
        delegation_approve(delegation_id=delegation.pk, actor=root, decision_number="1/QĐ", decision_date=DECIDED)

    delegation.refresh_from_db()
    assert delegation.status == S.ENDORSED
    assert events_of(delegation) == []


def test_a_superuser_cannot_endorse_nor_submit(root, delegation_factory, cast):
    submitted = delegation_factory(association=cast.laos, status=S.SUBMITTED)
    draft = delegation_factory(association=cast.laos)

    with pytest.raises(PermissionDenied):
        delegation_endorse(delegation_id=submitted.pk, actor=root)
    with pytest.raises(PermissionDenied):
        delegation_submit(delegation_id=draft.pk, actor=root)


def test_a_superuser_sees_no_buttons_and_waits_for_nothing(root, login, delegation_factory, cast):
    delegation = delegation_factory(association=cast.laos, status=S.ENDORSED)

    response = login(root).get(reverse("delegations:detail", args=[delegation.pk]))

    assert response.status_code == 200  # the administrator reads everything
    assert response.context["steps"] == []
    assert list(waiting_for(root)) == []


def test_a_superuser_cannot_open_a_classified_file(root, login, attachment_factory, delegation_factory, cast):
    attachment = attachment_factory(
        delegation=delegation_factory(association=cast.laos), original_name="mat.pdf", is_classified=True
    )

    response = login(root).get(reverse("delegations:attachment_download", args=[attachment.pk]))

    assert response.status_code == 403
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_the_demo_administrator_role_cannot_approve(cast, delegation_factory):
    delegation = delegation_factory(association=cast.laos, status=S.ENDORSED)

    with pytest.raises(PermissionDenied):
        delegation_approve(delegation_id=delegation.pk, actor=cast.admin, decision_number="1", decision_date=DECIDED)


@pytest.fixture
def leader_and_officer(cast):
    """A leader of Việt Nam–Lào who also works in the provincial office."""
    user = cast.laos_leader
    user.groups.add(Group.objects.get(name=Role.PROVINCIAL_OFFICE))
    return user


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_whoever_endorsed_a_plan_does_not_decide_on_it(leader_and_officer, cast, delegation_factory, decide):
    delegation = delegation_factory(association=cast.laos, status=S.SUBMITTED)
    delegation_endorse(delegation_id=delegation.pk, actor=leader_and_officer)

    with pytest.raises(PermissionDenied):
        if decide == "approve":
            delegation_approve(
                delegation_id=delegation.pk, actor=leader_and_officer, decision_number="1", decision_date=DECIDED
            )
        else:
            delegation_reject(delegation_id=delegation.pk, actor=leader_and_officer, comment="Không phù hợp")

    delegation.refresh_from_db()
    assert delegation.status == S.ENDORSED
    # Another officer decides.
    delegation_approve(delegation_id=delegation.pk, actor=cast.province, decision_number="1", decision_date=DECIDED)
    delegation.refresh_from_db()
    assert delegation.status == S.APPROVED


def test_whoever_endorsed_sees_no_decision_button(leader_and_officer, login, cast, delegation_factory):
    delegation = delegation_factory(association=cast.laos, status=S.SUBMITTED)
    delegation_endorse(delegation_id=delegation.pk, actor=leader_and_officer)

    detail = login(leader_and_officer).get(reverse("delegations:detail", args=[delegation.pk]))
    waiting = login(leader_and_officer).get(reverse("delegations:waiting"))

    assert {step.key for step in detail.context["steps"]} & {"approve", "reject"} == set()
    assert delegation in waiting.context["delegations"]  # the list still shows it, with no button to decide
    assert [steps for shown, steps in waiting.context["rows"] if shown == delegation] == [[]]


def test_whoever_submitted_a_plan_does_not_approve_it(cast, delegation_factory):
    staff_and_officer = cast.staff
    staff_and_officer.groups.add(Group.objects.get(name=Role.PROVINCIAL_OFFICE))
    delegation = delegation_factory(association=cast.laos)
    delegation_submit(delegation_id=delegation.pk, actor=staff_and_officer)
    delegation_endorse(delegation_id=delegation.pk, actor=cast.laos_leader)

    with pytest.raises(PermissionDenied):
        delegation_approve(
            delegation_id=delegation.pk, actor=staff_and_officer, decision_number="1", decision_date=DECIDED
        )


def test_the_trail_says_in_which_role_each_step_was_taken(cast, delegation_factory):
    delegation = delegation_factory(association=cast.laos)
    delegation_submit(delegation_id=delegation.pk, actor=cast.staff)
    delegation_endorse(delegation_id=delegation.pk, actor=cast.laos_leader)
    delegation_approve(delegation_id=delegation.pk, actor=cast.province, decision_number="1", decision_date=DECIDED)

    assert [(event.actor, event.actor_role) for event in events_of(delegation)] == [
        (cast.staff, Role.UNION_STAFF),
        (cast.laos_leader, Role.ASSOCIATION_LEADER),
        (cast.province, Role.PROVINCIAL_OFFICE),
    ]


def test_whoever_sent_aid_for_appraisal_does_not_approve_it(cast):
    staff_and_officer = cast.staff
    staff_and_officer.groups.add(Group.objects.get(name=Role.PROVINCIAL_OFFICE))
    project = AidProjectFactory(status=AidProject.Status.PROPOSED)
    aid_project_send_to_appraisal(project_id=project.pk, actor=staff_and_officer)

    with pytest.raises(PermissionDenied):
        aid_project_approve(
            project_id=project.pk, actor=staff_and_officer, decision_number="5/QĐ-UBND", decision_date=DECIDED
        )

    aid_project_approve(project_id=project.pk, actor=cast.province, decision_number="5/QĐ-UBND", decision_date=DECIDED)
    project.refresh_from_db()
    assert project.status == AidProject.Status.APPROVED
    assert project.events.last().actor_role == Role.PROVINCIAL_OFFICE


def test_a_second_officer_is_told_the_plan_was_already_decided(cast, delegation_factory, django_user_model):
    from django.core.exceptions import ValidationError

    second = factories.UserFactory(username="province.two", roles=[Role.PROVINCIAL_OFFICE])
    delegation = delegation_factory(association=cast.laos, status=S.ENDORSED)
    delegation_approve(
        delegation_id=delegation.pk, actor=cast.province, decision_number="12/QĐ-UBND", decision_date=DECIDED
    )

    with pytest.raises(ValidationError) as told:
        delegation_approve(
            delegation_id=delegation.pk, actor=second, decision_number="13/QĐ-UBND", decision_date=DECIDED
        )
    with pytest.raises(ValidationError):
        delegation_reject(delegation_id=delegation.pk, actor=second, comment="Không đồng ý")

    assert told.value.code == "already_decided"
    assert "12/QĐ-UBND" in told.value.messages[0]
    delegation.refresh_from_db()
    assert (delegation.status, delegation.decision_number) == (S.APPROVED, "12/QĐ-UBND")
    # The first officer's own repeated click changes nothing and is not an error.
    delegation_approve(
        delegation_id=delegation.pk, actor=cast.province, decision_number="12/QĐ-UBND", decision_date=DECIDED
    )
    assert len([e for e in events_of(delegation) if e.to_status == S.APPROVED]) == 1

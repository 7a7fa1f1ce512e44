"""After each step, whoever acts next is told (in the portal and by e-mail), once the step is committed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from delegations.models import Delegation
from delegations.services import delegation_approve, delegation_endorse, delegation_submit
from friendship_portal.core.models import Notification, OutboxMail
from tests.delegations.support import TODAY

pytestmark = pytest.mark.usefixtures("clock")

S = Delegation.Status


def told(delegation):
    url = reverse("delegations:detail", args=[delegation.pk])
    return set(Notification.objects.filter(url=url).values_list("user__username", flat=True))


def test_submission_tells_the_leader_of_the_association_only(
    cast, delegation_factory, django_capture_on_commit_callbacks, mailoutbox
):
    delegation = delegation_factory(association=cast.laos)

    with django_capture_on_commit_callbacks(execute=True):
        delegation_submit(delegation_id=delegation.pk, actor=cast.staff)

    assert told(delegation) == {cast.laos_leader.username}
    assert [mail.to for mail in mailoutbox] == [[cast.laos_leader.email]]


def test_endorsement_tells_the_provincial_office(cast, delegation_factory, django_capture_on_commit_callbacks):
    delegation = delegation_factory(status=S.SUBMITTED, association=cast.laos)

    with django_capture_on_commit_callbacks(execute=True):
        delegation_endorse(delegation_id=delegation.pk, actor=cast.laos_leader, comment="Hội nhất trí.")

    assert told(delegation) == {cast.province.username}
    assert "Hội nhất trí." in Notification.objects.get(user=cast.province).message


def test_approval_tells_union_staff(cast, delegation_factory, django_capture_on_commit_callbacks):
    delegation = delegation_factory(status=S.ENDORSED)

    with django_capture_on_commit_callbacks(execute=True):
        delegation_approve(
            delegation_id=delegation.pk, actor=cast.province, decision_number="12/QĐ-UBND", decision_date=TODAY
        )

    assert told(delegation) == {cast.staff.username}


def test_nothing_is_sent_before_the_step_is_committed(
    cast, delegation_factory, django_capture_on_commit_callbacks, mailoutbox
):
    delegation = delegation_factory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delegation_submit(delegation_id=delegation.pk, actor=cast.staff)

    # The notice and the mail are saved with the step (so neither is lost); the mail goes after the commit.
    assert len(callbacks) == 2  # send the outbox; the step's own effects
    assert mailoutbox == []
    assert list(OutboxMail.objects.values_list("to", "sent_at")) == [(cast.laos_leader.email, None)]


def test_a_step_rolled_back_leaves_no_notice_and_no_mail(cast, delegation_factory):
    delegation = delegation_factory()

    with pytest.raises(RuntimeError), transaction.atomic():
        delegation_submit(delegation_id=delegation.pk, actor=cast.staff)
        raise RuntimeError("the request failed after the step")

    assert not Notification.objects.exists()
    assert not OutboxMail.objects.exists()


def test_a_refused_step_tells_nobody(cast, delegation_factory, django_capture_on_commit_callbacks):
    delegation = delegation_factory(status=S.SUBMITTED, association=cast.laos)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(PermissionDenied):
        delegation_endorse(delegation_id=delegation.pk, actor=cast.russia_leader)

    assert callbacks == []
    assert not Notification.objects.exists()


def test_a_repeated_step_tells_nobody_again(cast, delegation_factory, django_capture_on_commit_callbacks):
    delegation = delegation_factory(status=S.SUBMITTED, association=cast.laos)
    with django_capture_on_commit_callbacks(execute=True):
        delegation_endorse(delegation_id=delegation.pk, actor=cast.laos_leader)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delegation_endorse(delegation_id=delegation.pk, actor=cast.laos_leader)

    assert callbacks == []
    assert Notification.objects.count() == 1

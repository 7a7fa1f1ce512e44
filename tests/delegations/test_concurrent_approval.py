"""Two provincial officers approving the same plan at the same moment approve it once, and the second
is told it was already decided, by whom and under which number (their own number is not silently dropped).

The row lock in the service is what makes this true, and only a database with row locks shows
it: the test runs on PostgreSQL (CI runs the suite there too) and is skipped on SQLite.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from delegations.models import Delegation, DelegationEvent
from delegations.services import delegation_approve
from tests.factories import UserFactory
from tests.race import at_once

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=f"needs PostgreSQL row locks (select_for_update) to race two approvals; this run uses {connection.vendor}",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_approving_at_once_approve_once(cast, delegation_factory):
    delegation = delegation_factory(status=Delegation.Status.ENDORSED, association=cast.laos)
    officers = [cast.province, UserFactory(username="province.two", roles=["provincial_office"])]

    def approve(officer):
        return lambda: delegation_approve(
            delegation_id=delegation.pk,
            actor=officer,
            decision_number=f"12{officer.pk}/QĐ-UBND",
            decision_date=timezone.localdate(),
        )

    errors = at_once([approve(officer) for officer in officers])

    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.APPROVED
    approvals = DelegationEvent.objects.filter(delegation=delegation, to_status=Delegation.Status.APPROVED)
    assert approvals.count() == 1
    assert approvals.get().actor.username in {officer.username for officer in officers}
    assert delegation.decision_number == f"12{approvals.get().actor.pk}/QĐ-UBND"
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError) and errors[0].code == "already_decided"
    assert delegation.decision_number in errors[0].messages[0]

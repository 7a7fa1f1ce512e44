"""record_delete: deleting a record under the rules, refused while other records refer to it."""

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import RestrictedError

from associations.models import Association, Branch, LeaderAccount, Member, Partner, PartnerContact
from friendship_portal.core.records import record_delete
from tests import factories


def test_staff_deletes_a_record_and_history_keeps_who(cast):
    branch = factories.BranchFactory(association=cast.russia)
    branch_id = branch.pk

    record_delete(actor=cast.staff, instance=branch)

    assert not Branch.objects.filter(pk=branch_id).exists()
    deleted = Branch.history.filter(id=branch_id, history_type="-").get()
    assert deleted.history_user == cast.staff


@pytest.mark.parametrize("role", ["laos_leader", "province", "admin", "outsider"])
def test_only_staff_may_delete(cast, role):
    branch = factories.BranchFactory(association=cast.laos)

    with pytest.raises(PermissionDenied):
        record_delete(actor=getattr(cast, role), instance=branch)

    assert Branch.objects.filter(pk=branch.pk).exists()
    assert not Branch.history.filter(id=branch.pk, history_type="-").exists()


def test_nobody_deletes_an_association(cast):
    with pytest.raises(PermissionDenied):
        record_delete(actor=cast.staff, instance=cast.laos)


def test_delete_is_blocked_while_members_refer_to_the_branch(cast):
    branch = factories.BranchFactory(association=cast.laos)
    factories.MemberFactory(association=cast.laos, branch=branch)

    with pytest.raises(ValidationError) as blocked:
        record_delete(actor=cast.staff, instance=branch)

    assert str(Member._meta.verbose_name_plural) in blocked.value.messages[0]
    assert Branch.objects.filter(pk=branch.pk).exists()
    assert not Branch.history.filter(id=branch.pk, history_type="-").exists()


def test_blocked_delete_names_every_kind_of_referring_record(cast, monkeypatch):
    """Were associations deletable, the protected rows would still stop the delete, all of them named."""
    monkeypatch.setitem(
        rules.permissions.permissions, "associations.delete_association", rules.is_group_member("union_staff")
    )
    factories.MemberFactory(association=cast.laos)
    factories.BranchFactory(association=cast.laos)

    with pytest.raises(ValidationError) as blocked:
        record_delete(actor=cast.staff, instance=cast.laos)

    message = blocked.value.messages[0]
    for model in (Member, Branch, LeaderAccount):
        assert str(model._meta.verbose_name_plural) in message
    assert Association.objects.filter(pk=cast.laos.pk).exists()


def test_restricted_rows_block_the_delete_with_the_same_clear_message(cast, monkeypatch):
    """record_delete promises the same message for on_delete=RESTRICT as for PROTECT."""
    branch = factories.BranchFactory(association=cast.laos)
    member = factories.MemberFactory(association=cast.laos, branch=branch)

    def refuse(self, *args, **kwargs):
        raise RestrictedError("restricted", {member})

    monkeypatch.setattr(Branch, "delete", refuse)

    with pytest.raises(ValidationError) as blocked:
        record_delete(actor=cast.staff, instance=branch)

    assert str(Member._meta.verbose_name_plural) in blocked.value.messages[0]


def test_deleting_a_partner_deletes_its_contacts(cast):
    partner = factories.PartnerFactory(association=cast.laos)
    partner_id = partner.pk
    factories.PartnerContactFactory(partner=partner)

    record_delete(actor=cast.staff, instance=partner)

    assert not Partner.objects.filter(pk=partner_id).exists()
    assert not PartnerContact.objects.filter(partner_id=partner_id).exists()

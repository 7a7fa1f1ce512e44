"""The history manager's class is built once per model's manager and queryset, not on every save."""

from unittest import mock

from django.db.models import Manager

from associations.models import Member
from tests import factories


def test_reading_history_twice_builds_its_manager_class_once(db):
    member = factories.MemberFactory()
    with mock.patch.object(Manager, "from_queryset", wraps=Manager.from_queryset) as built:
        first, second = type(member.history), type(Member.history)
        member.full_name = "Nguyễn Văn Hoà"
        member.save()
    assert first is second
    assert built.call_count == 0  # built when the first history was read, before this test's saves


def test_the_manager_still_reads_the_history_of_its_own_record(db):
    member, other = factories.MemberFactory(), factories.MemberFactory()
    member.full_name = "Trần Thị Lan"
    member.save()
    assert [row.full_name for row in member.history.order_by("history_id")][-1] == "Trần Thị Lan"
    assert member.history.count() == 2
    assert other.history.count() == 1
    assert Member.history.count() == 3

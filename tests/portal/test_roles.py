import pytest
from django.contrib.auth.models import Group

from friendship_portal.core.roles import (
    Role,
    is_administrator,
    is_association_leader,
    is_provincial_office,
    is_union_staff,
    reads_everything,
    role_labels,
)


@pytest.mark.django_db
def test_the_migration_creates_the_four_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.ALL)


@pytest.mark.django_db
def test_each_cast_member_holds_exactly_their_role(cast):
    predicates = [is_union_staff, is_association_leader, is_provincial_office, is_administrator]
    expected = {
        "staff": [True, False, False, False],
        "laos_leader": [False, True, False, False],
        "province": [False, False, True, False],
        "admin": [False, False, False, True],
        "outsider": [False, False, False, False],
    }
    for name, flags in expected.items():
        user = getattr(cast, name)
        assert [bool(predicate(user)) for predicate in predicates] == flags, name


@pytest.mark.django_db
def test_only_leaders_and_outsiders_are_scoped(cast):
    assert reads_everything(cast.staff) and reads_everything(cast.province) and reads_everything(cast.admin)
    assert not reads_everything(cast.laos_leader)
    assert not reads_everything(cast.outsider)


@pytest.mark.django_db
def test_a_superuser_counts_as_administrator(django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-Very-long-password-1")
    assert is_administrator(root)
    assert role_labels(root) == [str(Role.LABELS[Role.ADMINISTRATOR])]


@pytest.mark.django_db
def test_role_checks_are_cached_per_request(cast, django_assert_num_queries):
    user = type(cast.staff).objects.get(pk=cast.staff.pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            is_union_staff(user)
            is_provincial_office(user)
            is_association_leader(user)


@pytest.mark.django_db
def test_an_anonymous_visitor_holds_no_role_and_asks_nothing(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert not any(predicate(AnonymousUser()) for predicate in (is_union_staff, is_administrator, reads_everything))


@pytest.mark.django_db
def test_the_requests_lazy_user_reads_its_groups_once(cast, django_assert_num_queries):
    """A list page asks a role of each row's steps through the request's lazy user: one query in all."""
    from django.utils.functional import SimpleLazyObject

    user = SimpleLazyObject(lambda: type(cast.laos_leader).objects.get(pk=cast.laos_leader.pk))
    with django_assert_num_queries(2):  # the user, then its groups
        for _ in range(25):
            assert is_association_leader(user)
            assert not reads_everything(user)

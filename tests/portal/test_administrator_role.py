import pytest
from django.contrib.auth.models import Group

from friendship_portal.core.roles import Role


@pytest.mark.django_db
def test_administrator_role_manages_accounts_and_schedules():
    perms = set(Group.objects.get(name=Role.ADMINISTRATOR).permissions.values_list("codename", flat=True))
    assert {"add_user", "change_user", "change_group", "change_periodictask"} <= perms


@pytest.mark.django_db
def test_administrator_opens_user_admin(cast, client):
    client.force_login(cast.admin)
    assert client.get("/admin/auth/user/").status_code == 200


@pytest.mark.django_db
def test_staff_has_no_admin(cast, client):
    client.force_login(cast.staff)
    assert client.get("/admin/auth/user/").status_code == 302  # sent to the admin login

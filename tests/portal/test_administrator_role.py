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


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-9")


@pytest.mark.django_db
def test_administrator_cannot_make_themselves_superuser(cast, client):
    admin = cast.admin
    client.force_login(admin)
    page = client.get(f"/admin/auth/user/{admin.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()

    client.post(
        f"/admin/auth/user/{admin.pk}/change/",
        {
            "username": admin.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [group.pk for group in admin.groups.all()],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )

    admin.refresh_from_db()
    assert not admin.is_superuser


@pytest.mark.django_db
def test_administrator_cannot_change_or_delete_a_superuser(cast, client, superuser):
    client.force_login(cast.admin)
    page = client.get(f"/admin/auth/user/{superuser.pk}/change/")
    assert 'name="username"' not in page.content.decode()  # shown, read-only
    assert client.post(f"/admin/auth/user/{superuser.pk}/change/", {"username": "taken"}).status_code == 403
    assert client.post(f"/admin/auth/user/{superuser.pk}/delete/", {"post": "yes"}).status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.username == "root"


@pytest.mark.django_db
def test_a_superuser_may_make_a_superuser(client, superuser):
    client.force_login(superuser)
    assert 'name="is_superuser"' in client.get(f"/admin/auth/user/{superuser.pk}/change/").content.decode()


@pytest.mark.django_db
def test_the_administrator_adds_an_association_and_staff_does_not(cast):
    assert cast.admin.has_perm("associations.add_association")
    assert not cast.staff.has_perm("associations.add_association")
    assert not cast.laos_leader.has_perm("associations.add_association")

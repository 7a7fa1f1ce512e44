"""The shared cast of users every test can call on, and the factories as fixtures."""

from dataclasses import dataclass

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """The cast's passwords are hashed with a cheap hasher: the default one costs half a second a user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def password_alone_signs_in(settings):
    """Whatever DJANGO_DEBUG says, the cast logs in with a password; tests of two-step sign-in turn
    PORTAL_OTP_REQUIRED on themselves."""
    settings.PORTAL_OTP_REQUIRED = False


@pytest.fixture(autouse=True)
def tasks_run_in_process(request):
    """Side effects run in the test's own process and database, even when CI names a real broker.

    A test that means to go through the broker and a worker is marked `real_broker`.
    """
    from friendship_portal.celery import app

    if request.node.get_closest_marker("real_broker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@dataclass
class Cast:
    staff: object
    province: object
    admin: object
    outsider: object
    laos_leader: object
    russia_leader: object
    leaders: dict
    laos: object
    russia: object
    associations: dict


@pytest.fixture
def cast(db) -> Cast:
    associations = {
        code: factories.association(code) for code in ("laos", "russia", "thailand", "czech_slovakia", "poland")
    }
    leaders = {
        code: factories.LeaderAccountFactory(user__username=f"leader.{code}", association=association).user
        for code, association in associations.items()
    }
    return Cast(
        staff=factories.UserFactory(username="staff", roles=["union_staff"]),
        province=factories.UserFactory(username="province", roles=["provincial_office"]),
        admin=factories.UserFactory(username="administrator", roles=["administrator"], is_staff=True),
        outsider=factories.UserFactory(username="outsider"),
        laos_leader=leaders["laos"],
        russia_leader=leaders["russia"],
        leaders=leaders,
        laos=associations["laos"],
        russia=associations["russia"],
        associations=associations,
    )


@pytest.fixture
def login(client):
    """Log the test client in as a user: `login(cast.staff)`."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in

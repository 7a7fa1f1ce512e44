"""What every test can call on: the shared cast of users (built once per module where a module asks
for it), a stopped clock, uploaded and generated files kept in the test's own folder; and what keeps
the suite quick: cheap settings, the migrated test database kept between runs."""

import copy
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.template import Template
from django.test import override_settings
from django.test.signals import template_rendered
from django.utils import translation

from tests import database, factories
from tests.clock import at


@pytest.fixture(autouse=True, scope="session")
def fast_test_settings():
    """Settings that only make the tests cheaper, for the whole session.

    - The cast's passwords are hashed with a cheap hasher: the default one costs half a second a user.
    - WhiteNoise looks static files up when they are asked for instead of listing every one of them
      each time a middleware chain is built, which the test client does for every test (a quarter of
      a page test's time went there).
    """
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        WHITENOISE_AUTOREFRESH=True,
    ):
        yield


# Templates the test client need not record: a form's widgets and crispy's field layouts. A form with a
# country list renders its option template hundreds of times, and recording each one (a signal and a
# copy of the context) cost a quarter of such a page's time in the tests.
UNRECORDED_TEMPLATES = ("django/forms/", "bootstrap5/", "django_countries/")


def _render_recording_pages_only(template, context):
    name = getattr(template.origin, "template_name", None) or ""
    if not name.startswith(UNRECORDED_TEMPLATES):
        template_rendered.send(sender=template, template=template, context=context)
    return template.nodelist.render(context)


@pytest.fixture(autouse=True, scope="session")
def pages_recorded_without_their_widgets(django_test_environment):
    """`response.context` and `response.templates` keep every page and include template; the widgets
    a form draws are rendered without being recorded."""
    Template._render = _render_recording_pages_only
    yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL, the test database's commits do not wait for the disk (`synchronous_commit=off`):
    the suite commits thousands of times (every transactional test, its flush, the browser tests) and
    a test database need not outlive a crash. Nothing else about the connection changes."""
    from django.db import connections

    for alias in connections:
        database = connections[alias].settings_dict
        if database["ENGINE"] == "django.db.backends.postgresql":
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def migrated_database_kept(django_db_use_migrations):
    """The test database is loaded from a migrated copy kept between runs (tests/database.py): a file for
    the in-memory SQLite database, a template database on PostgreSQL; a transactional test's database is
    emptied and filled again the quick way."""
    if not django_db_use_migrations:
        yield
        return
    with database.copies_kept(), database.quick_flush_and_reload():
        yield


@pytest.fixture(scope="session")
def django_db_setup(migrated_database_kept, django_db_setup):
    """pytest-django's, once `migrated_database_kept` is in place."""
    return django_db_setup


@pytest.fixture(autouse=True)
def language_of_the_portal():
    """Each test starts in the portal's language: a request with the English cookie leaves English active
    in the thread (as every request leaves its own), which a later test's services would speak."""
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files land in the test's own folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clock(clock_day):
    """Stop the clock on `clock_day` at 09:00 in Hà Tĩnh; `clock.move_to(at(day))` or `clock.shift(seconds)`
    moves it. Each app's tests name the day with a `clock_day` fixture (tests/<app>/conftest.py)."""
    with time_machine.travel(at(clock_day), tick=False) as traveller:
        yield traveller


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


def build_cast() -> Cast:
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
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture(scope="module")
def cast_of_the_module(django_db_setup, django_db_blocker):
    """The cast made once for a whole module, for modules of many cases that only read the users (the
    permission matrices): such a module overrides `cast` with `module_cast`.

    The users are written in a transaction held open around the module: each test runs inside it in
    its own savepoint, rolled back after the test as usual, and the cast is rolled back after the module.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_cast()
        transaction.set_rollback(True)


@pytest.fixture
def module_cast(cast_of_the_module, db) -> Cast:
    """The module's cast, copied for each test (as Django's setUpTestData does) so that what one test
    does to the objects in memory is not seen by the next."""
    return copy.deepcopy(cast_of_the_module)


@pytest.fixture
def login(client):
    """Log the test client in as a user: `login(cast.staff)`."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in

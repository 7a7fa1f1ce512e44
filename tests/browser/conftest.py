"""Browser tests: Playwright's sync API drives the Debian Chromium against pytest-django's live server.

- One Chromium per session (`browser`), a fresh context per test (`page`, `phone_page`).
- Every test in tests/browser is marked `browser`.
- Without /usr/bin/chromium the browser tests are skipped with a loud banner in the summary;
  with CI=true they fail instead (CI always runs them). `scripts/ensure-chromium.sh` installs it.
- `demo_accounts` makes the demo accounts (those `seed_demo` makes, built with tests/factories.py),
  not the whole demo, which takes seconds: a test that reads other records makes them in its own
  module, with the factories. `log_in(page, "staff")` goes through the real form.
"""

import os
from pathlib import Path

import pytest

# The sync Playwright API runs an event loop in the test thread; Django's async-safety check would
# then refuse the test's own ORM calls (the live server runs in its own thread and is unaffected).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
IN_CI = os.environ.get("CI", "").strip().lower() == "true"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 800}
DEFAULT_TIMEOUT_MS = 10_000

# The demo accounts (seed_demo creates the same ones); the value is (roles, association led).
DEMO_ACCOUNTS = {
    "staff": (["union_staff"], None),
    "leader.laos": (["association_leader"], "laos"),
    "leader.russia": (["association_leader"], "russia"),
    "province": (["provincial_office"], None),
    "admin": (["administrator"], None),
}

BROWSER_DIR = Path(__file__).resolve().parent
_skipped_browser_tests = 0


def chromium_missing_reason() -> str | None:
    if CHROMIUM.exists():
        return None
    return (
        f"Chromium is not installed at {CHROMIUM}; install it with "
        "`apt-get update && apt-get install -y chromium` (or run scripts/ensure-chromium.sh as root)"
    )


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser `browser`; skip them all when Chromium is missing."""
    global _skipped_browser_tests
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
    reason = chromium_missing_reason()
    if reason is None or IN_CI:  # in CI the `browser` fixture fails them instead
        return
    skip = pytest.mark.skip(reason=f"browser test skipped: {reason}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)
            _skipped_browser_tests += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _skipped_browser_tests:
        return
    reporter = terminalreporter
    reporter.write_line("")
    reporter.write_sep("#", "BROWSER TESTS SKIPPED", red=True, bold=True)
    reporter.write_line(
        f"{_skipped_browser_tests} browser test(s) were SKIPPED: {chromium_missing_reason()}.",
        red=True,
        bold=True,
    )
    reporter.write_line("The layout, navigation and language checks in tests/browser did NOT run.", red=True)
    reporter.write_line("Install Chromium (as root):  apt-get update && apt-get install -y chromium", red=True)
    reporter.write_line("Never `playwright install`: the tests drive the Debian /usr/bin/chromium.", red=True)
    reporter.write_sep("#", red=True, bold=True)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    reason = chromium_missing_reason()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    sync_connections = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    # Playwright's event loop now counts as running in this thread, and Django keeps its connections
    # in a thread-critical asgiref Local, which then switches to context-variable storage: without
    # this the tests would get fresh connection objects, lacking the serialized copy of the test
    # database that `django_db_serialized_rollback` restores (the five associations, the roles).
    for alias, connection in sync_connections.items():
        connections[alias] = connection
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def demo_accounts(live_server, transactional_db, django_db_serialized_rollback, settings):
    """The demo accounts, all with the password settings.PORTAL_DEMO_PASSWORD (hashed cheaply: see
    tests/conftest.py).

    live_server needs transactional_db, which flushes the database after each test; the serialized
    rollback restores what the migrations created (roles, the five associations) before the next.
    Returns {username: User}.
    """
    from django.contrib.auth import get_user_model

    _build_demo_accounts(settings.PORTAL_DEMO_PASSWORD)
    users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_ACCOUNTS)}
    missing = set(DEMO_ACCOUNTS) - set(users)
    assert not missing, f"the demo data lacks the accounts {sorted(missing)}"
    return users


def _build_demo_accounts(password: str) -> None:
    from tests import factories

    for username, (roles, association_code) in DEMO_ACCOUNTS.items():
        extra = {"is_staff": True} if username == "admin" else {}
        user = factories.UserFactory(
            # UserFactory.password is a factory.django.Password transformer: a plain value is hashed too.
            username=username,
            roles=roles,
            password=password,
            **extra,
        )
        if association_code:
            factories.LeaderAccountFactory(user=user, association=factories.association(association_code))


def _new_page(browser, base_url: str, viewport: dict):
    # The users' browsers are Vietnamese. Note: LocaleMiddleware honours Accept-Language, so a browser
    # left in English (Chromium's default "en-US") gets the English interface on its first visit.
    context = browser.new_context(viewport=viewport, base_url=base_url, locale="vi-VN")
    _watch_content_policy(context)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def new_page(browser, live_server, demo_accounts):
    """Open more pages, each in its own fresh context: `new_page()` (1280×800) or `new_page(PHONE)`."""
    contexts = []

    def open_page(viewport: dict = DESKTOP):
        context, opened = _new_page(browser, live_server.url, viewport)
        contexts.append(context)
        return opened

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page (1280×800) in a fresh browser context; `page.goto("/")` opens the live server."""
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (375×800) in a fresh browser context."""
    return new_page(PHONE)


@pytest.fixture
def log_in(demo_accounts, settings):
    """Log in through the real form: `log_in(page, "staff")`; lands on the home page."""
    from playwright.sync_api import expect

    def log_in_as(page, username: str, password: str | None = None):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password or settings.PORTAL_DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("[data-testid=login]")
        if page.locator("[data-testid=login]").count():
            errors = page.locator(".alert-danger").all_inner_texts()
            raise AssertionError(f"logging in as {username!r} failed: {errors or page.url}")
        expect(page.locator("[data-testid=main-nav]")).to_be_attached()
        return page

    return log_in_as


# The content policy: a test fails when the browser blocked anything on its pages ("Refused to run the
# inline script because it violates the following Content Security Policy directive…").
_content_policy_violations: list[str] = []


def _is_content_policy_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Refused to" in text


def _watch_content_policy(context) -> None:
    def on_console(message):
        if _is_content_policy_violation(message.text):
            _content_policy_violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    def on_error(error):
        text = str(error.error)
        if _is_content_policy_violation(text):
            _content_policy_violations.append(f"{error.page.url if error.page else ''}: {text}")

    context.on("console", on_console)
    context.on("weberror", on_error)


@pytest.fixture(autouse=True)
def no_content_policy_violation(request):
    """Fail a browser test, at teardown, when a page it opened broke the content policy."""
    _content_policy_violations.clear()
    yield
    if request.node.get_closest_marker("browser") and _content_policy_violations:
        found = "\n".join(dict.fromkeys(_content_policy_violations))
        _content_policy_violations.clear()
        pytest.fail(f"the content policy blocked something:\n{found}", pytrace=False)

"""A link a user may not follow is not shown to them: from the home page, every page a role reaches
by links (two clicks deep, each path once: a list's filters and pages ask the same right) is opened
as that role, and none answers 403."""

import re
from collections import deque

import pytest

from tests.portal.test_hostile_query_strings import build_world, module_media  # noqa: F401

SKIPPED = ("/static/", "/media/", "/accounts/logout/", "/i18n/", "/admin/", "/csp-report/")
LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
MOST = 400  # addresses a role may open in one walk


@pytest.fixture
def cast(module_cast):
    return module_cast


@pytest.fixture
def media_root(module_media):  # noqa: F811
    """The world's files are in the module's folder (tests/conftest.py gives each test its own)."""
    return module_media


@pytest.fixture(scope="module")
def world(module_media, cast_of_the_module, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        return build_world(cast_of_the_module)


def links_of(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in LINK.findall(html) if not link.startswith(SKIPPED)]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "laos_leader", "russia_leader", "province", "admin"])
def test_no_link_a_role_is_shown_leads_to_a_refusal(client, cast, world, who):
    client.force_login(getattr(cast, who))
    seen, refused = {"/"}, []
    queue = deque([("/", "/", 0)])
    while queue and len(seen) < MOST:
        address, source, depth = queue.popleft()
        response = client.get(address)
        if response.status_code == 403:
            refused.append(f"{address} (linked from {source})")
            continue
        if depth >= 2 or response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(response.content.decode()):
            path = link.split("?", 1)[0]
            if path not in seen:
                seen.add(path)
                queue.append((link, address, depth + 1))
    assert refused == []

"""Every page but the login page, the language switch, /healthz and the policy reports asks who you are first."""

import pytest

from tests.urlmap import routes

OPEN = {"/accounts/login/", "/healthz", "/i18n/setlang/", "/admin/login/", "/csp-report/"}


def concrete(route: str) -> str:
    for converter in ("<int:pk>", "<int:object_id>", "<path:object_id>", "<int:id>"):
        route = route.replace(converter, "1")
    return "/" + route.lstrip("^").rstrip("$").replace("\\", "")


def portal_routes():
    for route, _name, _pattern in routes():
        if route.startswith("admin/") or "<" in concrete(route) or "(?P" in route:
            continue
        yield concrete(route)


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(set(portal_routes()) - OPEN))
def test_anonymous_visitor_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_walk_finds_the_association_pages():
    routes = set(portal_routes())
    assert {"/associations/", "/associations/members/", "/associations/members/1/edit/", "/"} <= routes


@pytest.mark.django_db
def test_admin_asks_for_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_login_page_is_open(client):
    assert client.get("/accounts/login/").status_code == 200

"""The content policy: every page says where scripts, styles and images may come from, and no page
needs an inline script, style or event handler; what a browser blocks is logged."""

import json
import logging
import re

import pytest

from tests.portal.test_login_required import portal_routes

DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "report-uri /csp-report/",
]

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    found = []
    for name, pattern in [
        ("inline script", INLINE_SCRIPT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("style element", STYLE_ELEMENT),
        ("event attribute", EVENT_ATTRIBUTE),
    ]:
        found += [f"{name}: {match.group(0)[:120]}" for match in pattern.finditer(html)]
    return found


def test_the_inline_code_check_finds_what_the_policy_blocks():
    assert inline_code('<script>alert(1)</script><p style="color: red" onclick="x()">') == [
        "inline script: <script>",
        "style attribute: <p style=",
        'event attribute: <p style="color: red" onclick=',
    ]
    assert (
        inline_code('<script src="/static/x.js" defer></script><script id="d" type="application/json">{}</script>')
        == []
    )
    assert inline_code('<div data-style="x" data-onclick="y" class="one">') == []


@pytest.mark.django_db
def test_a_page_carries_the_content_policy_and_the_permissions_policy(client, cast, login):
    login(cast.staff)
    response = client.get("/")
    assert response.status_code == 200
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    for directive in DIRECTIVES:
        assert directive in policy
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


@pytest.mark.django_db
def test_the_login_page_carries_the_policies_too(client):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_a_violation_report_is_logged_and_answered_with_no_content(client, caplog):
    report = {"csp-report": {"document-uri": "http://portal/dashboard/", "violated-directive": "script-src-elem"}}
    with caplog.at_level(logging.WARNING, logger="friendship_portal.csp"):
        response = client.post("/csp-report/", json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    [record] = [record for record in caplog.records if record.name == "friendship_portal.csp"]
    assert "script-src-elem" in record.getMessage()
    assert "http://portal/dashboard/" in record.getMessage()


@pytest.mark.django_db
def test_a_violation_report_needs_no_login_and_no_csrf_token(cast, caplog):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="friendship_portal.csp"):
        response = client.post("/csp-report/", "{}", content_type="application/json")
    assert response.status_code == 204


@pytest.mark.django_db
def test_an_oversized_report_is_refused_unread(client, caplog):
    body = json.dumps({"csp-report": {"script-sample": "x" * 20_000}})
    with caplog.at_level(logging.WARNING, logger="friendship_portal.csp"):
        response = client.post("/csp-report/", body, content_type="application/csp-report")
    assert response.status_code == 413
    assert not [record for record in caplog.records if record.name == "friendship_portal.csp"]


@pytest.mark.django_db
def test_a_report_that_is_not_json_is_refused(client):
    assert client.post("/csp-report/", "not json", content_type="application/csp-report").status_code == 400
    assert client.get("/csp-report/").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(set(portal_routes())))
def test_no_page_needs_inline_script_or_style(client, cast, login, url):
    login(cast.staff)
    response = client.get(url, follow=True)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        pytest.skip(f"{url} renders no page for a GET ({response.status_code})")
    assert inline_code(response.content.decode()) == []

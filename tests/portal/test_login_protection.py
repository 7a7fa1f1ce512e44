"""Wrong passwords lock a username from an address for a while; idle sessions end; the provincial
office's and the administrators' sessions end with the browser."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client

from tests.factories import PASSWORD

LOCKED = "Tài khoản tạm khóa"
START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def log_in(client, username, password, url="/accounts/login/", **headers):
    return client.post(url, {"username": username, "password": password}, **headers)


def fail_five_times(client, username, url="/accounts/login/", **headers):
    return [log_in(client, username, "wrong-password", url, **headers) for _ in range(5)]


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(("url", "who"), [("/accounts/login/", "staff"), ("/admin/login/", "admin")])
def test_five_wrong_passwords_lock_the_account_with_a_vietnamese_message(client, cast, url, who):
    username = getattr(cast, who).username

    attempts = fail_five_times(client, username, url)
    response = log_in(client, username, PASSWORD, url)

    assert [attempt.status_code for attempt in attempts[:4]] == [200] * 4
    assert attempts[4].status_code == 429  # the fifth failure already says so
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html and "15 phút" in html
    assert 'data-testid="lockout"' in html and 'name="password"' in html  # the login page, not a bare 403
    assert not logged_in(client)


def test_four_wrong_passwords_do_not_lock(client, cast):
    for _ in range(4):
        log_in(client, "staff", "wrong-password")

    assert log_in(client, "staff", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_lock_ends_after_fifteen_minutes(client, cast, clock):
    fail_five_times(client, "staff")

    clock.shift(datetime.timedelta(minutes=14))
    assert log_in(client, "staff", PASSWORD).status_code == 429

    clock.shift(datetime.timedelta(minutes=2))
    assert log_in(client, "staff", PASSWORD).status_code == 302
    assert logged_in(client)


def test_trying_while_locked_does_not_extend_the_lock(client, cast, clock):
    fail_five_times(client, "staff")
    clock.shift(datetime.timedelta(minutes=10))
    log_in(client, "staff", "wrong-password")

    clock.shift(datetime.timedelta(minutes=6))

    assert log_in(client, "staff", PASSWORD).status_code == 302


def test_another_username_from_the_same_address_is_not_locked(client, cast):
    fail_five_times(client, "staff")

    assert log_in(client, "province", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_administrator_sees_the_lock_in_admin_and_lifts_it(client, cast):
    fail_five_times(client, "province")
    administrator = Client()
    administrator.force_login(cast.admin)

    listing = administrator.get("/admin/axes/accessattempt/?locked_out=yes")
    assert listing.status_code == 200
    assert "province" in listing.content.decode()
    assert administrator.get("/admin/axes/accessfailurelog/").status_code == 200
    lock = AccessAttempt.objects.get(username="province")
    deleted = administrator.post(f"/admin/axes/accessattempt/{lock.pk}/delete/", {"post": "yes"})

    assert deleted.status_code == 302
    assert not AccessAttempt.objects.filter(username="province").exists()
    assert log_in(client, "province", PASSWORD).status_code == 302
    assert logged_in(client)


def test_behind_the_proxy_the_forwarded_address_is_the_one_locked(client, cast, settings):
    settings.PORTAL_BEHIND_PROXY = True
    fail_five_times(client, "staff", HTTP_X_FORWARDED_FOR="203.0.113.7")

    # A client cannot pick its address by sending the header itself: the proxy appends the real one.
    assert log_in(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.7").status_code == 429
    assert log_in(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_without_the_proxy_the_forwarded_header_is_ignored(client, cast, settings):
    settings.PORTAL_BEHIND_PROXY = False
    fail_five_times(client, "staff", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert log_in(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 429


def test_a_request_after_31_idle_minutes_is_sent_to_login(login, cast, clock):
    client = login(cast.staff)
    assert client.get("/").status_code == 200

    clock.shift(datetime.timedelta(minutes=31))
    response = client.get("/associations/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/associations/"
    assert not logged_in(client)
    assert "30 phút" in client.get(response["Location"]).content.decode()  # the login page says why


def test_requests_within_29_minutes_keep_the_session_alive(login, cast, clock):
    client = login(cast.staff)
    client.get("/")

    for _ in range(3):  # each request moves the limit on: 87 minutes in all
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get("/").status_code == 200

    assert logged_in(client)


def test_the_idle_limit_is_a_setting(login, cast, clock, settings):
    settings.PORTAL_SESSION_IDLE_MINUTES = 5
    client = login(cast.staff)
    client.get("/")

    clock.shift(datetime.timedelta(minutes=6))

    assert client.get("/").status_code == 302


@pytest.mark.parametrize(("who", "at_browser_close"), [("province", True), ("admin", True), ("staff", False)])
def test_the_session_ends_with_the_browser_for_the_province_and_administrators(client, cast, who, at_browser_close):
    response = log_in(client, getattr(cast, who).username, PASSWORD)

    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close() is at_browser_close
    cookie = response.cookies["sessionid"]
    assert (cookie["max-age"] == "") is at_browser_close
    if not at_browser_close:
        assert int(cookie["max-age"]) > 30 * 60

"""Two-step sign-in: a code from an authenticator app (or a single-use backup code) after the password;
required of the provincial office and administrators when PORTAL_OTP_REQUIRED is on."""

import datetime
import re

import pytest
import time_machine
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from friendship_portal.core.two_factors import backup_codes_renew
from tests.factories import PASSWORD

START = datetime.datetime(2026, 3, 2, 8, 0, 10, tzinfo=datetime.UTC)
CODE_PAGE = "/accounts/login/code/"
SETUP_PAGE = "/accounts/profile/two-step/"
BACKUP_PAGE = "/accounts/profile/two-step/backup-codes/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_now(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    return "000000" if code_now(device) != "000000" else "111111"


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def log_in(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def verified(client) -> bool:
    return "otp_device_id" in client.session


def test_a_province_user_with_an_authenticator_gives_a_code_before_the_dashboard(client, cast):
    device = authenticator(cast.province)

    landed = log_in(client, "province")
    held = client.get(landed["Location"])
    assert (landed["Location"], held.status_code) == ("/dashboard/", 302)
    assert held["Location"] == f"{CODE_PAGE}?next=%2Fdashboard%2F"
    page = client.get(held["Location"])
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    assert 'data-testid="main-nav"' not in page.content.decode()  # no menu before the second step

    answered = client.post(CODE_PAGE, {"code": code_now(device), "next": "/dashboard/"})

    assert answered.status_code == 302 and answered["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert verified(client)


def test_a_wrong_code_is_refused(client, cast):
    device = authenticator(cast.province)
    log_in(client, "province")

    response = client.post(CODE_PAGE, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert client.get("/dashboard/").status_code == 302
    assert not verified(client)


def test_after_a_wrong_code_the_next_one_waits_a_moment(client, cast, clock):
    device = authenticator(cast.province)
    log_in(client, "province")
    client.post(CODE_PAGE, {"code": wrong_code(device)})

    at_once = client.post(CODE_PAGE, {"code": code_now(device)})
    clock.shift(datetime.timedelta(seconds=2))
    later = client.post(CODE_PAGE, {"code": code_now(device)})

    assert at_once.status_code == 200 and at_once.context["form"].errors["code"]
    assert later.status_code == 302


def test_a_backup_code_works_once_only(client, cast):
    authenticator(cast.province)
    code = backup_codes_renew(user=cast.province)[0]
    log_in(client, "province")

    assert client.post(CODE_PAGE, {"code": code.upper()}).status_code == 302
    assert verified(client)
    client.post("/accounts/logout/")
    log_in(client, "province")

    assert client.post(CODE_PAGE, {"code": code}).status_code == 200
    assert not verified(client)
    assert StaticToken.objects.filter(device__user=cast.province).count() == 9


def test_an_authenticator_code_is_not_accepted_twice(client, cast):
    device = authenticator(cast.province)
    code = code_now(device)
    log_in(client, "province")
    client.post(CODE_PAGE, {"code": code})
    client.post("/accounts/logout/")
    log_in(client, "province")

    assert client.post(CODE_PAGE, {"code": code}).status_code == 200
    assert not verified(client)


@pytest.mark.parametrize("who", ["province", "admin"])
def test_when_required_a_province_user_or_administrator_without_a_device_is_sent_to_set_one_up(
    client, cast, settings, who
):
    settings.PORTAL_OTP_REQUIRED = True

    landed = log_in(client, getattr(cast, who).username)

    for address in (landed["Location"], "/", "/admin/", "/accounts/profile/", CODE_PAGE):
        response = client.get(address)
        assert (address, response.status_code, response["Location"]) == (address, 302, SETUP_PAGE)
    page = client.get(SETUP_PAGE)
    assert page.status_code == 200
    assert 'data-testid="setup-required"' in page.content.decode()


def test_when_required_staff_still_log_in_with_a_password(client, cast, settings):
    settings.PORTAL_OTP_REQUIRED = True

    log_in(client, "staff")

    assert client.get("/").status_code == 200


def test_not_required_a_province_user_without_a_device_logs_in_with_a_password(client, cast):
    log_in(client, "province")

    assert client.get("/dashboard/").status_code == 200


def test_setting_up_from_the_profile_confirms_with_a_code_and_shows_the_backup_codes_once(login, cast, settings, clock):
    settings.PORTAL_OTP_REQUIRED = True
    client = login(cast.province)

    setup = client.get(SETUP_PAGE)
    html = setup.content.decode()
    device = TOTPDevice.objects.get(user=cast.province)
    assert not device.confirmed
    assert "<svg" in html and "otpauth" not in html  # the QR code is drawn in the page, no image service
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', html).group(1)
    assert secret == client.get(SETUP_PAGE).context["secret"]  # the same secret until confirmed

    refused = client.post(SETUP_PAGE, {"code": wrong_code(device)})
    assert refused.status_code == 200 and refused.context["form"].errors["code"]
    clock.shift(datetime.timedelta(seconds=2))  # a wrong code makes the next one wait a moment
    confirmed = client.post(SETUP_PAGE, {"code": code_now(device)})

    assert confirmed.status_code == 302 and confirmed["Location"] == BACKUP_PAGE
    device.refresh_from_db()
    assert device.confirmed and verified(client)
    shown = client.get(BACKUP_PAGE)
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", shown.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=cast.province).values_list("token", flat=True))
    assert client.get(BACKUP_PAGE)["Location"] == "/accounts/profile/"  # once only
    assert client.get("/dashboard/").status_code == 200


def test_new_backup_codes_end_the_old_ones(login, cast):
    authenticator(cast.province)
    old = backup_codes_renew(user=cast.province)
    client = login(cast.province)
    client.post(CODE_PAGE, {"code": old[0]})

    made = client.post(BACKUP_PAGE)
    new = client.get(made["Location"]).context["codes"]

    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=cast.province).values_list("token", flat=True)) == set(new)


def test_a_leader_may_turn_it_on_and_is_then_asked_for_a_code(login, cast, client):
    login(cast.laos_leader)
    profile = client.get("/accounts/profile/")
    assert SETUP_PAGE in profile.content.decode()
    client.get(SETUP_PAGE)
    device = TOTPDevice.objects.get(user=cast.laos_leader)
    client.post(SETUP_PAGE, {"code": code_now(device)})
    client.post("/accounts/logout/")

    log_in(client, "leader.laos")

    assert client.get("/")["Location"] == f"{CODE_PAGE}?next=%2F"


def test_a_leader_turns_it_off_with_their_password(login, cast, client, clock):
    device = authenticator(cast.laos_leader)
    log_in(client, "leader.laos")
    client.post(CODE_PAGE, {"code": code_now(device)})

    refused = client.post("/accounts/profile/two-step/off/", {"password": "not-my-password"})
    assert refused.status_code == 200 and refused.context["turn_off_form"].errors["password"]
    assert TOTPDevice.objects.filter(user=cast.laos_leader).exists()

    done = client.post("/accounts/profile/two-step/off/", {"password": PASSWORD})

    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.laos_leader).exists()
    client.post("/accounts/logout/")
    log_in(client, "leader.laos")
    assert client.get("/").status_code == 200


def test_when_required_the_province_cannot_turn_it_off(client, cast, settings):
    settings.PORTAL_OTP_REQUIRED = True
    device = authenticator(cast.province)
    log_in(client, "province")
    client.post(CODE_PAGE, {"code": code_now(device)})

    response = client.post("/accounts/profile/two-step/off/", {"password": PASSWORD})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=cast.province).exists()


def test_the_code_page_sends_on_whoever_owes_no_code(login, cast):
    assert login(cast.staff).get(CODE_PAGE)["Location"] == "/"


def test_the_profile_shows_the_roles_and_the_password_link_from_the_user_menu(login, cast):
    client = login(cast.province)

    home = client.get("/dashboard/").content.decode()
    profile = client.get("/accounts/profile/").content.decode()

    assert 'href="/accounts/profile/"' in home
    assert "Văn phòng Tỉnh ủy / UBND tỉnh" in profile
    assert 'href="/accounts/password/"' in profile


def test_the_administrator_removes_a_lost_authenticator_without_seeing_its_secret(login, cast):
    device = authenticator(cast.province)
    client = login(cast.admin)

    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    deleted = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})

    assert deleted.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()

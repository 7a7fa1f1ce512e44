"""Two-step sign-in: after the password, a one-time code from an authenticator app (django-otp).

A user with a confirmed authenticator (a TOTP device) gives its current 6-digit code, or one of their
single-use backup codes (a static device), before the session counts as verified
(`user.is_verified()`, set by django_otp's OTPMiddleware). The provincial office and the
administrators must have an authenticator when PORTAL_OTP_REQUIRED is on; anyone may turn one on
from their profile page.

What a new session still owes is decided once at login and kept in the session (`pending_step`),
so a page costs no query to ask; TwoFactorsMiddleware holds the user to that step's page until it
is done.
"""

import base64
import logging

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from friendship_portal.core.roles import needs_strong_sign_in

logger = logging.getLogger(__name__)

SIGN_IN_STEP_SESSION_KEY = "portal_sign_in_step"
STEP_CODE = "code"  # has an authenticator: give a code
STEP_SETUP = "setup"  # must have an authenticator and has none: set one up
BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
BACKUP_CODES_NAME = "backup codes"


def two_factors_required(user) -> bool:
    return bool(settings.PORTAL_OTP_REQUIRED) and needs_strong_sign_in(user)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def sign_in_step(user) -> str:
    """What a user who just gave their password still owes: a code, an authenticator, or nothing."""
    if has_authenticator(user):
        return STEP_CODE
    if two_factors_required(user):
        return STEP_SETUP
    return ""


def sign_in_step_start(request, user) -> None:
    """At login: note in the new session what it still owes."""
    request.session[SIGN_IN_STEP_SESSION_KEY] = sign_in_step(user)


def pending_step(request) -> str:
    """What the logged-in user of this request still owes before using the portal ("" for nothing)."""
    step = request.session.get(SIGN_IN_STEP_SESSION_KEY)
    if step is None:  # a session opened before two-step sign-in existed: decide once
        step = sign_in_step(request.user)
        request.session[SIGN_IN_STEP_SESSION_KEY] = step
    if step and request.user.is_verified():
        return ""
    return step


def session_verified(request, device) -> None:
    """The session passed its second step with `device`: a new session key, and nothing owed."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session[SIGN_IN_STEP_SESSION_KEY] = ""


def _normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _is_authenticator_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def _refuse_while_throttled(device) -> None:
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(_("Too many wrong codes in a row: wait a few seconds, then try again."))


@transaction.atomic
def second_step_verify(*, user, code: str):
    """The device that accepts `code` (the authenticator's current 6-digit code, or an unused backup
    code, which is spent), or None. django-otp makes each device wait longer after every wrong code;
    a code sent before the wait is over is refused without being tried."""
    code = _normalized(code)
    model = TOTPDevice if _is_authenticator_code(code) else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
        _refuse_while_throttled(device)
        if device.verify_token(code):
            if model is StaticDevice:
                logger.info("user %s signed in with a backup code", user.pk)
            return device
    return None


def authenticator_prepare(*, user) -> TOTPDevice:
    """The authenticator being set up. It keeps its secret until confirmed, so opening the page
    again shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def authenticator_confirm(*, user, device_id: int, code: str) -> TOTPDevice | None:
    """Confirm the authenticator being set up with a first code it shows; None if the code is wrong.
    Like a login's code, a code sent too soon after a wrong one is refused untried."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, pk=device_id, confirmed=False).first()
    if device is None:
        return None
    _refuse_while_throttled(device)
    if not device.verify_token(_normalized(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    logger.info("user %s turned two-step sign-in on", user.pk)
    return device


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """Ten new single-use backup codes; the earlier ones stop working. Returned to be shown once."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    StaticToken.objects.filter(device__user=user).delete()
    codes = [StaticToken.random_token() for _index in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factors_turn_off(*, user) -> None:
    """Remove the user's authenticator and backup codes. Refused when their role requires them."""
    if two_factors_required(user):
        raise ValidationError(_("Two-step sign-in is required for your role: it cannot be turned off."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    logger.info("user %s turned two-step sign-in off", user.pk)


def authenticator_qr_code(device: TOTPDevice) -> SafeString:
    """The QR code an authenticator app scans, as inline SVG (drawn here: no image service). It holds
    only the paths qrcode draws, no text, so it is safe in the page as it is."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg)  # nosec B308, B703  # SvgPathImage writes only <svg> and <path> geometry, no text


def authenticator_secret(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed by hand: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))

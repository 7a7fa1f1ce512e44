"""The user's own account: the profile page, setting up two-step sign-in, backup codes, and the
login's second step (the code page)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from friendship_portal.core import two_factors
from friendship_portal.core.forms import OneTimeCodeForm, PasswordConfirmForm
from friendship_portal.core.roles import role_labels
from friendship_portal.core.views import landing_url

# Backup codes just made, kept in the session until the page showing them is opened once.
NEW_BACKUP_CODES_SESSION_KEY = "portal_new_backup_codes"


def _wrong_code_message() -> str:
    return _("This code is not right or has expired. Enter the code the app shows now.")


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return landing_url(request.user)


def profile(request, turn_off_form=None):
    """Who the user is, their roles, the password link, and their two-step sign-in."""
    user = request.user
    has_authenticator = two_factors.has_authenticator(user)
    required = two_factors.two_factors_required(user)
    if turn_off_form is None and has_authenticator and not required:
        turn_off_form = PasswordConfirmForm(user=user)
    context = {
        "roles": role_labels(user),
        "has_authenticator": has_authenticator,
        "required": required,
        "backup_codes_left": two_factors.backup_codes_left(user) if has_authenticator else 0,
        "turn_off_form": turn_off_form,
    }
    return render(request, "registration/profile.html", context)


@never_cache
def two_factors_setup(request):
    """Scan the QR code (or type the secret), confirm with a first code; then the backup codes."""
    user = request.user
    if two_factors.has_authenticator(user):
        messages.info(request, _("Two-step sign-in is already on for your account."))
        return redirect("profile")
    device = two_factors.authenticator_prepare(user=user)
    form = OneTimeCodeForm(request.POST or None, backup_codes=False)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = two_factors.authenticator_confirm(
                user=user, device_id=device.pk, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if confirmed is not None:
                two_factors.session_verified(request, confirmed)
                request.session[NEW_BACKUP_CODES_SESSION_KEY] = two_factors.backup_codes_renew(user=user)
                messages.success(request, _("Two-step sign-in is on. Keep these backup codes somewhere safe."))
                return redirect("backup_codes")
            form.add_error("code", _wrong_code_message())
    return render(
        request,
        "registration/two_factors_setup.html",
        {
            "form": form,
            "qr_code": two_factors.authenticator_qr_code(device),
            "secret": two_factors.authenticator_secret(device),
            "pending": two_factors.pending_step(request) == two_factors.STEP_SETUP,
        },
    )


@never_cache
def backup_codes(request):
    """Show new backup codes once (GET), or make new ones, which ends the old ones (POST)."""
    if request.method == "POST":
        if not two_factors.has_authenticator(request.user):
            raise PermissionDenied(_("Turn on two-step sign-in first."))
        request.session[NEW_BACKUP_CODES_SESSION_KEY] = two_factors.backup_codes_renew(user=request.user)
        messages.success(request, _("New backup codes are made; the earlier ones no longer work."))
        return redirect("backup_codes")
    codes = request.session.pop(NEW_BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(request, _("Backup codes are shown only once. Make new ones if you have lost them."))
        return redirect("profile")
    return render(request, "registration/backup_codes.html", {"codes": codes})


@require_POST
def two_factors_turn_off(request):
    """Turn two-step sign-in off, with the password (not for the roles that require it)."""
    user = request.user
    if two_factors.two_factors_required(user):
        raise PermissionDenied(_("Two-step sign-in is required for your role: it cannot be turned off."))
    form = PasswordConfirmForm(request.POST, user=user)
    if not form.is_valid():
        return profile(request, turn_off_form=form)
    try:
        two_factors.two_factors_turn_off(user=user)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from error
    messages.success(request, _("Two-step sign-in is off. Your password alone now opens your account."))
    return redirect("profile")


@never_cache
def login_code(request):
    """The login's second step: the code from the authenticator app, or a backup code."""
    user = request.user
    next_url = _next_url(request)
    if two_factors.pending_step(request) != two_factors.STEP_CODE:
        return redirect(next_url)
    if not two_factors.has_authenticator(user):  # removed by the administrator meanwhile
        two_factors.sign_in_step_start(request, user)
        return redirect(next_url)
    form = OneTimeCodeForm(request.POST or None, backup_codes=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factors.second_step_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if device is not None:
                two_factors.session_verified(request, device)
                return redirect(next_url)
            form.add_error("code", _wrong_code_message())
    return render(request, "registration/login_code.html", {"form": form, "next": next_url})

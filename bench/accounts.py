"""The accounts the benchmarks sign in with, on a scratch database (Django side).

- `bench.superuser`, a superuser for the admin's pages beside the portal's (no password: the
  in-process client logs it in directly);
- an authenticator (a confirmed TOTP device) for whoever the portal asks a second step of in
  production mode (the provincial office, the administrators), so their sessions can be verified;
- single-use backup codes for the load test, whose users pass the second step through the real
  code page: `python bench/accounts.py codes province --count 50` prints them as JSON.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

SUPERUSER = "bench.superuser"
AUTHENTICATOR = "bench authenticator"
BACKUP_CODES = "bench backup codes"


def ensure_superuser():
    user, _created = get_user_model().objects.get_or_create(username=SUPERUSER)
    user.is_superuser = user.is_staff = True
    user.set_unusable_password()
    user.save()
    return user


def authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator, one made for the benchmarks if they have none."""
    found = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return found or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=True)


def backup_codes(username: str, count: int) -> list[str]:
    """`count` new single-use codes for the benchmarks (the user's own backup codes are left alone)."""
    user = get_user_model().objects.get(username=username)
    authenticator(user)  # a second step is asked only of whoever has an authenticator
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_CODES, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(count)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "codes":
        sys.exit("usage: accounts.py codes <username> [--count N]")
    count = int(sys.argv[sys.argv.index("--count") + 1]) if "--count" in sys.argv else 50
    print(json.dumps(backup_codes(sys.argv[2], count)))

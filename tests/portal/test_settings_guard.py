"""With DEBUG off the portal refuses unsafe settings, and with safe ones `check --deploy` is silent."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFE_KEY = "k3y-for-the-deploy-check-" + "x9Qw7Zr2Lp5Vn8Bt4Hs6Jd1Fg3Km0Yc" * 2


def run_manage(tmp_path, *args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CELERY_BROKER_URL"))
    }
    environment.update(PORTAL_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_debug_off_refuses_the_default_secret_key(tmp_path):
    result = run_manage(tmp_path, "check", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_off_refuses_empty_allowed_hosts(tmp_path):
    result = run_manage(tmp_path, "check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY=SAFE_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_silent_with_both_given(tmp_path):
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SAFE_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["true", "1", "yes", ""])
def test_debug_on_runs_on_local_defaults(tmp_path, value):
    result = run_manage(tmp_path, "check", DJANGO_DEBUG=value)
    assert result.returncode == 0, result.stderr

"""seed_demo refuses to run on what looks like production. What it writes is read by
tests/portal/test_demo_data.py, which seeds the demo once for its module."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    """Refused on an empty database; forced, it runs (tests/portal/test_demo_data.py runs it forced with
    DEBUG off on the seeded demo, and reads what the demo holds)."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()

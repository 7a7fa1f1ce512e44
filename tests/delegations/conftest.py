"""Fixtures for the delegation tests: the factories, a stopped clock, uploaded files on tmp_path."""

import pytest
import time_machine

from tests.delegations import factories
from tests.delegations.support import TODAY, at


@pytest.fixture
def clock():
    """Stop the clock on TODAY at 09:00 in Hà Tĩnh; `clock.move_to(at(day))` moves it."""
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files land in the test's own folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def delegation_factory(db):
    return factories.DelegationFactory


@pytest.fixture
def member_factory(db):
    return factories.DelegationMemberFactory


@pytest.fixture
def recovery_factory(db):
    return factories.RecoveryRecordFactory


@pytest.fixture
def attachment_factory(db):
    return factories.AttachmentFactory

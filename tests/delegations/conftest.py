"""Fixtures for the delegation tests: the factories and the stopped clock's day (the clock itself and
uploaded files on tmp_path: tests/conftest.py)."""

import pytest

from tests.delegations import factories
from tests.delegations.support import TODAY


@pytest.fixture
def clock_day():
    return TODAY


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

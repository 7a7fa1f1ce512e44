"""Fixtures for the dashboard tests: a clean cache and the stopped clock for every test, the small world."""

import pytest
from django.core.cache import cache

from tests.dashboard import world as world_module


@pytest.fixture(autouse=True)
def clean_cache():
    """The dashboard keeps its figures in the cache: no test may see another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock_day():
    return world_module.TODAY


@pytest.fixture(autouse=True)
def clock(clock):
    """The clock stopped on world.TODAY at 09:00 in Hà Tĩnh (tests/conftest.py): the figures read today's date."""
    return clock


@pytest.fixture
def world(cast) -> dict:
    """The hand-counted records of tests/dashboard/world.py."""
    return world_module.build_world(cast)

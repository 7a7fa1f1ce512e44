"""Fixtures for the dashboard tests: a clean cache and a stopped clock for every test, the small world."""

import pytest
import time_machine
from django.core.cache import cache

from tests.aid_projects.factories import at
from tests.dashboard import world as world_module


@pytest.fixture(autouse=True)
def clean_cache():
    """The dashboard keeps its figures in the cache: no test may see another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def clock():
    """Stop the clock on world.TODAY at 09:00 in Hà Tĩnh: the figures read today's date."""
    with time_machine.travel(at(world_module.TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(cast) -> dict:
    """The hand-counted records of tests/dashboard/world.py."""
    return world_module.build_world(cast)

"""Figures read over many records (the dashboard, the pages per place, the scholarship budget), cached
for a few minutes under one data version that any saved or deleted record of the apps bumps, so a
change shows at once.

A signal is sent by `save()` and `delete()`, not by bulk writes: the code that writes in bulk (an import,
the synthetic load) calls `changed()` itself once it has written.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

# The apps whose records the figures count (by label: the base imports none of them).
WATCHED_APPS = {"associations", "delegations", "scholarships", "aid_projects"}
VERSION_KEY = "dashboard:version"


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp())
        cache.add(VERSION_KEY, version, None)
    return version


def changed() -> None:
    """Records changed: every cached figure is read again."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or the cache was emptied)
        cache.set(VERSION_KEY, int(timezone.now().timestamp()), None)


def record_changed(sender, **kwargs) -> None:
    if sender._meta.app_label in WATCHED_APPS:
        changed()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(record_changed, dispatch_uid=f"figures-{signal}")


def cached(name: str, build: Callable[[], dict]) -> dict:
    """What `build()` reads, from the cache while no record has changed (and on the same day)."""
    key = f"dashboard:{data_version()}:{name}:{timezone.localdate():%Y%m%d}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, settings.DASHBOARD_CACHE_SECONDS)
    return found

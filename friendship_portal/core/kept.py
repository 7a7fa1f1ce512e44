"""Kept figures: columns and tables worked out again as the records they sum change, so that a page reads
a few rows instead of summing a large table (see docs/architecture.md).

- `Kept` gathers what the writes touched (months, years, projects…) and works each out once: at once
  for a lone write, or at the end of a `kept_once()` block for a service, an import or an admin action
  that writes many records.
- `advisory_lock(key)` serialises the workings-out of one kind of figure on PostgreSQL, so that two
  transactions never interleave their sums (the second waits for the first to commit, then sums both).
- `SavesWithoutKeptColumns` keeps a model's save from writing its kept columns back from an instance read
  before they changed.
"""

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar

from django.db import connection
from django.db.models import Q


def advisory_lock(key: int) -> None:
    """Take the transaction-wide lock `key` on PostgreSQL (SQLite serialises writers by itself)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def in_years(field: str, years: Iterable[int]) -> Q:
    """The records whose date `field` falls in one of `years`: each year a range of the field's index."""
    condition = Q(pk__in=[])
    for year in sorted(years):
        condition |= Q(**{f"{field}__year": year})
    return condition


class Kept:
    """What writes touched, by kind (`months=…`, `years=…`), handed to `work_out(**touched)`: at once, or
    gathered within `kept_once()` and handed over once at its end."""

    def __init__(self, name: str, work_out: Callable[..., None]):
        self._pending: ContextVar[dict[str, set] | None] = ContextVar(name, default=None)
        self.work_out = work_out

    def touched(self, **keys: Iterable) -> None:
        keys = {kind: {key for key in values if key is not None} for kind, values in keys.items()}
        pending = self._pending.get()
        if pending is None:
            self.work_out(**keys)
            return
        for kind, values in keys.items():
            pending.setdefault(kind, set()).update(values)

    def forget(self) -> None:
        """Within `kept_once()`, drop what was gathered so far: a rebuild of every figure just covered it."""
        pending = self._pending.get()
        if pending is not None:
            pending.clear()

    @contextlib.contextmanager
    def kept_once(self) -> Iterator[None]:
        """Within this block, what is touched is gathered and worked out once at its end (nothing is
        worked out when the block raises: its transaction is rolled back)."""
        if self._pending.get() is not None:  # already gathering
            yield
            return
        pending: dict[str, set] = {}
        token = self._pending.set(pending)
        try:
            yield
        finally:
            self._pending.reset(token)
        self.work_out(**pending)


class SavesWithoutKeptColumns:
    """A model whose `KEPT_COLUMNS` are written only by the code that keeps them: saving a record already
    there writes every other column (a form or a service may hold an instance read before the kept
    columns changed)."""

    KEPT_COLUMNS: tuple[str, ...] = ()

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.KEPT_COLUMNS
            ]
        super().save(*args, **kwargs)

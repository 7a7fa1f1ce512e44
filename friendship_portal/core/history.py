"""How a record's history manager is reached: once a class per model, not once a save.

django-simple-history's descriptor (`Model.history`, `instance.history`) builds its manager class with
`Manager.from_queryset` every time it is read, and `from_queryset` walks the queryset class's members
with `inspect`: about 0.6 ms, paid on every save of a record with history (the history row is written
through that manager) and on every history page. The class depends only on the manager and queryset
classes, so it is built once for each pair; the descriptor still hands a new manager for the model and
the instance each time, as before.
"""

import functools

from simple_history.manager import HistoryDescriptor


@functools.cache
def _manager_class(manager_class: type, queryset_class: type) -> type:
    return manager_class.from_queryset(queryset_class)


def _get(self: HistoryDescriptor, instance, owner):
    return _manager_class(self.manager_class, self.queryset_class)(self.model, instance)


def build_history_managers_once() -> None:
    """Called by the core's AppConfig.ready()."""
    if HistoryDescriptor.__get__ is not _get:
        HistoryDescriptor.__get__ = _get

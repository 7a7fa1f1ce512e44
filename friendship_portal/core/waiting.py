"""What waits for a user: each app registers a source that says, for a user, how many of its records
wait for that user's step, in a sentence, with the page that lists them. The home page lists them
all; the menu's "Waiting for me" carries the count of the sources registered `in_menu`, and its page
(the delegations' waiting list) links the others (`waiting_for(user, besides=...)`)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Waiting:
    count: int
    text: str  # "Có 1 đề án đoàn ra chờ Hội thông qua"
    url: str  # the list of those records, one click from their buttons


_SOURCES: list[tuple[Callable, bool]] = []


def register(source: Callable[[object], list[Waiting]], *, in_menu: bool = False) -> None:
    """`source(user)` → what waits for `user`; `in_menu`: counted in the menu's "Waiting for me"."""
    _SOURCES.append((source, in_menu))


def _asked(user, index: int, source) -> list[Waiting]:
    """What `source` says for `user`, asked once a request: the home page's list and the menu's count
    read the same rows (the request's user object carries them)."""
    asked = user.__dict__.setdefault("_portal_waiting", {})
    if index not in asked:
        asked[index] = source(user)
    return asked[index]


def waiting_for(user, *, besides: str | None = None) -> list[Waiting]:
    """What waits for `user`, source by source; `besides`: leave out what the page at that URL lists."""
    return [
        item
        for index, (source, _in_menu) in enumerate(_SOURCES)
        for item in _asked(user, index, source)
        if item.count and item.url.split("?")[0] != besides
    ]


def menu_count(user) -> int:
    return sum(
        item.count
        for index, (source, in_menu) in enumerate(_SOURCES)
        if in_menu
        for item in _asked(user, index, source)
    )

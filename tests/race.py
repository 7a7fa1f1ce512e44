"""Two (or more) people doing something at the same moment: each call runs in its own thread, with its
own database connection, released together by a barrier. For the tests that show a row lock or an
advisory lock at work, which only PostgreSQL shows (SQLite serialises writers)."""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(calls: list[Callable[[], object]], *, timeout: float = 30) -> list[Exception]:
    """Run `calls` together; the exceptions they raised (in no particular order)."""
    start = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call) -> None:
        try:
            start.wait(timeout=10)
            call()
        except Exception as error:  # noqa: BLE001 - handed back to the test, in its own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors

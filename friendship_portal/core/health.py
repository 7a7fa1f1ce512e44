"""The checks behind /healthz, each bounded in time: the answer comes within DEADLINE_SECONDS even
when the database or the broker is down or frozen.

Each check runs in a thread of its own, with a database connection of its own, and the request
waits for it only until the deadline; a check still running then is reported as a timeout. While
such a check hangs, the next requests report it at once instead of starting another thread, so a
frozen database costs one waiting thread, not one per probe.
"""

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from kombu import Connection
from kombu.exceptions import KombuError

# The whole answer, under the 5 seconds a load balancer or an orchestrator usually waits.
DEADLINE_SECONDS = 4.0
# The database check's own statement timeout on PostgreSQL: a healthy `SELECT 1` takes milliseconds.
DATABASE_STATEMENT_TIMEOUT_MS = 1000
DATABASE_QUERY = "SELECT 1"
BROKER_TIMEOUT_SECONDS = 2


def database_state() -> str:
    try:
        if connection.vendor == "postgresql":
            with transaction.atomic(), connection.cursor() as cursor:
                # Local to this transaction: the connection's own timeout is left as it was.
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [f"{DATABASE_STATEMENT_TIMEOUT_MS}ms"]
                )
                cursor.execute(DATABASE_QUERY)
                cursor.fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute(DATABASE_QUERY)
                cursor.fetchone()
    except DatabaseError as error:
        return f"error: {error.__class__.__name__}"
    finally:
        connection.close()  # this thread's connection; nothing else will close it
    return "ok"


def broker_state() -> str:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)  # one attempt, no sleep
    except (KombuError, OSError) as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


class BoundedCheck:
    """A check run in a thread of its own, waited for until a deadline."""

    def __init__(self, name: str, check: Callable[[], str]):
        self.name = name
        self.check = check
        self.lock = threading.Lock()
        self.hanging = 0  # threads that outlived their deadline and have not returned yet

    def start(self) -> Callable[[float], str]:
        """Start the check; the function returned waits at most its argument's seconds for the state."""
        with self.lock:
            if self.hanging:
                return lambda seconds: "error: timeout (the previous check has not returned)"
        outcome: dict = {}
        done = threading.Event()

        def run() -> None:
            try:
                state = self.check()
            except Exception as error:  # a failing check makes the portal unhealthy, never the page fail
                state = f"error: {error.__class__.__name__}"
            with self.lock:
                outcome["state"] = state
                done.set()
                if outcome.get("hanging"):
                    self.hanging -= 1

        threading.Thread(target=run, name=f"healthz-{self.name}", daemon=True).start()

        def wait(seconds: float) -> str:
            if not done.wait(seconds):
                with self.lock:
                    if not done.is_set():
                        outcome["hanging"] = True
                        self.hanging += 1
                        return "error: timeout"
            return outcome["state"]

        return wait


DATABASE = BoundedCheck("database", lambda: database_state())
BROKER = BoundedCheck("broker", lambda: broker_state())


def states() -> dict[str, str]:
    """The state of the database and of the broker ("not configured" when tasks run in-process), both
    checked at once and answered by the deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    waiting = {"database": DATABASE.start()}
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        waiting["broker"] = BROKER.start()
    found = {name: wait(max(0.0, deadline - time.monotonic())) for name, wait in waiting.items()}
    return {"database": found["database"], "broker": found.get("broker", "not configured")}

"""Real Celery workers for the tests that need them (test_real_worker.py, test_faults.py).

A test starts its workers on a queue of its own, reading this test's PostgreSQL database (suffixed
per xdist worker) and media folder, so the CI's worker, which reads another database, never takes
its tasks. The `workers` and `worker` fixtures (tests/reports/conftest.py) start them and stop them;
a redis-server of the test's own (`OwnRedis`) lets a test stop and start the broker.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.utils.nodenames import host_format
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue
from kombu import pools as kombu_pools

from friendship_portal.celery import app
from friendship_portal.core.models import Job

ROOT = Path(__file__).resolve().parents[2]
READY_WITHIN = 30  # seconds for a worker to answer a ping
BUILT_WITHIN = 60  # seconds for a job to be built


def services_missing() -> str:
    """Why this machine cannot run the test, or "" when it can (asked before any database is set up)."""
    reason = "needs Redis and PostgreSQL: run by .ci/run's second pass"
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        return f"{reason} (CELERY_BROKER_URL is not redis://)"
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return f"{reason} (DATABASE_URL is not PostgreSQL)"
    return ""


def database_url() -> str:
    """The URL of the database this test uses (pytest-django's test database, per xdist worker)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def point_app_at(url: str) -> None:
    """Send this process's tasks (and pings) to the broker at `url`: the cached connections and
    producers are dropped, so the next message opens a connection there. (Celery reads the
    environment's CELERY_BROKER_URL before this setting: change both.)"""
    app.conf.broker_url = url
    # kombu keeps one pool per connection in a registry of its own: closing a pool without clearing
    # it there would hand the closed pool back to the next task ("Acquire on closed pool").
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class Worker:
    def __init__(self, process: subprocess.Popen, hostname: str, log: Path):
        self.process, self.hostname, self.log = process, hostname, log

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else "(no log)"

    def wait_until_ready(self) -> None:
        # A connection pool closed by an earlier test of this process (another broker, a fork) would
        # refuse the ping: start from fresh connections to the broker the app names now.
        if app._pool is not None and getattr(app._pool, "_closed", False):
            point_app_at(app.conf.broker_url)
        started = time.monotonic()
        deadline = started + READY_WITHIN
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the worker stopped at start (exit {self.process.returncode}):\n{self.log_text()}")
            if app.control.ping(destination=[self.hostname], timeout=1.0):
                print(f"{self.hostname} answered after {time.monotonic() - started:.1f} s")
                return
        pytest.fail(f"the worker did not answer a ping within {READY_WITHIN} s:\n{self.log_text()}")

    def pool_child(self) -> int:
        """The process id of the prefork pool's (only) child, which runs the tasks."""
        deadline = time.monotonic() + READY_WITHIN
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        while time.monotonic() < deadline:
            pids = children.read_text().split()
            if pids:
                return int(pids[0])
            time.sleep(0.1)
        pytest.fail(f"the worker {self.hostname} has no pool child:\n{self.log_text()}")

    def kill(self, pid: int | None = None) -> None:
        """SIGKILL the worker (or one of its children): no warm shutdown, no task finished or given back."""
        os.kill(pid or self.process.pid, signal.SIGKILL)
        if pid is None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.terminate()  # a warm shutdown: it finishes the task in hand
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        print(f"{self.hostname} stopped after {time.monotonic() - started:.1f} s")


def worker_start(*, queue: str, media_root: Path, log: Path, pool: str = "solo", environ: dict | None = None) -> Worker:
    """Start a worker of `queue` through this process's broker (not yet answering: see wait_until_ready)."""
    hostname = f"e2e-{uuid.uuid4().hex[:12]}@%h"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": app.conf.broker_url,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "JOBS_TASK_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
        **(environ or {}),
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "friendship_portal",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                f"--pool={pool}",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                queue,
                "--hostname",
                hostname,
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Worker(process, host_format(hostname), log)


def queue_delete(queue: str) -> None:
    """The queue's bindings stay in Redis until deleted through a channel that knows them."""
    try:
        with app.connection_for_write() as conn:
            bound = Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel)
            bound.declare()
            bound.delete()
    except Exception as error:  # a leftover empty queue harms nothing
        print(f"could not delete the queue {queue}: {error!r}")


def wait_for(job: Job, states, workers: list[Worker], within: float = BUILT_WITHIN) -> Job:
    """Wait until the job is in one of `states`; fails with the workers' logs after `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.05)
    logs = "\n".join(f"--- {worker.hostname} ---\n{worker.log_text()}" for worker in workers)
    pytest.fail(f"job {job.pk} is {job.state} ({job.error!r}), not {states}, after {within} s:\n{logs}")


def built(job: Job, worker: Worker, within: float = BUILT_WITHIN) -> Job:
    """Wait for the worker to build the job; it must end done."""
    job = wait_for(job, Job.FINISHED, [worker], within)
    assert (job.state, job.error) == (Job.State.DONE, ""), f"job {job.pk} ended {job.state}: {job.error}"
    return job


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own, which the test stops and starts again on the same port."""

    def __init__(self, log: Path):
        self.port, self.log, self.process = free_port(), log, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"redis-server stopped at start:\n{self.log.read_text(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not listen on {self.port} within 10 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

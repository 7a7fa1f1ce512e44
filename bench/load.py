"""Load test: gunicorn in production mode on a scratch database, driven by Locust (bench/locustfile.py).

    .venv/bin/python bench/load.py [--scale 1] [--users 8] [--spawn-rate 4] [--time 60s]
    .venv/bin/python bench/load.py --two-instances [--scale 1] …

One instance (default): gunicorn with 4 workers on 127.0.0.1:8001; background jobs would run in the
request (no broker); the cache is each worker's own memory unless DJANGO_CACHE_URL names one.

Two instances: two gunicorn (2 workers each, ports 8001 and 8002) and two Celery workers, sharing the
PostgreSQL database and Redis (the broker and the cache, in Redis databases of their own: flushed at
the start). Locust's users are spread over both; the provincial office also asks for reports. Before
the run it shows that the dashboard's cache is shared (figures built on one instance are read from
the cache on the other); after it, that every report was built once (each job claimed once), and that
one job handed twice to the broker is built once.

Capacity (`--capacity`): after the Locust run, each page of the mix in turn, then the bare
authenticated page (`/accounts/profile/`), is asked for by `--users` clients at once without a pause
for `--capacity-seconds`: the requests a second each page sustains, and their ratio to the bare page's.

Prints requests/s, the median and 95th percentile and the failures per page, and stops everything
it started. The database is built as by bench/run.py (and kept).
"""

import argparse
import contextlib
import csv
import datetime
import json
import re
import signal
import statistics
import subprocess  # nosec B404  # starts gunicorn, Celery and Locust from the venv, no shell
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import redis
import requests
import scratch
from requests.cookies import RequestsCookieJar

ROOT = scratch.ROOT
BIN = Path(scratch.PYTHON).parent
LOGS = scratch.BENCH_VAR / "load"
PASSWORD_ENV = "PORTAL_DEMO_PASSWORD"


class Started:
    """The processes this run started, stopped at the end by their own ids (and only those)."""

    def __init__(self):
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        LOGS.mkdir(parents=True, exist_ok=True)
        out = (LOGS / f"{name}.log").open("w")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # nosec B603
        self.processes.append((name, process))
        scratch.log(f"started {name} (pid {process.pid}); its log: {LOGS / f'{name}.log'}")
        return process

    def stop_all(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                scratch.log(f"{name} (pid {process.pid}) did not stop: killing it")
                process.kill()
                process.wait()
        self.processes.clear()


def gunicorn(started: Started, env: dict, port: int, workers: int) -> str:
    started.start(
        f"gunicorn-{port}",
        [
            scratch.PYTHON,
            "-m",
            "gunicorn",
            "friendship_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--access-logfile",
            "-",
        ],
        env,
    )
    return f"http://127.0.0.1:{port}"


def wait_healthy(base: str, started: Started, seconds: int = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, process in started.processes:
            if process.poll() is not None:
                raise SystemExit(f"{name} stopped (exit {process.returncode}): see {LOGS / f'{name}.log'}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # nosec B310  # our own URL
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    raise SystemExit(f"{base}/healthz did not answer within {seconds} s")


def django_side(url: str, script: str, *args: str, env: dict | None = None) -> dict | list:
    result = subprocess.run(  # nosec B603
        [scratch.PYTHON, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=env or scratch.portal_env(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stderr[-3000:])
        raise SystemExit(f"bench/{script} {' '.join(args)} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the Locust run -------------------------------------------------------------------------------------


def locust(hosts: list[str], args, codes: list[str], *, ask_reports: bool) -> Path:
    prefix = LOGS / ("locust-two" if len(hosts) > 1 else "locust-one")
    env = {
        **scratch.portal_env(args.url),
        "BENCH_HOSTS": ",".join(hosts),
        "BENCH_PROVINCE_CODES": ",".join(codes),
        "BENCH_ASK_REPORTS": "1" if ask_reports else "",
        "BENCH_WAIT": args.wait,
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        args.time,
        "--host",
        hosts[0],
        "--csv",
        str(prefix),
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    scratch.log(f"locust: {args.users} users, {args.spawn_rate}/s, {args.time} against {', '.join(hosts)}")
    with (LOGS / f"{prefix.name}.log").open("w") as out:
        try:
            subprocess.run(  # nosec B603
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=seconds(args.time) + 120
            )
        except subprocess.TimeoutExpired:
            scratch.log("locust did not stop in time (killed)")
    return prefix


def seconds(text: str) -> int:
    total = 0
    for number, unit in re.findall(r"(\d+)([hms]?)", text):
        total += int(number) * {"h": 3600, "m": 60, "s": 1, "": 1}[unit]
    return total


def locust_table(prefix: Path) -> str:
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        return f"(no figures: see {LOGS / (prefix.name + '.log')})"
    lines = [
        "| request | count | failures | req/s | p50 ms | p95 ms | max ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    with stats.open() as handle:
        rows = list(csv.DictReader(handle))
    rows.sort(key=lambda row: (row["Name"] == "Aggregated", row["Name"]))
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.2f} "
            f"| {row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f} |"
        )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open() as handle:
            found = list(csv.DictReader(handle))
        if found:
            lines += ["", "Failures:", ""]
            lines += [f"- {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}×)" for row in found]
    return "\n".join(lines)


# --- the shared cache ------------------------------------------------------------------------------------


class BehindTheProxy(RequestsCookieJar):
    """As in the locustfile: the secure cookies go back over http, as the TLS proxy would send them."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def signed_in(base: str, username: str, password: str, code: str) -> requests.Session:
    """A session of the real login form (and its code page), as the locustfile signs in."""
    session = requests.Session()
    session.cookies = BehindTheProxy()
    session.headers["X-Forwarded-Proto"] = "https"
    origin = "https://" + base.split("://", 1)[1]

    def post(path: str, data: dict) -> requests.Response:
        page = session.get(base + path, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return session.post(
            base + path,
            data={"csrfmiddlewaretoken": token[1] if token else "", **data},
            headers={"Referer": origin + path},
            timeout=30,
        )

    response = post("/accounts/login/", {"username": username, "password": password})
    if "/accounts/login/code/" in response.url:
        response = post(response.url.split(base, 1)[1], {"code": code})
    if "/accounts/login/" in response.url:
        raise SystemExit(f"{username} could not sign in on {base}")
    return session


def timed(session: requests.Session, url: str) -> float:
    began = time.perf_counter()
    response = session.get(url, timeout=60)
    response.raise_for_status()
    return (time.perf_counter() - began) * 1000


WARM_UP = ["/", "/associations/members/", "/delegations/outbound/", "/scholarships/students/", "/reports/"]


def warm_up(host: str, workers: int, code: str, password: str) -> None:
    """A few rounds of pages before Locust starts, so that its figures are not those of workers importing
    and compiling templates on their first requests."""
    session = signed_in(host, "staff", password, code)
    for _round in range(2 * workers):
        for path in WARM_UP:
            session.get(host + path, timeout=60)


def cache_check(hosts: list[str], codes: list[str], cache_url: str, password: str) -> list[str]:
    first, second = (signed_in(host, "province", password, codes.pop()) for host in hosts[:2])
    store = redis.Redis.from_url(cache_url)
    store.flushdb()
    built = timed(first, f"{hosts[0]}/dashboard/")
    keys = len(store.keys("*dashboard:*"))
    read = timed(second, f"{hosts[1]}/dashboard/")
    again = timed(first, f"{hosts[0]}/dashboard/")
    store.flushdb()
    rebuilt = timed(second, f"{hosts[1]}/dashboard/")
    return [
        f"- Dashboard on instance A after flushing the cache: {built:.0f} ms (figures built; "
        f"{keys} dashboard keys now in Redis).",
        f"- The same dashboard on instance B right after: {read:.0f} ms (read from the cache A filled); "
        f"on A again: {again:.0f} ms.",
        f"- On B after flushing the cache again: {rebuilt:.0f} ms (built again).",
    ]


# --- capacity: each page alone, as fast as it is answered ----------------------------------------------

BARE = ("staff", "/accounts/profile/")
# The pages of the locustfile's mix, with the user who opens them (a delegation and a place page: the
# first the list links to).
CAPACITY_PAGES = [
    ("staff", "/associations/members/"),
    ("staff", "/associations/partners/"),
    ("staff", "/associations/activities/"),
    ("staff", "/delegations/outbound/"),
    ("staff", "/delegations/inbound/"),
    ("staff", "/delegations/[first]/"),
    ("staff", "/scholarships/students/"),
    ("staff", "/scholarships/students/?q=Chan"),
    ("staff", "/scholarships/payments/"),
    ("staff", "/aid-projects/projects/"),
    ("staff", "/aid-projects/donors/"),
    ("leader.laos", "/"),
    ("leader.laos", "/delegations/waiting/"),
    ("leader.laos", "/associations/members/"),
    ("leader.laos", "/delegations/outbound/"),
    ("province", "/dashboard/"),
    ("province", "/dashboard/lao-provinces/[first]/"),
    ("province", "/dashboard/countries/LA/"),
    ("province", "/reports/"),
]


def sustained(host: str, session: requests.Session, path: str, clients: int, duration: float) -> dict:
    """`clients` threads asking for `path` back to back for `duration` seconds, each with its own copy of
    the signed-in session: requests a second, failures, the median time."""
    times: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client() -> None:
        own = requests.Session()
        own.cookies = BehindTheProxy()
        own.cookies.update(session.cookies)
        own.headers.update(session.headers)
        while time.monotonic() < stop_at:
            began = time.perf_counter()
            try:
                response = own.get(host + path, timeout=120, allow_redirects=False)
                ok = response.status_code == 200
            except requests.RequestException:
                ok = False
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                times.append(elapsed)
                failures[0] += not ok

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - began
    return {"count": len(times), "rps": len(times) / took, "failures": failures[0], "p50": statistics.median(times)}


def capacity(host: str, codes: list[str], password: str, clients: int, duration: float) -> list[str]:
    sessions = {
        username: signed_in(
            host, username, password, codes.pop(0) if username == "province" else ""
        )  # Locust took the last
        for username in {user for user, _path in [*CAPACITY_PAGES, BARE]}
    }
    first = {
        "/delegations/[first]/": (sessions["staff"], "/delegations/outbound/", r'href="(/delegations/\d+/)"'),
        "/dashboard/lao-provinces/[first]/": (
            sessions["province"],
            "/dashboard/",
            r'href="(/dashboard/lao-provinces/\d+/)"',
        ),
    }
    resolved = []
    for user, path in CAPACITY_PAGES:
        if path in first:
            session, listing, pattern = first[path]
            found = re.search(pattern, session.get(host + listing, timeout=120).text)
            if not found:
                raise SystemExit(f"no link for {path} on {listing}")
            resolved.append((user, found[1], path))
        else:
            resolved.append((user, path, path))
    bare = sustained(host, sessions[BARE[0]], BARE[1], clients, duration)
    lines = [
        f"Each page alone, {clients} clients at once without a pause, {duration:.0f} s a page; the bare "
        f"page `{BARE[1]}` (staff): {bare['rps']:.1f} requests/s, median {bare['p50']:.0f} ms, "
        f"{bare['failures']} failures.",
        "",
        "| page | as | requests | failures | req/s | median ms | ÷ bare req/s |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for user, path, name in resolved:
        sessions[user].get(host + path, timeout=120)  # warm: a cached page is measured as users get it
        figures = sustained(host, sessions[user], path, clients, duration)
        lines.append(
            f"| {name} | {user} | {figures['count']} | {figures['failures']} | {figures['rps']:.1f} "
            f"| {figures['p50']:.0f} | {figures['rps'] / bare['rps']:.0%} |"
        )
        scratch.log(f"capacity {name}: {figures['rps']:.1f}/s")
    return lines


# --- main -------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--database-url")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--time", default="60s", help="how long Locust runs (60s, 2m…)")
    parser.add_argument("--wait", default="0.5,1.5", help="a user's pause between pages, min,max seconds")
    parser.add_argument("--two-instances", action="store_true", help="two gunicorn and two Celery workers")
    parser.add_argument("--capacity", action="store_true", help="then each page alone, beside the bare page")
    parser.add_argument("--capacity-seconds", type=float, default=10, help="how long each page is asked for")
    parser.add_argument("--port", type=int, default=8001, help="the first instance's port (the second: +1)")
    parser.add_argument("--redis-broker", default="redis://127.0.0.1:6379/11", help="flushed at the start")
    parser.add_argument("--redis-cache", default="redis://127.0.0.1:6379/12", help="flushed at the start")
    args = parser.parse_args()
    args.url = scratch.database_url(args.scale, args.database_url, several=False)
    built = scratch.ensure_database(args.scale, args.url, rebuild=args.rebuild)
    password = scratch.portal_env(args.url).get(PASSWORD_ENV) or "HuuNghi@2026"
    codes = django_side(args.url, "accounts.py", "codes", "province", "--count", "100")
    started = Started()
    report = [
        f"## Load test, {'two instances' if args.two_instances else 'one instance'}, scale {args.scale}",
        "",
        f"- Database: {scratch.describe(args.url)} (built {built['built_on']}); {args.users} users, "
        f"{args.spawn_rate}/s, {args.time}, {args.wait} s between pages; Locust on the same machine; each "
        f"instance warmed up first ({len(WARM_UP)} pages × 2 rounds a worker, as staff).",
    ]
    began = datetime.datetime.now(datetime.UTC)
    try:
        if not args.two_instances:
            env = scratch.portal_env(args.url)
            hosts = [gunicorn(started, env, args.port, 4)]
            health = wait_healthy(hosts[0], started)
            warm_up(hosts[0], 4, "", password)
            report.append(f"- gunicorn: 4 workers; /healthz {health}; cache: {env.get('DJANGO_CACHE_URL') or 'each'}")
            prefix = locust(hosts, args, codes, ask_reports=False)
            if args.capacity:
                capacity_lines = capacity(hosts[0], codes, password, args.users, args.capacity_seconds)
        else:
            for url in (args.redis_broker, args.redis_cache):
                redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()
            env = scratch.portal_env(args.url, broker=args.redis_broker, cache_url=args.redis_cache)
            for number in (1, 2):
                started.start(
                    f"celery-{number}",
                    [
                        scratch.PYTHON,
                        "-m",
                        "celery",
                        "-A",
                        "friendship_portal",
                        "worker",
                        "--concurrency",
                        "1",
                        "--hostname",
                        f"bench{number}@%h",
                        "--loglevel",
                        "INFO",
                    ],
                    env,
                )
            hosts = [gunicorn(started, env, args.port + offset, 2) for offset in (0, 1)]
            for host in hosts:
                health = wait_healthy(host, started)
                warm_up(host, 2, "", password)
            report.append(f"- 2 × gunicorn (2 workers), 2 Celery workers; /healthz {health}")
            report += ["", "Shared cache:", "", *cache_check(hosts, codes, args.redis_cache, password)]
            prefix = locust(hosts, args, codes, ask_reports=True)
            finished = django_side(args.url, "jobcheck.py", "wait", began.isoformat(), env=env)
            report += [
                "",
                f"Reports asked during the run: {finished['jobs']} jobs ({finished['by_kind']}); by state "
                f"{finished['by_state']}; by the number of times a worker claimed them {finished['by_attempts']}; "
                f"done without a file: {finished['without_file']}.",
            ]
            twice = django_side(args.url, "jobcheck.py", "twice", env=env)
            report.append(
                f"One report handed to the broker twice (job {twice['job']}): {twice['state']}, "
                f"claimed {twice['attempts']} time(s){', ' + twice['error'] if twice['error'] else ''}."
            )
        report += ["", locust_table(prefix), ""]
        if args.capacity and not args.two_instances:
            report += ["### Capacity", "", *capacity_lines, ""]
    finally:
        started.stop_all()
        with contextlib.suppress(SystemExit):
            cleaned = django_side(args.url, "jobcheck.py", "clean", began.isoformat())
            scratch.log(f"deleted the {cleaned['deleted']} jobs this run made")
    print("\n".join(report))


if __name__ == "__main__":
    main()

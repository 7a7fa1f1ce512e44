"""Load test of the portal with Locust: three kinds of users, each signing in through the real login form.

    .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8001 --headless -u 8 -r 4 -t 60s

bench/load.py starts gunicorn on a scratch database, runs this file and prints the figures; see
bench/README.md. The portal is taken to run in production mode behind its TLS proxy: every request
carries `X-Forwarded-Proto: https` (as the proxy sets it), and the session's secure cookies are sent
back over the plain connection to gunicorn, as the proxy would.

- Union staff: the lists, a student search, a delegation's page, the month's payments.
- An association leader: home, "waiting for me", the association's members and delegations.
- The provincial office: the dashboard, the pages of a Lao province, a country and an association,
  the reports page. It signs in with a second step: a backup code from BENCH_PROVINCE_CODES
  (comma-separated; bench/load.py makes them). With BENCH_ASK_REPORTS=1 it also asks for a report now
  and then (on each visit of the reports page; with Celery workers: bench/load.py --two-instances).

BENCH_HOSTS (comma-separated base URLs) spreads the users over several instances, one after another;
BENCH_WAIT ("min,max" seconds, default 0.5,1.5) is the pause between two pages of a user.
"""

import itertools
import os
import random
import re
from urllib.parse import urlsplit

from locust import HttpUser, between, task
from requests.cookies import RequestsCookieJar

PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "HuuNghi@2026")
HOSTS = [host.strip() for host in os.environ.get("BENCH_HOSTS", "").split(",") if host.strip()]
PROVINCE_CODES = [code for code in os.environ.get("BENCH_PROVINCE_CODES", "").split(",") if code]
ASK_REPORTS = os.environ.get("BENCH_ASK_REPORTS", "") == "1"
# Seconds a user waits between two pages, "min,max" (0,0 measures what the server can take).
WAIT = [float(value) for value in os.environ.get("BENCH_WAIT", "0.5,1.5").split(",")]
LEADERS = ["leader.laos", "leader.russia"]
# Names the demo and the load give Lao students (a search finds some).
SEARCHES = ["Phom", "Vong", "Keo", "Sisa", "Chan", "Inthav"]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')
_next_host = itertools.count()


class BehindTheProxy(RequestsCookieJar):
    """Keeps the portal's secure cookies as plain ones, so they go back over http to gunicorn: the TLS
    proxy in front of it would send them. (requests copies the session's cookies into a new jar for
    every request, so a cookie policy of the session's jar would not be used.)"""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(WAIT[0], WAIT[-1])
    username = ""

    def on_start(self):
        if HOSTS:
            self.client.base_url = HOSTS[next(_next_host) % len(HOSTS)]
        self.origin = "https://" + urlsplit(self.client.base_url).netloc
        self.client.cookies = BehindTheProxy()
        self.client.headers.update({"X-Forwarded-Proto": "https"})
        self.log_in()

    # --- signing in ------------------------------------------------------------------------------------

    def post_form(self, path: str, data: dict, *, name: str, html: str = ""):
        """POST the form of the page at `path` (its HTML fetched unless given), with its CSRF token and the
        Referer the portal checks on a secure request."""
        found = CSRF.search(html)
        if not found:
            with self.client.get(path, name=f"{name} (form)", catch_response=True) as response:
                found = CSRF.search(response.text)
                if not found:
                    response.failure("no CSRF token on the page")
                    return None
        headers = {"Referer": self.origin + path}
        response = self.client.post(
            path, data={"csrfmiddlewaretoken": found[1], **data}, headers=headers, name=name, allow_redirects=False
        )
        if not response.is_redirect:
            return response
        # The page it leads to is a request of its own (a login's time is the password check).
        location = response.headers["Location"]
        return self.client.get(location, name=f"{name} → {re.sub(r'[?].*', '', location)}")

    def log_in(self):
        response = self.post_form("/accounts/login/", {"username": self.username, "password": PASSWORD}, name="login")
        if response is not None and "/accounts/login/code/" in response.url:
            code = PROVINCE_CODES.pop() if PROVINCE_CODES else ""
            if not code:
                raise RuntimeError(f"{self.username} owes a second step: set BENCH_PROVINCE_CODES")
            path = urlsplit(response.url)
            response = self.post_form(f"{path.path}?{path.query}", {"code": code}, name="login code")
        if response is None or "/accounts/login/" in response.url:
            raise RuntimeError(f"{self.username} could not sign in ({response and response.url})")
        self.landing = response.text

    def page(self, path: str, name: str = "") -> str:
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if "/accounts/login/" in response.url:
                response.failure("sent to the login page")
            return response.text or ""


class UnionStaff(PortalUser):
    weight = 5
    username = "staff"

    @task(3)
    def lists(self):
        self.page(
            random.choice(  # nosec B311  # which page to open, not a secret
                [
                    "/associations/members/",
                    "/associations/partners/",
                    "/associations/activities/",
                    "/delegations/outbound/",
                    "/delegations/inbound/",
                    "/scholarships/students/",
                    "/aid-projects/projects/",
                    "/aid-projects/donors/",
                ]
            )
        )

    @task(2)
    def search_a_student(self):
        query = random.choice(SEARCHES)  # nosec B311
        self.page(f"/scholarships/students/?q={query}", name="/scholarships/students/?q=[name]")

    @task(2)
    def open_a_delegation(self):
        found = links(self.page("/delegations/outbound/"), r'href="(/delegations/\d+/)"')
        if found:
            self.page(random.choice(found), name="/delegations/[id]/")  # nosec B311

    @task(1)
    def payments(self):
        self.page("/scholarships/payments/")


class AssociationLeader(PortalUser):
    weight = 2

    def on_start(self):
        self.username = random.choice(LEADERS)  # nosec B311
        super().on_start()

    @task(2)
    def home(self):
        self.page("/")

    @task(2)
    def waiting_for_me(self):
        self.page("/delegations/waiting/")

    @task(2)
    def own_members(self):
        self.page("/associations/members/")

    @task(1)
    def own_delegations(self):
        self.page("/delegations/outbound/")


class ProvincialOffice(PortalUser):
    weight = 1
    username = "province"

    def on_start(self):
        super().on_start()
        dashboard = self.landing or self.page("/dashboard/")
        self.places = links(dashboard, r'href="(/dashboard/(?:lao-provinces|associations)/\d+/)"')

    @task(3)
    def dashboard(self):
        self.page("/dashboard/")

    @task(2)
    def a_place(self):
        if self.places:
            path = random.choice(self.places)  # nosec B311
            self.page(path, name=re.sub(r"\d+", "[id]", path))

    @task(1)
    def a_country(self):
        self.page("/dashboard/countries/LA/", name="/dashboard/countries/[code]/")

    @task(1)
    def reports_page(self):
        html = self.page("/reports/")
        if ASK_REPORTS:
            token = SUBMISSION.search(html)
            year = random.choice([2024, 2025, 2026])  # nosec B311
            kind = random.choice(["portal.budget_summary", "aid_projects.yearly_summary"])  # nosec B311
            self.post_form(
                "/reports/",
                {"kind": kind, "year": year, "submission": token[1] if token else ""},
                name="/reports/ (ask)",
                html=html,
            )

"""No query string makes a page fail.

The walk finds every page of the URL map that answers GET (the admin aside): those without an
argument, and those of one record, filled from a small world of records of the Việt Nam–Lào
association. Each is sent, as union staff and as that association's leader, every parameter a page
of the portal reads (and every filter of the page's own filter panel) with each hostile value: a NUL
byte, numbers out of any range, text where a number belongs, quotes, markup, a very long string,
nothing, the parameter twice. The answer is a page (200), a redirect, a refusal (403, 404) or the
portal's own "bad request" page (400) — never a server error.
"""

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import URLPattern, reverse
from django.utils import timezone

from associations.models import Member
from friendship_portal.core.models import Job
from friendship_portal.core.record_views import XLSX, RecordListView
from friendship_portal.core.register import outgoing_document_register, union_body
from tests import factories
from tests.aid_projects import factories as aid
from tests.delegations import factories as trips
from tests.scholarships import factories as scholarships
from tests.urlmap import routes

HOSTILE = {
    "nul inside": ["Hà\x00Tĩnh"],
    "minus one": ["-1"],
    "huge": ["99999999999"],
    "letters": ["abc"],
    "exponent": ["1e9"],
    # a quote, SQL and markup at once: each page escapes all three or fails on this one
    "quote, injection, markup": ["' \" OR 1=1 --<script>alert(1)</script>"],
    "long": ["Hà Tĩnh " * 625],  # 5,000 characters
    "empty": [""],
    "repeated": ["2025", "abc"],
    "a digit that is no number": ["²"],
    "beyond any integer": ["9" * 30],
    "the last month of time": ["9999-12"],
    "the first month of time": ["0001-01"],
}
# What any page of the portal reads from its query string (`download` is the IATI file's).
COMMON_NAMES = ("q", "page", "year", "month", "status", "kind", "sort", "order", "export", "format", "download", "id")
ALLOWED = {200, 302, 400, 403, 404}

# Where a record's id comes from, by the page's URL name (the first pattern that matches wins).
ARGUMENTS = [
    (r"^associations:association_", "association"),
    (r"^associations:branch_", "branch"),
    (r"^associations:member_", "member"),
    (r"^associations:leadership_", "leadership"),
    (r"^associations:plan_", "plan"),
    (r"^associations:activity_", "activity"),
    (r"^associations:partner_", "partner"),
    (r"^delegations:inbound_", "inbound"),
    (r"^delegations:attachment_download$", "attachment"),
    (r"^delegations:", "outbound"),
    (r"^scholarships:(student_|award_create$)", "student"),
    (r"^scholarships:institution_", "institution"),
    (r"^scholarships:yearlybudget_", "budget"),
    (r"^aid_projects:(project_|disbursement_create$)", "project"),
    (r"^aid_projects:report_submit$", "progress_report"),
    (r"^aid_projects:donor_detail$", "donor"),
    (r"^aid_projects:import_template$", "import_kind"),
    (r"^choices$", "choice_source"),
    (r"^dashboard_lao_province$", "lao_province"),
    (r"^dashboard_country$", "country"),
    (r"^dashboard_association$", "association"),
    (r"^import_", "import_job"),
    (r"^report_", "report_job"),
    (r"^document_register_file$", "register_entry"),
]


def portal_pages() -> list[tuple[str, URLPattern]]:
    return [(name, pattern) for route, name, pattern in routes() if name and not route.startswith("admin/")]


def argument_of(name: str) -> str | None:
    return next((key for expression, key in ARGUMENTS if re.search(expression, name)), None)


def filter_names(pattern: URLPattern) -> list[str]:
    """The filters of the page's own filter panel (a record list's, or the IATI page's projects')."""
    pages = getattr(pattern.callback, "view_initkwargs", {}).get("pages")
    if pages is None and pattern.name == "iati":
        from aid_projects.views import PROJECTS

        pages = PROJECTS
    return list(pages.filterset_class.base_filters) if pages is not None else []


PAGES = portal_pages()


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-media")
    with override_settings(MEDIA_ROOT=folder):
        yield folder


@pytest.fixture
def media_root(module_media):
    """Instead of the suite's per-test folder (tests/conftest.py): the world wrote its files here."""
    return module_media


@pytest.fixture
def cast(module_cast):
    return module_cast


@pytest.fixture(scope="module")
def world(module_media, cast_of_the_module, django_db_blocker) -> dict:
    """One record of every kind a page shows, the Việt Nam–Lào association's where it has an owner;
    built once, inside the transaction `cast_of_the_module` holds open around the module."""
    with django_db_blocker.unblock():
        return build_world(cast_of_the_module)


def build_world(cast) -> dict:
    outbound = trips.DelegationFactory(association=cast.laos)
    project = aid.AidProjectFactory()
    now = timezone.now()
    return {
        "association": cast.laos.pk,
        "branch": factories.BranchFactory(association=cast.laos).pk,
        "member": factories.MemberFactory(association=cast.laos).pk,
        "leadership": factories.LeadershipPositionFactory(association=cast.laos).pk,
        "plan": factories.WorkPlanFactory(association=cast.laos).pk,
        "activity": factories.ActivityFactory(association=cast.laos).pk,
        "partner": factories.PartnerFactory(association=cast.laos).pk,
        "outbound": outbound.pk,
        "inbound": trips.DelegationFactory(association=cast.laos, inbound=True).pk,
        "attachment": trips.AttachmentFactory(delegation=outbound).pk,
        "student": scholarships.EnrollmentFactory().student_id,
        "institution": scholarships.institution("ĐH Hà Tĩnh").pk,
        "budget": scholarships.YearlyBudgetFactory(year=datetime.date.today().year).pk,
        "project": project.pk,
        "progress_report": aid.ProgressReportFactory().pk,
        "donor": aid.DonorFactory().pk,
        "import_kind": "projects",
        "choice_source": "partners",
        "lao_province": scholarships.province("LA-BL").pk,
        "country": "LA",
        "import_job": Job.objects.create(
            family=Job.Family.IMPORT, kind="students", title="sinh-vien.xlsx", requested_by=cast.staff, queued_at=now
        ).pk,
        "register_entry": outgoing_document_register(
            body=union_body(),
            type_code="BC",
            title="Tổng kết năm 2026",
            issued_on=datetime.date(2026, 12, 31),
            source="review:2026",
            build=lambda number: b"%PDF-1.4",
        ).pk,
        "report_job": Job.objects.create(
            family=Job.Family.REPORT,
            kind="budget_summary",
            params={"year": 2026},
            title="Tổng hợp kinh phí 2026",
            requested_by=cast.staff,
            queued_at=now,
        ).pk,
    }


def url_of(name: str, pattern: URLPattern, world: dict) -> str:
    if not pattern.pattern.converters:
        return reverse(name)
    (argument,) = pattern.pattern.converters
    return reverse(name, kwargs={argument: world[argument_of(name)]})


def test_every_page_with_an_argument_has_a_record_to_show():
    unfilled = [name for name, pattern in PAGES if pattern.pattern.converters and argument_of(name) is None]
    assert unfilled == []


def test_the_walk_finds_the_lists_and_their_filters():
    by_name = dict(PAGES)
    wanted = {"associations:member_list", "delegations:outbound_list", "scholarships:budget", "aid_projects:yearly"}
    assert wanted <= set(by_name)
    assert "joined_year" in filter_names(by_name["associations:member_list"])
    assert "disbursed_in" in filter_names(by_name["aid_projects:iati"])


def modes_of(client, url: str, filtered: bool) -> list[dict]:
    """The ways the page answers: as a page, and as an Excel file or JSON when it offers them (asked
    once with a plain value); the hostile values go through each."""
    modes = [{}]
    if filtered and client.get(url, {"export": "xlsx"})["Content-Type"] == XLSX:
        modes.append({"export": ["xlsx"]})
    if client.get(url, {"format": "json"})["Content-Type"].startswith("application/json"):
        modes.append({"format": ["json"]})
    return modes


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "laos_leader"])
@pytest.mark.parametrize("name", [name for name, _ in PAGES])
def test_no_query_string_makes_a_page_fail(client, cast, world, who, name):
    pattern = dict(PAGES)[name]
    client.force_login(getattr(cast, who))
    client.raise_request_exception = False
    url = url_of(name, pattern, world)
    if client.get(url).status_code == 405:
        pytest.skip("answers POST only")
    # Every parameter at once: a filter whose value cannot be read is left out alone, so the others
    # still reach the database with theirs.
    names = (*COMMON_NAMES, *filter_names(pattern))
    failures = []
    for mode in modes_of(client, url, filtered=bool(filter_names(pattern))):
        for label, values in HOSTILE.items():
            response = client.get(url, {**dict.fromkeys(names, values), **mode})
            if response.status_code not in ALLOWED:
                error = response.exc_info[1] if response.exc_info else ""
                failures.append(f"{label} {mode}: {response.status_code} {error!r:.300}")
            elif response.status_code == 400:
                assert b'data-testid="bad-request"' in response.content, f"{label} {mode}"
                assert b'<html lang="vi">' in response.content, f"{label} {mode}"
    assert failures == []


# --- the rules behind it ---------------------------------------------------------------------------


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?q=%00", "?joined_year=2020&q=Tr%00n", "?%00=1", "?page=1&page=%00"])
def test_a_nul_anywhere_in_the_query_string_gets_the_400_page_before_the_list_runs(client, cast, monkeypatch, query):
    def must_not_run(*args, **kwargs):
        raise AssertionError("the list read a NUL character")

    monkeypatch.setattr(RecordListView, "filtered", must_not_run)
    client.force_login(cast.staff)
    response = client.get(reverse("associations:member_list") + query)
    assert response.status_code == 400
    assert b'data-testid="bad-request"' in response.content
    assert b'<html lang="vi">' in response.content
    assert b"NUL" in response.content  # the reason is named
    assert b'data-nav="members"' in response.content  # in the portal's layout, with the user's menu


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_the_400_page_too(client):
    response = client.get("/accounts/login/?next=%00")
    assert response.status_code == 400
    assert b'data-testid="bad-request"' in response.content


@pytest.mark.django_db
def test_an_unknown_host_gets_the_portal_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["huunghi.example"]
    response = client.get("/accounts/login/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert b'data-testid="bad-request"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["-1", "99999999999", "1999", "abc", "2e3", "²⁰²⁶"])
@pytest.mark.parametrize("page", ["scholarships:budget", "aid_projects:yearly", "dashboard"])
def test_a_year_the_portal_does_not_show_falls_back_to_this_year_and_says_so(login, cast, page, value):
    this_year = timezone.localdate().year
    response = login(cast.staff).get(reverse(page), {"year": value})
    assert response.status_code == 200
    shown = response.context["execution"]["year"] if page == "scholarships:budget" else response.context["year"]
    assert shown == this_year
    [message] = shown_messages(response)
    assert value[:20] in message and str(this_year) in message


@pytest.mark.django_db
def test_next_year_and_the_first_year_are_shown_without_a_word(login, cast):
    client = login(cast.staff)
    for year in (2000, timezone.localdate().year + 1):
        response = client.get(reverse("dashboard"), {"year": year})
        assert response.context["year"] == year
        assert shown_messages(response) == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9999-12", "0001-01", "2026-13", "abc", "99999999999"])
def test_a_month_the_portal_does_not_show_falls_back_to_this_month_and_says_so(login, cast, value):
    response = login(cast.staff).get(reverse("scholarships:payments"), {"month": value})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
    [message] = shown_messages(response)
    assert value in message


@pytest.mark.django_db
def test_a_filter_that_cannot_be_read_is_left_out_and_the_others_still_apply(login, cast):
    factories.MemberFactory(association=cast.laos, full_name="Nguyễn Văn Lào")
    factories.MemberFactory(association=cast.russia, full_name="Trần Thị Nga")
    response = login(cast.staff).get(
        reverse("associations:member_list"), {"association": cast.laos.pk, "joined_year": "abc"}
    )
    assert response.status_code == 200
    # The association filter still applies.
    laos_members = Member.objects.filter(association=cast.laos).count()
    assert response.context["page"].paginator.count == laos_members < Member.objects.count()
    [message] = shown_messages(response)
    assert str(response.context["filterset"].form.fields["joined_year"].label) in message
    assert response.context["filterset"].form.errors["joined_year"]  # and the reason under the field


@pytest.mark.django_db
def test_report_ids_too_big_or_not_plain_digits_are_ignored(login, cast):
    response = login(cast.staff).get(reverse("reports"), {"format": "json", "id": ["²", "9" * 30, "-1"]})
    assert response.status_code == 200
    assert response.json() == {"jobs": []}

"""No English of Django's own on a Vietnamese screen. Union staff, a leader, the provincial office and
the administrator each log in and open every page their menu leads to, the tabs of those pages and the
records they list (and the dashboard's place and association pages); union staff also open every form
for a new record, an edit and a delete page and the steps' pages, and send one form empty. Records are
present, so statuses, time spans ("quá 1 tuần 2 ngày"), pagination and empty choices render. The
visible text (document.body.innerText, and the placeholders of visible fields) must hold none of the
English words below. The admin site is left out; the records are written in Vietnamese, so no word of
theirs is taken for English."""

import datetime
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aid_projects.models import AidProject
from delegations.models import Delegation
from delegations.reminders import report_reminders_send
from scholarships.models import Enrollment
from tests import factories
from tests.aid_projects.factories import DisbursementFactory, DonorFactory, ProgressReportFactory, project_in
from tests.delegations.factories import DelegationFactory, RecoveryRecordFactory, TripReportFactory
from tests.scholarships.factories import AwardFactory, EnrollmentFactory, PaymentFactory, StudentFactory, province

ROLES = ("staff", "leader.laos", "province", "admin")

# Django's own English, whole words. Lower-case ones are matched in any case, the rest as written
# (Vietnamese has "no" and "may" of its own, never capitalised in a label).
ENGLISH = [
    *["week", "weeks", "month", "months", "day", "days", "year", "years", "ago"],
    *["hour", "hours", "minute", "minutes", "second", "seconds", "of", "the", "and", "or"],
    *["Yes", "No", "Unknown", "None", "Previous", "Next", "Page", "First", "Last", "Show", "All"],
    *["Select", "Choose", "Save", "Delete", "Add", "Change", "History", "Search", "Filter", "Submit"],
    *["Cancel", "Edit", "Details", "Export", "Import", "Download", "Upload", "Back", "Home", "Dashboard"],
    *["Today", "Yesterday", "Tomorrow", "Now", "Clear", "Reset", "Apply", "Close", "Print", "Loading"],
    *["Currently", "Remove", "Browse", "This field is required", "Enter a valid", "Ensure this value"],
    *["Log out", "Log in", "---------"],
    *["January", "February", "March", "April", "May", "June", "July", "August", "September"],
    *["October", "November", "December"],
    *["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
]
PATTERNS = [
    re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", 0 if word[0].isupper() or not word[0].isalpha() else re.I)
    for word in ENGLISH
]

# Not followed: the admin site, files, exports, language and log-out forms.
SKIP = re.compile(
    r"^/(admin|i18n|accounts/logout|healthz|csp-report)/|\.(xlsx|docx|xml|pdf|csv)$|/download/|/export|"
    r"/attachments/\d+/$|/template|/retry/$|/iati/download"
)
# How many addresses of a kind are read (a record's number is its kind's "N"): one unless named here,
# a delegation in each state (each role is offered other steps), union staff a few more records.
EACH_KIND = {"/delegations/N/": 6}
STAFF_EACH_KIND = {**EACH_KIND, "/scholarships/students/N/": 3, "/aid-projects/projects/N/": 2}
# Every record's edit and delete pages share one template each: one of each is read. Union staff also
# read every form for a new record and every step's page; the other roles, who are shown the same
# forms (or none), read the pages of records.
SHARED = re.compile(r"/N/(edit|delete)/$")
DEPTH = {True: 3, False: 1}  # links followed from the menu: union staff's, the others'
STAFF_ONLY = re.compile(r"/N/[\w-]+/|/new/$|^/accounts/(?!notifications/)")


@pytest.fixture
def records(demo_accounts, settings):
    """A few records of each kind, in the states whose pages say the most: an overdue post-trip report,
    plans waiting for the leader and for the province, a passport expiring in six weeks and a residence
    card expired, unpaid allowances, aid reports overdue and due soon; lists of three, two to a page."""
    settings.PORTAL_PAGE_SIZE = 2
    settings.ALERTS_PAGE_SIZE = 2
    settings.WAITING_PAGE_SIZE = 2
    today = timezone.localdate()
    days = datetime.timedelta(days=1)
    laos = factories.association("laos")
    savannakhet = province("LA-SV")

    # Associations' work and the partner directory.
    for name in ("Nguyễn Thị Hương", "Trần Văn Minh", "Lê Thị Lan"):
        factories.MemberFactory(association=laos, full_name=name)
    factories.BranchFactory(association=laos, name="Chi hội Cẩm Xuyên")
    factories.LeadershipPositionFactory(association=laos, person_name="Phan Văn Hòa")
    factories.WorkPlanItemFactory(plan=factories.WorkPlanFactory(association=laos, year=today.year))
    factories.ActivityFactory(association=laos, title="Giao lưu hữu nghị Việt – Lào", held_on=today - 20 * days)
    partner = factories.PartnerFactory(name="Sở Ngoại vụ tỉnh Savannakhet", lao_province=savannakhet)
    factories.PartnerContactFactory(partner=partner, full_name="Khamphouvong Sisavath")

    # Delegations: a report overdue by nine days, plans waiting, a visit, a mission, a report.
    DelegationFactory(
        title="Đoàn công tác sang tỉnh Savannakhet",
        status=Delegation.Status.RETURNED,
        start_date=today - 30 * days,
        report_due_on=today - 9 * days,
    )
    DelegationFactory(title="Đoàn chúc Tết Bunpimay", status=Delegation.Status.SUBMITTED, start_date=today + 40 * days)
    DelegationFactory(title="Đoàn dự hội nghị ba tỉnh", status=Delegation.Status.ENDORSED, start_date=today + 50 * days)
    DelegationFactory(title="Đoàn Ủy ban nhân dân tỉnh Bôlykhămxay", inbound=True, start_date=today + 20 * days)
    RecoveryRecordFactory(delegation__start_date=today - 60 * days, lao_province=province("LA-BL"))
    TripReportFactory(delegation__title="Đoàn khảo sát đào tạo nghề", delegation__start_date=today - 90 * days)
    report_reminders_send(today=today)  # notices of the overdue report, with its span

    # Lao students: documents expiring and expired, allowances paid and unpaid.
    student = StudentFactory(
        full_name="Souksavanh Keobounphanh",
        lao_province=savannakhet,
        passport_expiry=today + 45 * days,
        residence_expiry=today - 10 * days,
    )
    month = today.replace(day=1)
    award = AwardFactory(
        enrollment=EnrollmentFactory(student=student, start_date=today - 200 * days),
        academic_year=today.year - 1,
        first_month=(month - 60 * days).replace(day=1),
    )
    PaymentFactory(award=award, month=(month - 60 * days).replace(day=1), paid_on=month - 50 * days)
    PaymentFactory(award=award, month=(month - 30 * days).replace(day=1))
    EnrollmentFactory(
        student=StudentFactory(full_name="Khamla Sisavath", lao_province=province("LA-BL")),
        status=Enrollment.Status.GRADUATED,
        start_date=today - 1000 * days,
        ended_on=today - 100 * days,
    )
    EnrollmentFactory(student=StudentFactory(full_name="Chanthaly Inthavong", passport_expiry=today + 10 * days))

    # Aid: a project under way with reports overdue and due soon, a disbursement, a proposal.
    donor = DonorFactory(name="Tổ chức Láng giềng tốt Hàn Quốc")
    running = project_in(
        AidProject.Status.IMPLEMENTING,
        title="Nước sạch cho trường học Cẩm Xuyên",
        donors=[donor],
        decided_on=today - 400 * days,
        started_on=today - 380 * days,
        planned_start=today - 380 * days,
        planned_end=today + 300 * days,
    )
    ProgressReportFactory(
        project=running, period_start=today - 200 * days, period_end=today - 30 * days, due_on=today - 9 * days
    )
    ProgressReportFactory(
        project=running, period_start=today - 30 * days, period_end=today + 5 * days, due_on=today + 20 * days
    )
    DisbursementFactory(project=running, date=today - 100 * days)
    project_in(AidProject.Status.PROPOSED, title="Nhà văn hóa cộng đồng", donors=[donor])


def visible_text(page) -> str:
    """What a reader sees: the body's text and the placeholders of the fields shown."""
    return page.evaluate(
        """() => [document.body.innerText,
                  ...[...document.querySelectorAll('input[placeholder], textarea[placeholder]')]
                      .filter(field => field.offsetParent !== null).map(field => field.placeholder)].join('\\n')"""
    )


def english_in(text: str) -> set[str]:
    return {match.group(0) for pattern in PATTERNS for match in pattern.finditer(text)}


def links(page, selector: str) -> list[str]:
    hrefs = page.locator(selector).evaluate_all("links => links.map(link => link.getAttribute('href'))")
    paths = []
    for href in hrefs:
        parts = urlsplit(href or "")
        if parts.netloc or not parts.path.startswith("/") or parts.query or SKIP.search(parts.path):
            continue
        paths.append(parts.path)
    return paths


def read_every_page(page, found: dict, role: str) -> dict[str, str]:
    """Open the menu's pages, then the pages they link to, one address of each kind (a delegation in each
    state): a section's tabs and its records, and for union staff the records' forms and steps. Note the
    English; return the text of each page read."""
    menu = links(page, "[data-testid=main-nav] a[href], .navbar .dropdown-menu a[href]")
    queue, read, kinds = [(path, 0) for path in dict.fromkeys(["/", *menu])], {}, defaultdict(int)
    while queue:
        path, depth = queue.pop(0)
        kind = re.sub(r"\d+", "N", path)
        if role != "staff" and STAFF_ONLY.search(kind):
            continue
        if SHARED.search(kind):
            kind = SHARED.search(kind).group(1)
        if path in read or kinds[kind] >= (STAFF_EACH_KIND if role == "staff" else EACH_KIND).get(kind, 1):
            continue
        kinds[kind] += 1
        page.goto(path, wait_until="domcontentloaded")
        read[path] = visible_text(page)
        for word in english_in(read[path]):
            found[word].add(f"{role} {path}")
        if depth < DEPTH[role == "staff"]:
            queue += [(link, depth + 1) for link in links(page, "body a[href]")]
    return read


def send_empty_form(page, found: dict) -> None:
    """A form sent empty: its errors are Vietnamese too."""
    page.goto("/associations/members/new/")
    with page.expect_navigation():
        page.locator("main form[method=post] [type=submit]").last.click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_be_visible()
    for word in english_in(visible_text(page)):
        found[word].add("staff /associations/members/new/ (sent empty)")


@pytest.mark.parametrize("role", ROLES)
def test_no_english_word_on_any_page(records, new_page, log_in, role):
    """One role per test, so the browser workers share the roles."""
    found = defaultdict(set)
    page = log_in(new_page(), role)
    read = read_every_page(page, found, role)
    if role == "staff":
        send_empty_form(page, found)

    assert not found, "English on Vietnamese pages:\n" + "\n".join(
        f"{word!r}: {', '.join(sorted(pages)[:8])}" for word, pages in sorted(found.items())
    )
    assert any(path.startswith("/dashboard/lao-provinces/") for path in read), role
    assert "/scholarships/alerts/" in read and "/aid-projects/alerts/" in read, role
    assert len(read) >= 30, (role, sorted(read))
    if role == "staff":
        # The pages were read with their records: the time spans are written the Vietnamese way.
        assert "quá 1 tuần 2 ngày" in read["/delegations/overdue-reports/"]
        assert "(quá 1 tuần 2 ngày)" in read["/accounts/notifications/"]
        assert "còn 1 tháng 2 tuần" in read["/scholarships/alerts/"]
        assert "đã hết hạn" in read["/scholarships/alerts/"]
        # The aid alerts list the oldest first, a page at a time: the report nine days late is on page 2.
        page.goto("/aid-projects/alerts/?overdue_page=2")
        assert "quá 1 tuần 2 ngày" in visible_text(page)

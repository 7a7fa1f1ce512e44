"""On a 375 px phone each long list shows what its reader needs without scrolling sideways: its other
columns are drawn only from 768 px up (`d-none d-md-table-cell`). The lists drawn from RecordPages
name those columns in `phone_columns`; the hand-written alert pages mark them in their templates.
Issue 14, point 10: the status and the due date are among them. (tests/browser/test_navigation.py
looks at the same pages in Chromium at 375 px.)"""

import datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from lxml import html

from aid_projects.models import AidProject
from delegations.models import Delegation
from friendship_portal.core.record_views import LISTS
from tests import factories
from tests.aid_projects.factories import AidProjectFactory, ProgressReportFactory
from tests.delegations.factories import DelegationFactory
from tests.scholarships.factories import EnrollmentFactory, PaymentFactory

# How to make one row of each list that has phone columns.
ONE_ROW = {
    "delegations:outbound_list": lambda: DelegationFactory(status=Delegation.Status.RETURNED),
    "delegations:inbound_list": lambda: DelegationFactory(inbound=True, status=Delegation.Status.COMPLETED),
    "scholarships:student_list": lambda: EnrollmentFactory(),
    "aid_projects:project_list": lambda: AidProjectFactory(),
    "associations:member_list": lambda: factories.MemberFactory(),
    "associations:activity_list": lambda: factories.ActivityFactory(),
}

# What a phone must keep showing, whatever else a list drops: where a record stands and what falls due.
MUST_SHOW = {
    "delegations:outbound_list": {"title", "status", "report_due_on"},
    "delegations:inbound_list": {"title", "status", "report_due_on"},
    "scholarships:student_list": {"full_name", "residence_expiry"},
    "aid_projects:project_list": {"title", "status", "planned_end"},
    "associations:member_list": {"full_name", "status"},
    "associations:activity_list": {"held_on", "title"},
}

import_module(settings.ROOT_URLCONF)  # imports every app's views, where each list registers itself in LISTS
PHONE_LISTS = sorted(key for key, pages in LISTS.items() if pages.phone_columns)


def wide_only(element) -> bool:
    """Drawn only from the md breakpoint (768 px) up."""
    classes = element.get("class", "").split()
    return "d-none" in classes


def test_every_list_with_phone_columns_is_checked_here():
    assert sorted(ONE_ROW) == PHONE_LISTS, "add a row maker (ONE_ROW) and what it must show (MUST_SHOW)"
    assert sorted(MUST_SHOW) == sorted(ONE_ROW)


@pytest.mark.parametrize("key", sorted(MUST_SHOW))
def test_the_status_and_due_date_are_phone_columns(key):
    pages = LISTS[key]
    missing = MUST_SHOW[key] - set(pages.phone_columns)
    assert not missing, f"{key} hides {sorted(missing)} on a phone"
    assert set(pages.phone_columns) < set(pages.list_columns), f"{key} hides nothing on a phone"


@pytest.mark.django_db
@pytest.mark.parametrize("key", PHONE_LISTS)
def test_a_list_draws_only_its_phone_columns_on_a_phone(cast, login, key):
    pages = LISTS[key]
    ONE_ROW[key]()
    page = html.fromstring(login(cast.staff).get(reverse(key)).content)

    headers = page.xpath("//table[@data-testid='records']/thead/tr/th")
    cells = page.xpath("//table[@data-testid='records']/tbody/tr[1]/td")
    assert len(headers) == len(cells) == len(pages.list_columns)
    for name, header, cell in zip(pages.list_columns, headers, cells, strict=True):
        expected = name not in pages.phone_columns
        assert wide_only(header) == expected, f"{key}: the header of {name}"
        assert wide_only(cell) == expected, f"{key}: {name} ({cell.text_content().strip()!r})"
    for name in MUST_SHOW[key]:
        assert not wide_only(cells[pages.list_columns.index(name)]), f"{key}: {name} is hidden on a phone"


def columns(row) -> dict:
    return {cell.get("data-column"): cell for cell in row.xpath("./td")}


def assert_phone_draws(row, shown: set, hidden: set) -> None:
    cells = columns(row)
    assert set(cells) == shown | hidden, "a cell without its data-column, or a column gone"
    assert [name for name in sorted(shown) if wide_only(cells[name])] == [], "hidden on a phone"
    assert [name for name in sorted(hidden) if not wide_only(cells[name])] == [], "shown on a phone"


@pytest.mark.django_db
def test_the_overdue_reports_show_due_date_and_delay_on_a_phone(cast, login):
    trip = DelegationFactory(status=Delegation.Status.RETURNED)
    Delegation.objects.filter(pk=trip.pk).update(report_due_on=timezone.localdate() - datetime.timedelta(days=20))
    page = html.fromstring(login(cast.staff).get(reverse("delegations:overdue")).content)

    (row,) = page.xpath(f"//tr[@data-testid='overdue-{trip.pk}']")
    assert_phone_draws(row, shown={"delegation", "due", "overdue"}, hidden={"association", "returned"})
    assert columns(row)["overdue"].xpath(".//span[contains(@class, 'badge')]")


@pytest.mark.django_db
def test_the_scholarship_alerts_show_expiry_and_month_on_a_phone(cast, login):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=20)
    enrollment = EnrollmentFactory(student__passport_expiry=soon, student__residence_expiry=soon)
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    payment = PaymentFactory(award__enrollment=enrollment, month=last_month)
    page = html.fromstring(login(cast.staff).get(reverse("scholarships:alerts")).content)

    (student,) = page.xpath(f"//tr[@data-testid='expiring-{enrollment.student_id}']")
    assert_phone_draws(
        student,
        # The phone's own cell holds both dates with their badges; the two wide cells hold them apart.
        shown={"student", "expires"},
        hidden={"province", "passport", "passport-expiry", "residence-expiry"},
    )
    assert columns(student)["expires"].xpath(".//*[@data-expiry='expiring']")
    (unpaid,) = page.xpath(f"//tr[@data-testid='overdue-{payment.pk}']")
    assert_phone_draws(unpaid, shown={"month", "student", "amount"}, hidden={"institution", "kind"})


@pytest.mark.django_db
def test_the_aid_alerts_show_due_dates_on_a_phone(cast, login):
    today = timezone.localdate()
    overdue = ProgressReportFactory(due_on=today - datetime.timedelta(days=40))
    due_soon = ProgressReportFactory(due_on=today + datetime.timedelta(days=10))
    idle = AidProjectFactory(
        status=AidProject.Status.APPROVED, decision_number="88/QĐ-UBND", decision_date=today - datetime.timedelta(400)
    )
    page = html.fromstring(login(cast.staff).get(reverse("aid_projects:alerts")).content)

    for testid, report in [("overdue", overdue), ("due-soon", due_soon)]:
        (row,) = page.xpath(f"//tr[@data-testid='{testid}-{report.pk}']")
        assert_phone_draws(row, shown={"due", "project"}, hidden={"report", "period"})
    (row,) = page.xpath(f"//tr[@data-testid='overdue-{overdue.pk}']")
    assert columns(row)["due"].xpath(".//span[contains(@class, 'badge')]")
    (row,) = page.xpath(f"//tr[@data-testid='not-started-{idle.pk}']")
    assert_phone_draws(row, shown={"project", "revocable"}, hidden={"decision"})

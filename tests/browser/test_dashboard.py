"""The provincial officer reads the dashboard of the demo data in Chromium: the remains repatriated
since 1999 and the Lao students trained, another year through the selector, then a figure opened
into the list of the students it counts. A leader reads it on a phone."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from delegations.demo import RECOVERY_TOTAL
from delegations.models import Delegation
from scholarships.demo import CURRENT_STUDENTS, FIRST_YEAR, PAST_STUDENTS
from scholarships.models import Enrollment, Student
from scholarships.signals import refresh_current_enrollments
from tests.browser.conftest import PHONE
from tests.browser.test_delegation_cycle import assert_fits_the_screen, go_to
from tests.delegations.factories import RecoveryRecordFactory
from tests.scholarships.factories import EnrollmentFactory, StudentFactory, institution, province


@pytest.fixture(autouse=True)
def demo_figures(demo_accounts):
    """The demo's headline figures, rather than the whole demo: 769 remains repatriated since 1999 by
    three missions, and 3,150 Lao students trained since 2005, 530 of them studying now."""
    for year, repatriated in ((1999, 210), (2008, 265), (2019, RECOVERY_TOTAL - 210 - 265)):
        RecoveryRecordFactory(
            delegation__title=f"Đoàn tìm kiếm, quy tập hài cốt liệt sĩ tại tỉnh Bôlykhămxay mùa khô {year - 1}–{year}",
            delegation__status=Delegation.Status.CLOSED,
            delegation__start_date=datetime.date(year, 1, 10),
            remains_recovered=repatriated + 2,
            remains_repatriated=repatriated,
            handover_date=datetime.date(year, 1, 19),
        )
    this_year = timezone.localdate().year
    students = Student.objects.bulk_create(
        StudentFactory.build_batch(PAST_STUDENTS + CURRENT_STUDENTS, lao_province=province("LA-BL"))
    )
    university = institution("ĐH Hà Tĩnh")
    enrollments = []
    for index, student in enumerate(students):
        if index < PAST_STUDENTS:  # two years each, every year since 2005, all ended by last year
            start_year = FIRST_YEAR + index % (this_year - 2 - FIRST_YEAR)
            status, end = Enrollment.Status.GRADUATED, datetime.date(start_year + 2, 6, 30)
        else:  # began one to three years ago
            start_year = this_year - 1 - index % 3
            status, end = Enrollment.Status.STUDYING, datetime.date(start_year + 4, 6, 30)
        enrollments.append(
            EnrollmentFactory.build(
                student=student,
                institution=university,
                start_date=datetime.date(start_year, 9, 5),
                expected_end=end,
                status=status,
                ended_on=end if status == Enrollment.Status.GRADUATED else None,
            )
        )
    Enrollment.objects.bulk_create(enrollments)
    refresh_current_enrollments([student.pk for student in students])  # bulk_create sends no signal


@pytest.fixture(autouse=True)
def fresh_figures():
    """The live server shares this process's cache: start from figures computed on the demo data."""
    cache.clear()
    yield
    cache.clear()


def figure(page, testid: str) -> int:
    """The figure a tile or a row writes ("3.150" → 3150)."""
    locator = page.locator(f"[data-testid={testid}]")
    value = locator.locator(".dash-value")
    text = (value if value.count() else locator).inner_text()
    return int(re.sub(r"\D", "", text))


def test_the_provincial_office_reads_the_dashboard_and_opens_a_figure(new_page, log_in):
    """One test: the demo data is loaded once for the desktop and the phone."""
    page = log_in(new_page(), "province")
    go_to(page, "dashboard")
    assert page.url.endswith("/dashboard/"), page.url
    expect(page.locator("[data-testid=section-remains]")).to_be_visible()
    assert figure(page, "fig-remains-total") == 769
    trained_to_date = figure(page, "fig-trained")
    assert trained_to_date > 3000

    with page.expect_navigation():
        page.select_option("[data-testid=year-select]", "2025")
    assert page.url.endswith("?year=2025"), page.url
    expect(page.locator("[data-testid=year-select]")).to_have_value("2025")
    expect(page.locator("h1")).to_contain_text("2025")
    trained = figure(page, "fig-trained")
    assert 0 < trained <= trained_to_date  # trained by the end of 2025
    assert figure(page, "fig-remains-total") == 769  # the total to date, whatever the year
    # The tables folded under the charts are printed with them.
    expect(page.locator("[data-testid=table-aid]")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator("[data-testid=table-aid]")).to_be_visible()
    expect(page.locator("[data-testid=main-nav]")).to_be_hidden()
    page.emulate_media(media="screen")

    with page.expect_navigation():
        page.click("[data-testid=fig-trained]")
    assert "/scholarships/students/" in page.url and "trained_by=2025" in page.url, page.url
    count = page.locator("[data-testid=result-count]").inner_text()
    assert int(re.sub(r"\D", "", count)) == trained

    # A leader on a phone: their association's figures, told so, nothing wider than the screen.
    phone = log_in(new_page(PHONE), "leader.laos")
    phone.goto("/dashboard/")
    expect(phone.locator("[data-testid=scoped-note]")).to_be_visible()
    expect(phone.locator("[data-testid=fig-studying]")).to_be_visible()
    assert_fits_the_screen(phone)
    phone.goto("/dashboard/print/")
    expect(phone.locator("[data-testid=print-button]")).to_be_visible()
    assert_fits_the_screen(phone)

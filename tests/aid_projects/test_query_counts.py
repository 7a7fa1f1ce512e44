"""The aid pages run as many queries for a dozen projects as for two (no query per row).

Each page is read in a small world (two projects of one donor, a few disbursements and reports),
then again once the world has grown: ten more projects in every state, each with its donors,
communes, disbursements and received reports, more disbursements on the project the detail page
shows and more projects for the donor the donor page shows. The detail page also stays flat as
its project is edited again and again (its history grows).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aid_projects import services
from aid_projects.models import AidProject, Commune, ProgressReport, Sector
from tests.aid_projects.factories import (
    DisbursementFactory,
    DonorFactory,
    ProgressReportFactory,
    commune,
    project_in,
    receive_reports,
)

Status = AidProject.Status
THANH_SEN = "18073"


def pay(project, day: datetime.date, amount: str = "5000", form: str = "cash"):
    return DisbursementFactory(project=project, date=day, amount=Decimal(amount), form=form)


@pytest.fixture
def world(cast):
    """Two projects of one donor in Thành Sen: one completed on 31/10/2025 with money and reports (one
    overdue, the completion report due within the month, one received), one approved and not started."""
    donor = DonorFactory(name="Good Neighbors International")
    completed = project_in(
        Status.COMPLETED,
        ended_on=datetime.date(2025, 10, 31),
        donors=[donor],
        communes=[commune(THANH_SEN)],
        title="Nước sạch Thành Sen",
    )
    pay(completed, datetime.date(2025, 4, 15))
    pay(completed, datetime.date(2025, 9, 1), "2500", form="in_kind")
    receive_reports(completed, ProgressReport.Kind.SIX_MONTH)
    approved = project_in(
        Status.APPROVED, donors=[donor], communes=[commune(THANH_SEN)], title="Trường mầm non Cẩm Xuyên"
    )
    # Each list of the alerts page has a row already: an empty page of a list is read without a query.
    today = timezone.localdate()
    ProgressReportFactory(
        project=approved, due_on=today - datetime.timedelta(days=10), period_end=datetime.date(2025, 6, 30)
    )
    ProgressReportFactory(
        project=approved, due_on=today + datetime.timedelta(days=10), period_end=datetime.date(2025, 12, 31)
    )
    return {"donor": donor, "project": completed, "approved": approved}


def grow(world) -> None:
    """Ten more projects in every state, with donors, communes, money and reports; and more
    disbursements on the project the detail page shows."""
    donor = world["donor"]
    communes = list(Commune.objects.order_by("code")[:12])
    states = [
        Status.IMPLEMENTING, Status.IMPLEMENTING, Status.ADJUSTED, Status.COMPLETED, Status.SETTLED,
        Status.APPROVED, Status.PROPOSED, Status.UNDER_APPRAISAL, Status.REJECTED, Status.REVOKED,
    ]  # fmt: skip
    sectors = [Sector.WATER_SANITATION, Sector.EDUCATION, Sector.HEALTH]
    for number, status in enumerate(states):
        project = project_in(
            status,
            donors=[donor, DonorFactory(individual=number % 2 == 0)],
            communes=[commune(THANH_SEN), communes[number]],
            sector=sectors[number % len(sectors)],
            title=f"Nước sạch Thành Sen số {number}",
        )
        if status in AidProject.DISBURSING or status == Status.SETTLED:
            pay(project, datetime.date(2025, 5, 1))
            pay(project, datetime.date(2025, 11, 20), "3000", form="in_kind")
            pay(project, datetime.date(2026, 2, 10), "1000")
            receive_reports(project, until=datetime.date(2025, 6, 30))
    for month in range(1, 7):
        pay(world["project"], datetime.date(2025, month + 3, 10), "1000")


def queries_for(client, url) -> int:
    client.get(url)  # warm up: the session and the first reads of the request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    if response.context and "filterset" in response.context:
        assert not response.context["filterset"].errors, url  # the filter was applied, not dropped
    return len(captured.captured_queries)


def pages(world) -> dict[str, str]:
    donor, project = world["donor"], world["project"]
    project_list = reverse("aid_projects:project_list")
    filters = {
        "status": Status.COMPLETED,
        "kind": AidProject.Kind.PROJECT,
        "sector": Sector.WATER_SANITATION,
        "donor": donor.pk,
        "commune": commune(THANH_SEN).pk,
        "year": 2025,
        "disbursed_in": 2025,
    }
    return {
        "list": project_list,
        **{f"list?{name}": f"{project_list}?{name}={value}" for name, value in filters.items()},
        "list?q": f"{project_list}?q=Thành+Sen",
        "list?q&filters": f"{project_list}?q=Good+Neighbors&status=completed&disbursed_in=2025",
        "list page 2": f"{project_list}?page=2",
        "detail": reverse("aid_projects:project_detail", args=[project.pk]),
        "donors": reverse("aid_projects:donors"),
        "donor detail": reverse("aid_projects:donor_detail", args=[donor.pk]),
        "yearly": reverse("aid_projects:yearly"),
        "yearly?year": reverse("aid_projects:yearly") + "?year=2025",
        "yearly?year=all": reverse("aid_projects:yearly") + "?year=all",
        "alerts": reverse("aid_projects:alerts"),
        "iati": reverse("aid_projects:iati"),
        "iati?q": reverse("aid_projects:iati") + "?q=Thành+Sen",
        "iati download": reverse("aid_projects:iati") + "?download=1",
    }


@pytest.mark.parametrize("role", ["staff", "province"])
def test_queries_do_not_grow_with_the_projects(settings, login, cast, world, role):
    settings.PORTAL_PAGE_SIZE = 5  # the larger world fills more than one page of the list
    client = login(getattr(cast, role))
    addresses = pages(world)
    few = {name: queries_for(client, url) for name, url in addresses.items() if name != "list page 2"}

    grow(world)
    many = {name: queries_for(client, url) for name, url in addresses.items()}

    assert AidProject.objects.count() == 12
    assert many.pop("list page 2") == many["list"]
    assert many == few


@pytest.mark.parametrize("role", ["staff", "province"])
def test_detail_queries_do_not_grow_with_the_project_s_edits(login, cast, world, role):
    """Every edit of a record adds a version to its history, and the page shows what each one changed."""
    client = login(getattr(cast, role))
    project = world["approved"]
    url = reverse("aid_projects:project_detail", args=[project.pk])
    few = queries_for(client, url)

    donors, communes = [world["donor"]], [commune(THANH_SEN)]
    for number, place in enumerate(Commune.objects.exclude(code=THANH_SEN).order_by("code")[:4]):
        donors.append(DonorFactory(international_organization=True))
        communes.append(place)
        project.refresh_from_db()
        project.beneficiaries += 100
        project.summary = f"{project.summary} Giai đoạn {number + 2}."
        services.aid_project_save(actor=cast.staff, instance=project, donors=donors, communes=communes)
    many = queries_for(client, url)

    assert project.history.count() >= 10
    assert many == few

"""Factories for foreign aid: donors from the partner directory, aid projects, disbursements, reports.

The aid tests run on a stopped clock (`TODAY`, Wednesday 15 April 2026, see conftest). A donor is a
foreign NGO from the Republic of Korea; traits make it an individual, an overseas Vietnamese
community or an international organization. `AidProjectFactory` writes a row exactly as it is told,
for the figures where every amount must be in sight: a USD 85,000 clean-water project for schools
planned 01/03/2025–31/12/2026 with one donor. `project_in(status)` instead takes a new record
through the real services to any state, the way union staff and the provincial office would.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from aid_projects import services, totals
from aid_projects.models import AidEvent, AidProject, Commune, Disbursement, ProgressReport, Sector, vnd_equivalent
from associations.models import Partner
from tests.factories import UserFactory

TODAY = datetime.date(2026, 4, 15)
DECIDED_ON = datetime.date(2025, 1, 15)  # approved 15 months before TODAY: long revocable if not started
STARTED_ON = datetime.date(2025, 3, 1)
ENDED_ON = datetime.date(2026, 2, 28)
ADJUSTED_END = datetime.date(2027, 6, 30)

Status = AidProject.Status


def commune(code: str) -> Commune:
    """One of the 69 communes and wards loaded by the migration: "18073" is Phường Thành Sen."""
    return Commune.objects.get(code=code)


def staff():
    """The cast's staff member (UserFactory gets or creates by username)."""
    return UserFactory(username="staff", roles=["union_staff"])


def province():
    """The cast's provincial officer."""
    return UserFactory(username="province", roles=["provincial_office"])


def events_of(project) -> list[AidEvent]:
    return list(AidEvent.objects.filter(project=project).order_by("pk"))


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    class Params:
        individual = factory.Trait(
            kind=Partner.Kind.INDIVIDUAL, name=factory.Sequence(lambda n: f"Bà Kim Min-ji {n}"), country="KR"
        )
        overseas_vietnamese = factory.Trait(
            kind=Partner.Kind.OVERSEAS_VIETNAMESE,
            name=factory.Sequence(lambda n: f"Cộng đồng người Việt Nam tại Thái Lan {n}"),
            country="TH",
        )
        international_organization = factory.Trait(
            kind=Partner.Kind.INTERNATIONAL_ORGANIZATION,
            name=factory.Sequence(lambda n: f"Quỹ Nhi đồng Liên hợp quốc {n}"),
            country="US",
        )

    name = factory.Sequence(lambda n: f"Good Neighbors International {n}")
    kind = Partner.Kind.FOREIGN_NGO
    country = "KR"
    association = None


class AidProjectFactory(factory.django.DjangoModelFactory):
    """A row as told; `donors=[...]` and `communes=[...]` set the links (one new donor by default)."""

    class Meta:
        model = AidProject
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"VT-2025-{n:03d}")
    title = factory.Sequence(lambda n: f"Nước sạch cho trường học số {n}")
    summary = "Lắp hệ thống lọc nước và nhà vệ sinh cho các trường tiểu học."
    kind = AidProject.Kind.PROJECT
    status = Status.PROPOSED
    sector = Sector.WATER_SANITATION
    managing_agency = "UBND tỉnh Hà Tĩnh"
    aid_owner = "Sở Giáo dục và Đào tạo"
    beneficiaries = 1200
    planned_start = datetime.date(2025, 3, 1)
    planned_end = datetime.date(2026, 12, 31)
    currency = "USD"
    commitment_amount = Decimal("85000")
    exchange_rate = Decimal("25400")
    commitment_vnd = factory.LazyAttribute(
        lambda project: vnd_equivalent(project.commitment_amount, project.exchange_rate)
    )
    counterpart_vnd = Decimal("150000000")

    @classmethod
    def _generate(cls, strategy, params):
        """The record and its links worked out in the kept breakdowns once, as `aid_project_save` does
        (`create`, `create_batch` and a SubFactory all come through here)."""
        with totals.kept_once():
            return super()._generate(strategy, params)

    @factory.post_generation
    def donors(self, create, extracted, **kwargs):
        if create:
            self.donors.set([DonorFactory()] if extracted is None else extracted)

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)


class DisbursementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disbursement

    project = factory.SubFactory(
        AidProjectFactory,
        status=Status.IMPLEMENTING,
        decision_number="125/QĐ-UBND",
        decision_date=DECIDED_ON,
        actual_start=STARTED_ON,
    )
    date = datetime.date(2025, 4, 15)
    amount = Decimal("20000")
    currency = "USD"
    exchange_rate = Decimal("25400")
    amount_vnd = factory.LazyAttribute(lambda row: vnd_equivalent(row.amount, row.exchange_rate))
    form = Disbursement.Form.CASH
    recorded_by = factory.LazyFunction(staff)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """The first-half 2025 report of an implementing project, not yet received."""

    class Meta:
        model = ProgressReport

    project = factory.SubFactory(
        AidProjectFactory,
        status=Status.IMPLEMENTING,
        decision_number="125/QĐ-UBND",
        decision_date=DECIDED_ON,
        actual_start=STARTED_ON,
    )
    kind = ProgressReport.Kind.SIX_MONTH
    period_start = datetime.date(2025, 3, 1)
    period_end = datetime.date(2025, 6, 30)
    due_on = datetime.date(2025, 7, 15)


# --- a record taken through the real services -----------------------------------------------------


def receive_reports(project: AidProject, *kinds: str, until: datetime.date | None = None) -> None:
    """Record the project's owed reports of `kinds` (all of them when none is named) as received today;
    with `until`, only those whose period ends by then."""
    reports = project.reports.filter(submitted_on__isnull=True)
    if kinds:
        reports = reports.filter(kind__in=kinds)
    if until is not None:
        reports = reports.filter(period_end__lte=until)
    for report in reports:
        services.progress_report_submit(
            report_id=report.pk,
            actor=staff(),
            submitted_on=timezone.localdate(),
            narrative="Đã triển khai đúng tiến độ, giải ngân theo kế hoạch.",
        )


def project_in(
    status: str,
    *,
    decided_on: datetime.date = DECIDED_ON,
    started_on: datetime.date = STARTED_ON,
    ended_on: datetime.date = ENDED_ON,
    adjusted_end: datetime.date = ADJUSTED_END,
    donors=None,
    communes=(),
    **fields,
) -> AidProject:
    """A new aid record saved by staff and moved by the services, step by step, to `status`.

    Approved on `decided_on`, started on `started_on`, ended on `ended_on`; an adjusted project's
    new planned end is `adjusted_end`; a settled one has had its completion report received.
    `fields` are the record's own values (code, currency, planned_start …).
    """
    project = services.aid_project_save(
        actor=staff(),
        instance=AidProjectFactory.build(**fields),
        donors=[DonorFactory()] if donors is None else donors,
        communes=communes,
    )
    if status == Status.PROPOSED:
        return _fresh(project)
    services.aid_project_send_to_appraisal(project_id=project.pk, actor=staff())
    if status == Status.UNDER_APPRAISAL:
        return _fresh(project)
    if status == Status.REJECTED:
        services.aid_project_reject(project_id=project.pk, actor=province(), comment="Chưa đủ hồ sơ pháp lý.")
        return _fresh(project)
    services.aid_project_approve(
        project_id=project.pk, actor=province(), decision_number="125/QĐ-UBND", decision_date=decided_on
    )
    if status == Status.APPROVED:
        return _fresh(project)
    if status == Status.REVOKED:
        services.aid_project_revoke(project_id=project.pk, actor=province(), comment="Quá 6 tháng chưa triển khai.")
        return _fresh(project)
    services.aid_project_start(project_id=project.pk, actor=staff(), started_on=started_on)
    if status == Status.IMPLEMENTING:
        return _fresh(project)
    if status == Status.ADJUSTED:
        services.aid_project_adjust(
            project_id=project.pk,
            actor=province(),
            decision_number="310/QĐ-UBND",
            decision_date=timezone.localdate(),
            comment="Gia hạn thời gian thực hiện.",
            planned_end=adjusted_end,
        )
        return _fresh(project)
    services.aid_project_complete(project_id=project.pk, actor=staff(), ended_on=ended_on)
    if status == Status.COMPLETED:
        return _fresh(project)
    receive_reports(project, ProgressReport.Kind.COMPLETION)
    services.aid_project_settle(project_id=project.pk, actor=staff())
    assert status == Status.SETTLED, status
    return _fresh(project)


def _fresh(project: AidProject) -> AidProject:
    project.refresh_from_db()
    return project

"""Recording disbursements of aid and the yearly figures drawn from them.

Money is recorded while the aid runs and until it is settled: never for aid not yet started, never
before the aid started, never in advance. Each amount keeps its currency and its VND equivalent at
the day's rate, rounded to the đồng; the yearly figures add the VND equivalents.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aid_projects import selectors
from aid_projects.models import AidProject, Disbursement
from aid_projects.services import disbursement_record
from tests.aid_projects.factories import (
    STARTED_ON,
    TODAY,
    AidProjectFactory,
    DisbursementFactory,
    project_in,
)
from tests.factories import UserFactory

S = AidProject.Status
d = datetime.date


def disbursement(project, **fields) -> Disbursement:
    """An unsaved disbursement of `project`, as the form hands it to the service."""
    values = {
        "date": d(2025, 6, 10),
        "amount": Decimal("20000"),
        "currency": "USD",
        "exchange_rate": Decimal("25400"),
        "form": Disbursement.Form.CASH,
    } | fields
    return Disbursement(project=project, **values)


# --- recording ------------------------------------------------------------------------------------


def test_an_amount_in_dollars_is_converted_at_its_rate_and_rounded_to_the_dong(cast):
    project = project_in(S.IMPLEMENTING)

    recorded = disbursement_record(
        actor=cast.staff,
        instance=disbursement(project, amount=Decimal("12345.67"), exchange_rate=Decimal("25410.5")),
    )

    recorded.refresh_from_db()
    # 12,345.67 × 25,410.5 = 308,641,750 + 5,067,897.535 = 313,709,647.535 → 313,709,648
    assert recorded.amount_vnd == Decimal("313709648")
    assert (recorded.amount, recorded.currency, recorded.exchange_rate) == (
        Decimal("12345.67"),
        "USD",
        Decimal("25410.5"),
    )


def test_an_amount_in_vnd_has_the_rate_one_whatever_was_typed(cast):
    project = project_in(S.IMPLEMENTING)

    recorded = disbursement_record(
        actor=cast.staff,
        instance=disbursement(project, amount=Decimal("50000000"), currency="VND", exchange_rate=Decimal("25400")),
    )

    recorded.refresh_from_db()
    assert (recorded.exchange_rate, recorded.amount_vnd) == (Decimal(1), Decimal("50000000"))


def test_the_staff_member_who_records_is_kept_and_a_correction_does_not_replace_them(cast):
    project = project_in(S.IMPLEMENTING)
    recorded = disbursement_record(actor=cast.staff, instance=disbursement(project))
    colleague = UserFactory(username="staff.two", roles=["union_staff"])

    recorded.amount = Decimal("21000")
    disbursement_record(actor=colleague, instance=recorded)

    recorded.refresh_from_db()
    assert recorded.recorded_by == cast.staff
    assert recorded.amount_vnd == Decimal("533400000")  # 21,000 × 25,400
    assert recorded.history.first().history_user == colleague


@pytest.mark.parametrize("status", [S.IMPLEMENTING, S.ADJUSTED, S.COMPLETED])
def test_money_is_recorded_for_running_and_just_completed_aid(cast, status):
    project = project_in(status)

    disbursement_record(actor=cast.staff, instance=disbursement(project))

    assert project.disbursements.count() == 1


@pytest.mark.parametrize("status", [S.PROPOSED, S.UNDER_APPRAISAL, S.APPROVED, S.REJECTED, S.REVOKED, S.SETTLED])
def test_money_is_refused_for_aid_not_started_ended_or_settled(cast, status):
    project = project_in(status)

    with pytest.raises(ValidationError):
        disbursement_record(actor=cast.staff, instance=disbursement(project))

    assert not Disbursement.objects.exists()


def test_money_is_refused_before_the_aid_started(cast):
    project = project_in(S.IMPLEMENTING, started_on=STARTED_ON)

    with pytest.raises(ValidationError) as refused:
        disbursement_record(actor=cast.staff, instance=disbursement(project, date=STARTED_ON - datetime.timedelta(1)))

    assert "date" in refused.value.message_dict
    assert not Disbursement.objects.exists()


def test_money_may_come_on_the_day_the_aid_started_and_today(cast):
    project = project_in(S.IMPLEMENTING, started_on=STARTED_ON)

    disbursement_record(actor=cast.staff, instance=disbursement(project, date=STARTED_ON))
    disbursement_record(actor=cast.staff, instance=disbursement(project, date=TODAY))

    assert sorted(project.disbursements.values_list("date", flat=True)) == [STARTED_ON, TODAY]


def test_money_is_not_recorded_in_advance(cast):
    project = project_in(S.IMPLEMENTING)

    with pytest.raises(ValidationError) as refused:
        disbursement_record(actor=cast.staff, instance=disbursement(project, date=TODAY + datetime.timedelta(days=1)))

    assert "date" in refused.value.message_dict
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize("role", ["province", "laos_leader", "outsider", "admin"])
def test_only_staff_record_money(cast, role):
    project = project_in(S.IMPLEMENTING)

    with pytest.raises(PermissionDenied):
        disbursement_record(actor=getattr(cast, role), instance=disbursement(project))

    assert not Disbursement.objects.exists()


# --- the yearly figures ----------------------------------------------------------------------------


@pytest.fixture
def money(db):
    """Disbursements in VND, in cash and in kind, over two projects and three years.

    2023: 250,000,000 cash (project B).
    2024: 300,000,000 cash (A) + 350,000,000 in kind (B) = 650,000,000, two projects.
    2025: 120,000,000 cash + 80,000,000 in kind (A) = 200,000,000, one project.
    """
    a = AidProjectFactory(status=S.IMPLEMENTING, actual_start=d(2024, 1, 1), currency="VND", exchange_rate=1)
    b = AidProjectFactory(status=S.COMPLETED, actual_start=d(2023, 1, 1), actual_end=d(2024, 12, 31))

    def pay(project, day, amount, form=Disbursement.Form.CASH):
        return DisbursementFactory(
            project=project, date=day, amount=Decimal(amount), currency="VND", exchange_rate=1, form=form
        )

    pay(b, d(2023, 5, 1), "150000000")
    pay(b, d(2023, 11, 30), "100000000")
    pay(a, d(2024, 1, 1), "300000000")
    pay(b, d(2024, 12, 31), "350000000", Disbursement.Form.IN_KIND)
    pay(a, d(2025, 1, 1), "120000000")
    pay(a, d(2025, 6, 1), "80000000", Disbursement.Form.IN_KIND)
    return {"a": a, "b": b}


def test_disbursed_in_a_year_adds_that_year_only(money):
    assert selectors.disbursed_in_year(2023) == Decimal("250000000")
    assert selectors.disbursed_in_year(2024) == Decimal("650000000")
    assert selectors.disbursed_in_year(2025) == Decimal("200000000")
    assert selectors.disbursed_in_year(2026) == Decimal(0)


def test_a_dollar_disbursement_counts_by_its_vnd_equivalent(db):
    DisbursementFactory(date=d(2025, 4, 15), amount=Decimal("12345.67"), exchange_rate=Decimal("25410.5"))

    assert selectors.disbursed_in_year(2025) == Decimal("313709648")


def test_every_year_since_the_first_is_listed_with_zeros_for_years_without_money(money):
    years = selectors.disbursed_by_year()

    assert [row["year"] for row in years] == list(range(2013, 2027))  # AID_SINCE_YEAR to this year
    by_year = {row["year"]: row for row in years}
    assert by_year[2013] == {
        "year": 2013,
        "total": Decimal(0),
        "cash": Decimal(0),
        "in_kind": Decimal(0),
        "projects": 0,
        "band": "below",
    }
    assert [(row["year"], row["total"]) for row in years if row["total"]] == [
        (2023, Decimal("250000000")),
        (2024, Decimal("650000000")),
        (2025, Decimal("200000000")),
    ]


def test_each_year_splits_cash_and_in_kind_and_counts_the_projects_paid(money):
    by_year = {row["year"]: row for row in selectors.disbursed_by_year(since=2023, until=2025)}

    assert sorted(by_year) == [2023, 2024, 2025]
    assert (by_year[2023]["cash"], by_year[2023]["in_kind"], by_year[2023]["projects"]) == (
        Decimal("250000000"),
        Decimal(0),
        1,
    )
    assert (by_year[2024]["cash"], by_year[2024]["in_kind"], by_year[2024]["projects"]) == (
        Decimal("300000000"),
        Decimal("350000000"),
        2,
    )
    assert (by_year[2025]["cash"], by_year[2025]["in_kind"], by_year[2025]["projects"]) == (
        Decimal("120000000"),
        Decimal("80000000"),
        1,
    )


def test_each_year_stands_below_within_or_above_the_band(money, settings):
    settings.AID_YEARLY_BAND = (250_000_000, 600_000_000)
    settings.AID_SINCE_YEAR = 2022

    bands = {row["year"]: row["band"] for row in selectors.disbursed_by_year()}

    assert bands == {
        2022: "below",  # nothing
        2023: "within",  # 250,000,000: the lower bound itself
        2024: "above",  # 650,000,000
        2025: "below",  # 200,000,000
        2026: "below",
    }


def test_the_band_by_default_is_thirty_to_fifty_billion(db):
    DisbursementFactory(date=d(2024, 6, 1), amount=Decimal("30000000000"), currency="VND", exchange_rate=1)
    DisbursementFactory(date=d(2025, 6, 1), amount=Decimal("50000000001"), currency="VND", exchange_rate=1)

    bands = {row["year"]: row["band"] for row in selectors.disbursed_by_year(since=2023)}

    assert bands == {2023: "below", 2024: "within", 2025: "above", 2026: "below"}


def test_each_project_keeps_its_vnd_disbursed_to_date(money):
    idle = AidProjectFactory(status=S.APPROVED)

    totals = dict(AidProject.objects.values_list("pk", "disbursed_vnd"))

    assert totals == {
        money["a"].pk: Decimal("500000000"),
        money["b"].pk: Decimal("600000000"),
        idle.pk: Decimal(0),
    }

"""budget_execution and student_counts against the hand-computed figures of the ledger (see ledger.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scholarships.models import Enrollment, Payment
from scholarships.selectors import budget_execution, budget_totals, student_counts
from tests.scholarships.ledger import build_ledger, million

M = million
LEVELS = dict(Enrollment.Level.choices)


@pytest.fixture
def ledger(db):
    return build_ledger()


def months_of(execution) -> dict:
    """The months that have money in them: {month: (awarded, paid)}; the others must be zero."""
    assert [row["month"] for row in execution["months"]] == list(range(1, 13))
    return {row["month"]: (row["awarded"], row["paid"]) for row in execution["months"] if row["awarded"] or row["paid"]}


def rows_of(rows) -> list[tuple]:
    return [(row["key"], str(row["label"]), row["awarded"], row["paid"]) for row in rows]


def test_totals_of_2025(ledger):
    execution = budget_execution(year=2025)

    assert execution["year"] == 2025
    assert execution["planned"] == M(25)
    assert execution["awarded"] == M(2.5 + 2.5 + 2.5 + 3.0 + 1.0 + 2.5 + 0.7)  # scheduled in 2025
    assert execution["paid"] == M(2.5 + 2.5 + 3.0 + 1.0 + 0.7)  # paid out in 2025
    assert execution["remaining"] == M(25 - 9.7)
    assert execution["paid_share"] == 39  # 9.7 of 25 = 38.8 %


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_dashboard_reads_the_budget_pages_totals_and_months_without_the_breakdowns(ledger, year):
    totals, execution = budget_totals(year=year), budget_execution(year=year)
    assert totals == {key: execution[key] for key in totals}
    assert set(execution) - set(totals) == {"by_province", "by_level", "by_institution"}


def test_months_of_2025_count_awards_by_month_due_and_payments_by_day_paid(ledger):
    assert months_of(budget_execution(year=2025)) == {
        1: (M(2.5), M(2.5)),
        2: (M(2.5), 0),
        3: (0, M(2.5)),  # February's allowance paid late, on 05/03
        10: (M(4.0), M(4.0)),
        11: (M(3.2), M(0.7)),
        12: (M(2.5), 0),  # paid only on 08/01/2026
    }


def test_breakdowns_of_2025(ledger):
    execution = budget_execution(year=2025)

    assert rows_of(execution["by_province"]) == [
        ("LA-BL", "Bôlykhămxay", M(7.5 + 3.2), M(5.0 + 0.7)),
        ("LA-KH", "Khăm Muộn", M(4.0), M(4.0)),
    ]
    assert sorted(rows_of(execution["by_level"])) == [
        ("college", str(LEVELS["college"]), M(3.2), M(0.7)),
        ("language", str(LEVELS["language"]), M(4.0), M(4.0)),
        ("university", str(LEVELS["university"]), M(7.5), M(5.0)),
    ]
    assert rows_of(execution["by_institution"]) == [
        (ledger.medical_college.pk, "CĐ Y tế Hà Tĩnh", M(3.2), M(0.7)),
        (ledger.university.pk, "ĐH Hà Tĩnh", M(7.5 + 4.0), M(5.0 + 4.0)),
    ]


def test_totals_of_2026(ledger):
    execution = budget_execution(year=2026)

    assert (execution["planned"], execution["awarded"], execution["paid"]) == (M(50), M(3.0 + 2.5), M(2.5 + 2.5))
    assert execution["remaining"] == M(45)
    assert execution["paid_share"] == 10


def test_months_and_breakdowns_of_2026_take_last_year_s_allowance_paid_in_january(ledger):
    execution = budget_execution(year=2026)

    assert months_of(execution) == {1: (M(3.0), M(2.5)), 2: (M(2.5), M(2.5))}
    assert rows_of(execution["by_province"]) == [
        ("LA-BL", "Bôlykhămxay", M(2.5), M(2.5 + 2.5)),
        ("LA-KH", "Khăm Muộn", M(3.0), 0),
    ]
    assert sorted(rows_of(execution["by_level"])) == [
        ("college", str(LEVELS["college"]), M(2.5), M(2.5)),
        ("language", str(LEVELS["language"]), M(3.0), 0),
        ("university", str(LEVELS["university"]), 0, M(2.5)),
    ]
    assert rows_of(execution["by_institution"]) == [
        (ledger.medical_college.pk, "CĐ Y tế Hà Tĩnh", M(2.5), M(2.5)),
        (ledger.university.pk, "ĐH Hà Tĩnh", M(3.0), M(2.5)),
    ]


def test_a_year_without_a_budget_has_nothing_planned_and_no_share(ledger):
    execution = budget_execution(year=2024)

    assert (execution["planned"], execution["awarded"], execution["paid"]) == (0, M(2.5), M(2.5))
    assert execution["remaining"] == -M(2.5)
    assert execution["paid_share"] is None


def test_a_year_without_payments_is_all_zero(ledger):
    execution = budget_execution(year=2019)

    assert (execution["planned"], execution["awarded"], execution["paid"], execution["remaining"]) == (0, 0, 0, 0)
    assert months_of(execution) == {}
    assert execution["by_province"] == execution["by_level"] == execution["by_institution"] == []


@pytest.mark.parametrize(
    ("year", "trained", "supported", "graduated"),
    [
        (2023, 1, 0, 1),  # D, enrolled since 2020, finished the language year in 2021
        (2024, 2, 1, 1),  # A starts; its December allowance
        (2025, 4, 3, 1),  # B and C start; A, B and C have allowances due
        (2026, 5, 2, 1),  # E starts in September; only B and C have payments due in 2026
    ],
)
def test_student_counts_by_year(ledger, year, trained, supported, graduated):
    counts = student_counts(year=year)

    assert (counts["trained_total"], counts["supported"], counts["graduated_total"]) == (trained, supported, graduated)
    assert counts["studying"] == 4  # A, B, C, E


def test_a_student_with_several_payments_and_enrollments_counts_once(ledger):
    counts = student_counts(year=2025)

    assert counts["supported"] == 3  # A has three payments due in 2025, B two, C two
    assert counts["trained_total"] == 4  # D has two enrollments


def test_the_budget_page_shows_the_year_asked_for(cast, login, ledger):
    response = login(cast.laos_leader).get(reverse("scholarships:budget"), {"year": "2025"})

    assert response.status_code == 200
    assert response.context["execution"] == budget_execution(year=2025)
    assert response.context["counts"] == student_counts(year=2025)
    assert 'data-testid="trained-total"' in response.content.decode()


@pytest.mark.parametrize("year", ["", "hai nghìn"])
def test_the_budget_page_falls_back_to_this_year(cast, login, ledger, clock, year):
    response = login(cast.staff).get(reverse("scholarships:budget"), {"year": year} if year else {})

    assert response.context["execution"]["year"] == 2026
    assert response.context["execution"]["paid"] == M(5.0)


def test_the_budget_page_reads_its_figures_from_the_cache_until_a_payment_changes(cast, login, ledger):
    client = login(cast.staff)
    url, year = reverse("scholarships:budget"), {"year": "2025"}
    with CaptureQueriesContext(connection) as first:
        client.get(url, year)
    with CaptureQueriesContext(connection) as second:
        response = client.get(url, year)
    assert len(second.captured_queries) <= len(first.captured_queries) - 5  # the page's sums: from the cache
    assert response.context["execution"] == budget_execution(year=2025)
    paid = response.context["execution"]["paid"]

    # December's allowance, paid only in January, paid in December after all: it shows at once.
    payment = Payment.objects.get(month=datetime.date(2025, 12, 1))
    payment.paid_on = datetime.date(2025, 12, 20)
    payment.save()

    execution = client.get(url, year).context["execution"]
    assert execution["paid"] == paid + payment.amount == budget_execution(year=2025)["paid"]

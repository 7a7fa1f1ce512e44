"""The kept counts of each Lao province's students (`ProvinceStudents`, `ProvinceLevelStudents`) follow every
write of an enrollment, every student moved to another province and every import: after each step below they
are exactly what `tally.rebuild()` counts and what counting the students one by one gives, and the pages
that read them (the province's page, the dashboard, the budget page) show those figures."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Count

from associations.models import LaoProvince
from scholarships import selectors, tally
from scholarships.models import Enrollment, ProvinceLevelStudents, ProvinceStudents, Student
from tests.scholarships.factories import EnrollmentFactory, StudentFactory, province

D = datetime.date
GRADUATED, STUDYING = Enrollment.Status.GRADUATED, Enrollment.Status.STUDYING


def kept() -> tuple[set, set]:
    return (
        set(
            ProvinceStudents.objects.values_list(
                "lao_province__iso_code", "students", "studying", "trained", "graduated"
            )
        ),
        set(ProvinceLevelStudents.objects.values_list("lao_province__iso_code", "level", "studying")),
    )


def counted() -> tuple[set, set]:
    """The same figures, counted from the students and their enrollments one by one."""
    totals = set()
    for place in LaoProvince.objects.all():
        students = list(Student.objects.filter(lao_province=place))
        figures = (
            len(students),
            sum(s.is_studying for s in students),
            sum(s.first_enrolled_on is not None for s in students),
            sum(s.has_graduated for s in students),
        )
        if any(figures):
            totals.add((place.iso_code, *figures))
    levels = {
        (code, level, number)
        for code, level, number in Enrollment.objects.filter(status=STUDYING)
        .values_list("student__lao_province__iso_code", "level")
        .annotate(number=Count("student", distinct=True))
    }
    return totals, levels


def assert_kept_as_counted() -> None:
    before = kept()
    assert before == counted()
    tally.rebuild()
    assert kept() == before
    for place in LaoProvince.objects.filter(iso_code__in=["LA-BL", "LA-VT", "LA-SV"]):
        figures = selectors.for_lao_province(lao_province_id=place.pk)
        students = Student.objects.filter(lao_province=place)
        assert figures["studying"] == students.filter(is_studying=True).count()
        assert figures["trained_total"] == students.filter(first_enrolled_on__isnull=False).count()
        assert figures["graduated_total"] == students.filter(has_graduated=True).count()
    dashboard = selectors.dashboard_figures(year=2026)
    assert dashboard["studying"] == Student.objects.filter(is_studying=True).count()
    assert selectors.student_counts(year=2026)["studying"] == dashboard["studying"]
    assert sum(row["total"] for row in dashboard["by_province"]) == dashboard["studying"]
    assert selectors.students_in_all() == Student.objects.count()


@pytest.mark.django_db
def test_each_write_keeps_the_provinces_students_as_counted():
    bolikhamxay, vientiane, savannakhet = province("LA-BL"), province("LA-VT"), province("LA-SV")
    first = EnrollmentFactory(student__lao_province=bolikhamxay, start_date=D(2024, 9, 5), level="language")
    assert kept()[0] == {("LA-BL", 1, 1, 1, 0)}
    other = EnrollmentFactory(student__lao_province=vientiane, start_date=D(2023, 9, 5), level="university")
    assert_kept_as_counted()

    # Graduating, and a second studying enrollment at another level of the same student.
    other.status, other.ended_on = GRADUATED, D(2025, 7, 1)
    other.save()
    EnrollmentFactory(student=first.student, start_date=D(2025, 9, 5), level="university")
    assert kept()[1] == {("LA-BL", "language", 1), ("LA-BL", "university", 1)}
    assert_kept_as_counted()

    # A student moved to another province, read from the database and saved by a form.
    moved = Student.objects.get(pk=first.student_id)
    moved.lao_province = savannakhet
    moved.save()
    assert {row[0] for row in kept()[0]} == {"LA-SV", "LA-VT"}
    assert_kept_as_counted()

    # ... and an instance made in memory, saved again: the province it left is not known, every one counts again.
    again = Student(**{f.attname: getattr(moved, f.attname) for f in Student._meta.concrete_fields})
    again.lao_province = bolikhamxay
    again.save()
    assert_kept_as_counted()

    # Deleted enrollments, then a student deleted with theirs.
    first.delete()
    assert_kept_as_counted()
    other.student.delete()
    assert_kept_as_counted()
    StudentFactory(lao_province=vientiane)  # never enrolled: a student of the province all the same
    EnrollmentFactory(student__lao_province=vientiane)
    assert_kept_as_counted()


@pytest.mark.django_db
def test_an_import_moving_a_student_counts_both_provinces_once_for_the_file(cast, run_import):
    from tests.scholarships.support import people, xlsx

    assert run_import(cast.staff, xlsx(people(3))).state == "done"
    assert_kept_as_counted()
    moved = people(3, lao_province="LA-VT")  # every student of the file leaves Bôlykhămxay
    job = run_import(cast.staff, xlsx(moved))
    assert (job.state, job.updated_count) == ("done", 3), job.errors
    assert {row[0]: row[1] for row in kept()[0]} == {"LA-VT": 3}  # Bôlykhămxay has none left
    assert_kept_as_counted()


@pytest.mark.django_db
def test_the_migration_and_a_rebuild_count_them_from_the_students():
    EnrollmentFactory(
        student__lao_province=province("LA-BL"), start_date=D(2022, 9, 5), status=GRADUATED, ended_on=D(2024, 6, 30)
    )
    EnrollmentFactory(student__lao_province=province("LA-VT"), start_date=D(2024, 9, 5))
    expected = kept()
    assert expected == counted() and expected[0]

    ProvinceStudents.objects.all().delete()
    ProvinceLevelStudents.objects.all().delete()
    importlib.import_module("scholarships.migrations.0015_students_by_province").count_the_students_already_there(
        apps, None
    )
    importlib.import_module("scholarships.migrations.0016_students_in_all").count_every_students_province(apps, None)
    assert kept() == expected

    ProvinceStudents.objects.update(studying=7)  # written by other means
    tally.rebuild()
    assert kept() == expected


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=f"needs PostgreSQL's concurrent transactions to race two enrollments; this run uses {connection.vendor}",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_enrolling_students_of_the_same_province_at_once_leave_its_count_right():
    """The province's students are counted under the tally's lock: the second count waits for the first
    transaction to commit and counts both students."""
    from django.db import transaction

    from tests.race import at_once

    students = [StudentFactory(lao_province=province("LA-BL")) for _ in range(2)]

    def enroll(student):
        def run():
            with transaction.atomic():
                EnrollmentFactory(student=student, start_date=D(2024, 9, 5), level="language")

        return run

    assert at_once([enroll(student) for student in students]) == []
    assert kept() == ({("LA-BL", 2, 2, 2, 0)}, {("LA-BL", "language", 2)})


@pytest.mark.django_db
def test_the_whole_student_list_is_counted_from_the_kept_figures_a_filtered_one_from_the_rows(cast, login):
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    for place in ("LA-BL", "LA-BL", "LA-VT"):
        StudentFactory(lao_province=province(place))
    EnrollmentFactory(student__lao_province=province("LA-SV"))
    client = login(cast.laos_leader)  # every role reads every student
    url = reverse("scholarships:student_list")

    with CaptureQueriesContext(connection) as captured:
        whole = client.get(url, {"page": 1})
    assert whole.context["page"].paginator.count == Student.objects.count() == 4
    counts = [
        q["sql"] for q in captured if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "scholarships_student"')
    ]
    assert all(" WHERE " in sql for sql in counts), "the whole list is not counted row by row"

    studying = client.get(url, {"status": "studying"})
    assert studying.context["page"].paginator.count == 1
    searched = client.get(url, {"q": "no such name"})
    assert searched.context["page"].paginator.count == 0

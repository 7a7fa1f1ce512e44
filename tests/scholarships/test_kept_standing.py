"""Where a student stands across their enrollments (studying, graduated, first enrolled on) is kept on
the student by every save and deletion of an enrollment; the dashboard's and the place pages' counts
read those columns and must agree with the enrollments themselves."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db.models import Count, Q

from scholarships.models import Enrollment, Student
from scholarships.selectors import dashboard_figures, for_lao_province
from tests.scholarships.factories import EnrollmentFactory, StudentFactory, province

pytestmark = pytest.mark.django_db

STUDYING, GRADUATED, WITHDRAWN = Enrollment.Status.STUDYING, Enrollment.Status.GRADUATED, Enrollment.Status.WITHDRAWN


def standing(student) -> tuple:
    student.refresh_from_db()
    return student.is_studying, student.has_graduated, student.first_enrolled_on


def test_a_student_without_enrollments_stands_nowhere():
    assert standing(StudentFactory()) == (False, False, None)


def test_each_save_and_deletion_of_an_enrollment_works_the_standing_out_again():
    student = StudentFactory()
    college = EnrollmentFactory(student=student, start_date=datetime.date(2022, 9, 5), status=STUDYING)
    assert standing(student) == (True, False, datetime.date(2022, 9, 5))

    college.status = GRADUATED
    college.save()
    assert standing(student) == (False, True, datetime.date(2022, 9, 5))

    university = EnrollmentFactory(student=student, start_date=datetime.date(2025, 9, 5), status=STUDYING)
    assert standing(student) == (True, True, datetime.date(2022, 9, 5))
    assert student.current_enrollment_id == university.pk

    university.status = WITHDRAWN
    university.save()
    assert standing(student) == (False, True, datetime.date(2022, 9, 5))

    college.delete()
    assert standing(student) == (False, False, datetime.date(2025, 9, 5))
    assert student.current_enrollment_id == university.pk

    university.delete()
    assert standing(student) == (False, False, None)
    assert student.current_enrollment_id is None


def test_the_migration_works_out_the_standing_of_the_students_already_there():
    studying = EnrollmentFactory(status=STUDYING, start_date=datetime.date(2024, 9, 5)).student
    graduated = EnrollmentFactory(status=GRADUATED, start_date=datetime.date(2020, 9, 5)).student
    nowhere = StudentFactory()
    Student.objects.update(is_studying=False, has_graduated=True, first_enrolled_on=datetime.date(1999, 1, 1))

    migration = importlib.import_module("scholarships.migrations.0006_student_kept_standing")
    migration.work_out_where_every_student_stands(apps, None)

    assert standing(studying) == (True, False, datetime.date(2024, 9, 5))
    assert standing(graduated) == (False, True, datetime.date(2020, 9, 5))
    assert standing(nowhere) == (False, False, None)


@pytest.fixture
def mixed_students():
    """Students of two provinces in every combination of enrollments, one of them starting after 2025."""
    bolikhamxay, khammouane = province("LA-BL"), province("LA-KH")
    combinations = [
        [(STUDYING, 2025)],
        [(GRADUATED, 2019), (STUDYING, 2023)],
        [(GRADUATED, 2020)],
        [(WITHDRAWN, 2024)],
        [(STUDYING, 2026)],
        [(STUDYING, 2024), (STUDYING, 2025)],
        [],
    ]
    for place in (bolikhamxay, khammouane):
        for course in combinations:
            student = StudentFactory(lao_province=place)
            for status, year in course:
                ended = datetime.date(year + 2, 6, 30) if status == GRADUATED else None
                EnrollmentFactory(student=student, status=status, start_date=datetime.date(year, 9, 5), ended_on=ended)
    StudentFactory(lao_province=khammouane)  # one more who never enrolled
    return bolikhamxay, khammouane


def counted_from_enrollments(students_filter: Q, end: datetime.date) -> dict:
    """The counts the way the enrollments give them, to hold the kept columns against."""
    return Enrollment.objects.filter(students_filter).aggregate(
        studying=Count("student", distinct=True, filter=Q(status=STUDYING)),
        graduated_total=Count("student", distinct=True, filter=Q(status=GRADUATED)),
        trained_total=Count("student", distinct=True, filter=Q(start_date__lte=end)),
    )


def test_the_dashboard_counts_agree_with_the_enrollments(mixed_students):
    figures = dashboard_figures(year=2025)
    expected = counted_from_enrollments(Q(), datetime.date(2025, 12, 31))
    assert expected == {"studying": 8, "graduated_total": 4, "trained_total": 10}
    assert {key: figures[key] for key in expected} == expected
    assert sorted((row["lao_province_id"], row["total"]) for row in figures["by_province"]) == sorted(
        (place.pk, 4) for place in mixed_students
    )


def test_the_place_page_counts_agree_with_the_enrollments(mixed_students):
    for place in mixed_students:
        figures = for_lao_province(lao_province_id=place.pk)
        expected = counted_from_enrollments(Q(student__lao_province=place), datetime.date(9999, 12, 31))
        assert expected == {"studying": 4, "graduated_total": 2, "trained_total": 6}
        assert {key: figures[key] for key in expected} == expected


def test_saving_a_student_read_before_their_enrollments_changed_keeps_the_standing():
    student = StudentFactory()  # held in memory while an enrollment is added
    enrollment = EnrollmentFactory(student=student, status=STUDYING, start_date=datetime.date(2025, 9, 5))

    student.phone = "020 5555 1234"
    student.save()

    assert standing(student) == (True, False, datetime.date(2025, 9, 5))
    assert student.current_enrollment_id == enrollment.pk
    assert student.phone == "020 5555 1234"


def test_a_student_keeps_the_day_they_first_graduated():
    student = StudentFactory()
    EnrollmentFactory(
        student=student, status=GRADUATED, start_date=datetime.date(2019, 9, 5), ended_on=datetime.date(2021, 6, 30)
    )
    later = EnrollmentFactory(
        student=student, status=GRADUATED, start_date=datetime.date(2021, 9, 5), ended_on=datetime.date(2025, 6, 30)
    )
    EnrollmentFactory(
        student=student, status=WITHDRAWN, start_date=datetime.date(2018, 9, 5), ended_on=datetime.date(2019, 1, 1)
    )
    student.refresh_from_db()
    assert student.graduated_on == datetime.date(2021, 6, 30)

    Enrollment.objects.filter(student=student, ended_on=datetime.date(2021, 6, 30)).get().delete()
    student.refresh_from_db()
    assert student.graduated_on == later.ended_on


def test_the_budget_pages_counts_agree_with_the_enrollments(mixed_students):
    from scholarships.selectors import student_counts

    for year in (2020, 2021, 2022, 2025):  # before, between and after the two graduations (2021, 2022)
        end = datetime.date(year, 12, 31)
        expected = Enrollment.objects.aggregate(
            trained_total=Count("student", distinct=True, filter=Q(start_date__lte=end)),
            graduated_total=Count("student", distinct=True, filter=Q(status=GRADUATED, ended_on__lte=end)),
            studying=Count("student", distinct=True, filter=Q(status=STUDYING)),
        )
        counts = student_counts(year=year)
        assert {key: counts[key] for key in expected} == expected

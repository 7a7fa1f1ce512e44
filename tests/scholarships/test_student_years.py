"""The tally of the students first enrolled and first graduated each year (`StudentYear`) follows every
write of an enrollment: after each step below it is exactly what `tally.rebuild()` counts, and the
dashboard's figures read from it are the counts of the students themselves."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scholarships import selectors, tally
from scholarships.models import Enrollment, Student, StudentYear
from tests.scholarships.factories import EnrollmentFactory, StudentFactory

D = datetime.date
GRADUATED = Enrollment.Status.GRADUATED


def kept() -> set[tuple]:
    return set(StudentYear.objects.values_list("year", "first_enrolled", "graduated"))


def assert_kept_as_counted() -> None:
    """The tally equals a rebuild, and its figures equal the students counted one by one."""
    before = kept()
    tally.rebuild()
    assert before == kept()
    for year in (2020, 2023, 2025, 2026):
        figures = selectors.dashboard_figures(year=year)
        assert figures["trained_total"] == Student.objects.filter(first_enrolled_on__lte=D(year, 12, 31)).count()
        assert figures["graduated_total"] == Student.objects.filter(has_graduated=True).count()


@pytest.mark.django_db
def test_each_write_of_an_enrollment_keeps_the_tally_as_a_rebuild_counts_it():
    first = EnrollmentFactory(start_date=D(2023, 9, 5))
    assert kept() == {(2023, 1, 0)}
    other = EnrollmentFactory(start_date=D(2023, 9, 5))
    assert kept() == {(2023, 2, 0)}

    # An earlier enrollment moves the student's first year back; graduating moves them into a year too.
    EnrollmentFactory(
        student=first.student, start_date=D(2021, 9, 5), status=GRADUATED, ended_on=D(2023, 6, 30), level="language"
    )
    assert kept() == {(2021, 1, 0), (2023, 1, 1)}
    assert_kept_as_counted()

    other.status, other.ended_on = GRADUATED, D(2025, 7, 1)
    other.save()
    assert kept() == {(2021, 1, 0), (2023, 1, 1), (2025, 0, 1)}
    assert_kept_as_counted()

    # A corrected start date moves the student to another year.
    other.start_date = D(2022, 2, 1)
    other.save()
    assert kept() == {(2021, 1, 0), (2022, 1, 0), (2023, 0, 1), (2025, 0, 1)}
    assert_kept_as_counted()

    # Deleted enrollments, then a student deleted with theirs: their years count them no more.
    first.delete()
    assert_kept_as_counted()
    other.student.delete()
    assert kept() == {(2021, 1, 0), (2023, 0, 1)}
    assert_kept_as_counted()


@pytest.mark.django_db
def test_an_import_counts_each_year_once_for_the_whole_file(cast, run_import, monkeypatch):
    from friendship_portal.core import imports
    from tests.scholarships.support import people, xlsx

    in_batches = imports.in_batches
    monkeypatch.setattr(imports, "in_batches", lambda values, size=10: in_batches(values, size=10))  # 3 batches
    with CaptureQueriesContext(connection) as captured:
        job = run_import(cast.staff, xlsx(people(30)))

    assert job.created_count == 30, job.errors
    written = [query for query in captured if query["sql"].startswith('INSERT INTO "scholarships_studentyear"')]
    assert len(written) == 1, "the tally is counted once for the file, not once a batch"
    assert_kept_as_counted()


@pytest.mark.django_db
def test_the_migration_and_the_command_count_the_tally_from_the_students():
    EnrollmentFactory(start_date=D(2022, 9, 5), status=GRADUATED, ended_on=D(2024, 6, 30))
    EnrollmentFactory(start_date=D(2024, 9, 5))
    expected = kept()
    assert expected == {(2022, 1, 0), (2024, 1, 1)}

    StudentYear.objects.all().delete()
    importlib.import_module("scholarships.migrations.0011_student_years").count_the_students_already_there(apps, None)
    assert kept() == expected

    StudentYear.objects.update(first_enrolled=7)  # written by other means
    out = io.StringIO()
    call_command("rebuild_payment_totals", stdout=out)
    assert kept() == expected
    assert "2 years of students counted" in out.getvalue()


@pytest.mark.django_db
def test_refreshing_every_student_rebuilds_the_whole_tally():
    from scholarships.signals import refresh_current_enrollments

    EnrollmentFactory(start_date=D(2022, 9, 5))
    StudentYear.objects.all().delete()
    StudentFactory()  # never enrolled: in no year

    refresh_current_enrollments(None)

    assert kept() == {(2022, 1, 0)}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=f"needs PostgreSQL's concurrent transactions to race two enrollments; this run uses {connection.vendor}",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_enrolling_students_of_the_same_year_at_once_leave_its_count_right():
    """Each count of a year is taken under the tally's lock: the second waits for the first to commit and
    counts both students."""
    from django.db import transaction

    from tests.race import at_once

    students = [StudentFactory(), StudentFactory()]

    def enroll(student):
        def run():
            with transaction.atomic():
                EnrollmentFactory(student=student, start_date=D(2024, 9, 5))

        return run

    assert at_once([enroll(student) for student in students]) == []
    assert kept() == {(2024, 2, 0)}

"""The student search reads one narrow row a student (`StudentSearch`, `scholarships.search`): the rows
follow every write of a student — a save, a rename, a deletion, the import, the migration and the rebuild
command — and the list finds, orders and counts exactly what the search of each column of the students
found before."""

import importlib
from functools import reduce
from io import StringIO
from operator import or_

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scholarships import search
from scholarships.models import Student, StudentSearch
from scholarships.views import STUDENTS
from tests.scholarships.factories import StudentFactory, province
from tests.scholarships.support import people, row, xlsx

pytestmark = pytest.mark.django_db


def kept() -> dict:
    return {entry.pk: (entry.full_name, entry.text) for entry in StudentSearch.objects.all()}


def expected() -> dict:
    return {student.pk: (student.full_name, search.entry_for(student).text) for student in Student.objects.all()}


def found_by_columns(text: str) -> list[int]:
    """What the list found before it read the kept rows: `icontains` on each searched column, by name."""
    terms = reduce(or_, (Q(**{f"{column}__icontains": text}) for column in STUDENTS.search_fields))
    return list(Student.objects.filter(terms).order_by("full_name", "pk").values_list("pk", flat=True))


@pytest.fixture
def recorded(db):
    return [
        StudentFactory(full_name="Souksavanh Chanthavong", full_name_lao="ສຸກສະຫວັນ", passport_number="P0042001"),
        StudentFactory(full_name="Bounmy Chanthavong", passport_number="P0042002", sending_body="Sở GD Viêng Chăn"),
        StudentFactory(full_name="Khamla Sisavath", passport_number="p0051003", sending_body="Sở GD Chămpasắc"),
        StudentFactory(full_name="Chanthaly Inthavong", passport_number="P0051004", full_name_lao="ຈັນທະລີ"),
    ]


def test_the_search_text_holds_each_searched_field_on_its_own_line():
    student = Student(
        pk=7, full_name="Souksavanh", full_name_lao="ສຸກ", passport_number="P1", sending_body="Sở GD\r\nViêng Chăn"
    )
    entry = search.entry_for(student)
    assert (entry.student_id, entry.full_name) == (7, "Souksavanh")
    # Upper-cased, as the search compares; a field's own line breaks become spaces.
    assert entry.text == "SOUKSAVANH\nສຸກ\nP1\nSỞ GD VIÊNG CHĂN"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("viêng chăn", ["Bounmy Chanthavong"]),
        ("VIÊNG CHĂN", ["Bounmy Chanthavong"]),
        ("sỞ gD", ["Bounmy Chanthavong", "Khamla Sisavath"]),
    ],
)
def test_vietnamese_letters_match_whatever_their_case(cast, login, recorded, text, expected):
    """Python folds the case of every letter, the same for the kept text and the search, so a clerk who
    types "viêng chăn" or "VIÊNG CHĂN" finds "Viêng Chăn" on SQLite (whose LIKE folds ASCII alone) as on
    PostgreSQL."""
    assert [student.full_name for student in listed(login(cast.staff), q=text).object_list] == expected


def test_rows_follow_each_student_saved_renamed_and_deleted(recorded):
    assert kept() == expected() and len(kept()) == 4

    souksavanh, bounmy, khamla, _chanthaly = recorded
    souksavanh.full_name = "Souksavanh Keobounphanh"
    souksavanh.save()
    khamla.passport_number = "P9990001"
    khamla.save(update_fields=["passport_number"])
    bounmy.delete()
    assert kept() == expected() and len(kept()) == 3
    assert kept()[souksavanh.pk][0] == "Souksavanh Keobounphanh"
    assert "P9990001" in kept()[khamla.pk][1]


def test_the_import_writes_the_rows_of_new_and_updated_students(cast, run_import):
    job = run_import(cast.staff, xlsx(people(3)))
    assert (job.state, job.created_count) == ("done", 3), job.errors
    assert kept() == expected() and len(kept()) == 3

    job = run_import(cast.staff, xlsx([row(full_name="Khamla Sisavath Mới", passport_number="P0000002")]))
    assert (job.state, job.updated_count) == ("done", 1), job.errors
    assert kept() == expected()
    assert {name for name, _text in kept().values()} >= {"Khamla Sisavath Mới"}


def test_the_migration_and_the_rebuild_command_write_them_from_the_students(recorded):
    wanted = expected()
    StudentSearch.objects.all().delete()
    importlib.import_module("scholarships.migrations.0018_student_search_folded").write_entries(apps, None)
    assert kept() == wanted

    StudentSearch.objects.filter(pk=recorded[0].pk).update(text="written by other means")
    StudentSearch.objects.filter(pk=recorded[1].pk).delete()
    out = StringIO()
    call_command("rebuild_payment_totals", stdout=out)
    assert kept() == wanted
    assert "4 students searchable" in out.getvalue()


def listed(client, **params):
    response = client.get(reverse("scholarships:student_list"), params)
    assert response.status_code == 200
    return response.context["page"]


@pytest.mark.parametrize(
    "text",
    ["Chanthavong", "chanthavong", "CHANTHA", "p0042", "P0051003", "ສຸກສະ", "ຈັນ", "Viêng Chăn", "sở gd", "Inthavong"],
)
def test_the_list_finds_and_orders_what_the_search_of_each_column_found(cast, login, recorded, text):
    page = listed(login(cast.staff), q=text)
    assert [student.pk for student in page.object_list] == found_by_columns(text)
    assert page.paginator.count == len(found_by_columns(text))


def test_a_search_never_matches_across_two_fields(cast, login, recorded):
    """The fields lie on lines of one text: the end of a name and the start of a passport are not one."""
    assert found_by_columns("Chanthavong\nP00") == []
    assert list(listed(login(cast.staff), q="Chanthavong\nP00").object_list) == []
    assert list(listed(login(cast.staff), q="Chanthavong P00").object_list) == []


def test_with_a_filter_the_count_is_of_the_filtered_students(cast, login, recorded):
    recorded[0].lao_province = province("LA-VT")
    recorded[0].save()
    page = listed(login(cast.staff), q="Chanthavong", lao_province=province("LA-VT").pk)
    assert [student.pk for student in page.object_list] == [recorded[0].pk]
    assert page.paginator.count == 1


def test_the_search_counts_from_the_kept_rows_when_nothing_else_narrows_the_list(cast, login, recorded):
    client = login(cast.staff)
    listed(client, q="Chanthavong")  # sessions and caches warmed
    with CaptureQueriesContext(connection) as queries:
        page = listed(client, q="Chanthavong")
    assert page.paginator.count == 2
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper() and "studentsearch" in query["sql"]]
    assert counts and all('"scholarships_student"' not in sql.split("FROM", 1)[1] for sql in counts), counts


def test_the_search_page_asks_as_many_queries_for_thirty_matches_as_for_three(cast, login, recorded):
    client = login(cast.staff)

    def queries_for(text):
        listed(client, q=text)
        with CaptureQueriesContext(connection) as queries:
            page = listed(client, q=text)
        return len(queries), len(page.object_list)

    StudentFactory.create_batch(3, full_name="Phonsavan Few")
    StudentFactory.create_batch(30, full_name="Vongsa Many")
    few, many = queries_for("Phonsavan Few"), queries_for("Vongsa Many")
    assert (few[1], many[1]) == (3, min(30, settings.PORTAL_PAGE_SIZE))
    assert few[0] == many[0]


def test_on_postgresql_the_search_reads_the_trigram_index_of_the_kept_text(recorded):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's; SQLite scans the kept rows")
    matching = StudentSearch.objects.filter(text__contains=search.folded("Chanthavong"))  # as count_matching asks
    sql, params = matching.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test's few rows would be scanned anyway
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line[0] for line in cursor.fetchall())
    assert "student_search_text_trgm" in plan, plan


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the provinces are back for the next test
def test_migrating_a_database_with_students_writes_their_rows():
    """0017 and 0018 run on a database that already holds students (on PostgreSQL, the index is made
    before the rows are written: it cannot be made while their foreign-key checks are pending)."""
    from django.db.migrations.executor import MigrationExecutor

    students = StudentFactory.create_batch(3, sending_body="Sở GD\nViêng Chăn")
    before, latest = ("scholarships", "0016_students_in_all"), ("scholarships", "0018_student_search_folded")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([latest])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        leaf = executor.loader.graph.leaf_nodes("scholarships")
        executor.migrate(leaf)
    assert kept() == expected() and set(kept()) == {student.pk for student in students}

"""On PostgreSQL a search of the students' own columns — the admin's change list searches the name, the
Lao name and the passport number — is served by trigram indexes on the very expressions Django's
`icontains` writes (`UPPER(column::text) LIKE UPPER('%…%')`), one per column the portal searches, so it
does not read the whole table. (The portal's list reads the kept rows of `scholarships.search`, whose
own index `test_student_search_entries.py` checks.) SQLite scans: the test says so and skips there."""

from functools import reduce
from operator import or_

import pytest
from django.db import connection
from django.db.models import Q

from scholarships.models import Student
from scholarships.views import STUDENTS

pytestmark = pytest.mark.django_db


def test_each_searched_column_has_its_trigram_index_and_the_search_uses_them():
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's; SQLite scans the students for a search")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'scholarships_student' "
            "AND indexname LIKE 'student_search_%%'"
        )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {f"student_search_{column}_trgm" for column in STUDENTS.search_fields}
    assert all("gin_trgm_ops" in definition and "upper(" in definition for definition in indexes.values())

    search = reduce(or_, (Q(**{f"{column}__icontains": "Chanthavong"}) for column in STUDENTS.search_fields))
    sql, params = Student.objects.filter(search).order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test's few rows would be scanned anyway
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for column in STUDENTS.search_fields:
        assert f"student_search_{column}_trgm" in plan, plan

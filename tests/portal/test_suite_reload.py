"""A transactional test (a browser test, a test that commits) starts from what the migrations wrote, however
the suite empties the database after the one before and fills it again (tests/database.py)."""

import json

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from associations.models import Association

# Celery beat's stamp of the last change to its schedule, written whenever any periodic task is saved.
STAMP = "django_celery_beat.periodictasks"


def rows(serialized: str) -> list[dict]:
    return [row for row in json.loads(serialized) if row["model"] != STAMP]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("turn", ["first", "second"])
def test_a_transactional_test_starts_from_what_the_migrations_wrote(turn):
    """Run twice: whichever runs second starts after the other's database was emptied and filled again."""
    written = rows(connection._test_serialized_contents)
    assert len(written) > 600  # the permissions, the communes, the associations, the roles…
    assert rows(connection.creation.serialize_db_to_string()) == written
    Association.objects.update(short_name="đã đổi")  # left for the flush and the reload to undo
    Group.objects.create(name=f"thêm {turn}")

"""The student search's rows keep their text upper-cased (`scholarships.search.folded`): written again
here from the students, and on PostgreSQL the trigram index is on the text itself, which the search
matches with a plain `LIKE '%…%'`, instead of on `UPPER(text)`."""

from django.db import migrations

SEARCHED = ("full_name", "full_name_lao", "passport_number", "sending_body")
BATCH = 2000


def write_entries(apps, schema_editor):
    """Every student's row, as `scholarships.search.entry_for` writes it."""
    Student = apps.get_model("scholarships", "Student")
    StudentSearch = apps.get_model("scholarships", "StudentSearch")
    StudentSearch.objects.all().delete()
    batch = []
    for values in Student.objects.order_by("pk").values_list("pk", *SEARCHED).iterator(chunk_size=BATCH):
        pk, fields = values[0], values[1:]
        text = "\n".join(" ".join(str(value or "").splitlines()) for value in fields).upper()
        batch.append(StudentSearch(student_id=pk, full_name=fields[0], text=text))
        if len(batch) == BATCH:
            StudentSearch.objects.bulk_create(batch)
            batch = []
    StudentSearch.objects.bulk_create(batch)


def _index(schema_editor, expression: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS student_search_text_trgm")
        schema_editor.execute(
            f"CREATE INDEX student_search_text_trgm ON scholarships_studentsearch USING gin ({expression} gin_trgm_ops)"
        )


def index_the_text(apps, schema_editor):
    _index(schema_editor, '"text"')


def index_upper_text(apps, schema_editor):
    _index(schema_editor, 'UPPER("text"::text)')


class Migration(migrations.Migration):
    dependencies = [
        ("scholarships", "0017_student_search"),
    ]

    operations = [
        # The index before the rows: PostgreSQL refuses an index on a table with deferred foreign-key
        # checks still pending in the same transaction.
        migrations.RunPython(index_the_text, index_upper_text),
        migrations.RunPython(write_entries, migrations.RunPython.noop),
    ]

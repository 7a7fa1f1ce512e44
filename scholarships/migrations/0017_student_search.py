"""The student search's own rows (`StudentSearch`, kept by `scholarships.search`): one a student, written
here for the students already recorded; on PostgreSQL a trigram index on the text the search matches
(`UPPER(text) LIKE UPPER('%…%')`, Django's `icontains`). Elsewhere (SQLite) the search scans the rows."""

import django.db.models.deletion
from django.db import migrations, models

SEARCHED = ("full_name", "full_name_lao", "passport_number", "sending_body")
BATCH = 2000


def write_entries(apps, schema_editor):
    Student = apps.get_model("scholarships", "Student")
    StudentSearch = apps.get_model("scholarships", "StudentSearch")
    batch = []
    for values in Student.objects.order_by("pk").values_list("pk", *SEARCHED).iterator(chunk_size=BATCH):
        pk, fields = values[0], values[1:]
        text = "\n".join(" ".join(str(value or "").splitlines()) for value in fields)
        batch.append(StudentSearch(student_id=pk, full_name=fields[0], text=text))
        if len(batch) == BATCH:
            StudentSearch.objects.bulk_create(batch)
            batch = []
    StudentSearch.objects.bulk_create(batch)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS student_search_text_trgm ON scholarships_studentsearch "
        'USING gin (UPPER("text"::text) gin_trgm_ops)'
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS student_search_text_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('scholarships', '0016_students_in_all'),
    ]

    operations = [
        migrations.CreateModel(
            name='StudentSearch',
            fields=[
                ('student', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='scholarships.student', verbose_name='Lao student')),
                ('full_name', models.CharField(max_length=200, verbose_name='full name')),
                ('text', models.TextField(verbose_name='searched text')),
            ],
            options={
                'verbose_name': 'student search entry',
                'verbose_name_plural': 'student search entries',
                'indexes': [models.Index(fields=['full_name', 'student'], name='student_search_order')],
            },
        ),
        # The index before the rows: PostgreSQL refuses an index on a table with deferred foreign-key
        # checks still pending in the same transaction.
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(write_entries, migrations.RunPython.noop),
    ]

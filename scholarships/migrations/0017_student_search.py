"""The student search's own rows (`StudentSearch`, kept by `scholarships.search`): one a student, written
for the students already recorded by 0018, which upper-cases their text; on PostgreSQL a trigram index,
which 0018 moves onto the text itself. Elsewhere (SQLite) the search scans the rows."""

import django.db.models.deletion
from django.db import migrations, models


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
        migrations.RunPython(create_index, drop_index),
    ]

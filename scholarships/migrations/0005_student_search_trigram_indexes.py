"""The student search (`icontains` on the name, the Lao name, the passport number and the sending
body: `UPPER(column) LIKE UPPER('%…%')`) is served on PostgreSQL by trigram indexes on those very
expressions, so it no longer reads the whole table. Elsewhere (SQLite) there is nothing to do: the
search works the same, by scanning."""

from django.db import migrations

COLUMNS = ("full_name", "full_name_lao", "passport_number", "sending_body")


def index_name(column: str) -> str:
    return f"student_search_{column}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {index_name(column)} ON scholarships_student '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(column)}")


class Migration(migrations.Migration):
    dependencies = [("scholarships", "0004_payment_month_paid_on_index")]

    operations = [migrations.RunPython(create, drop)]

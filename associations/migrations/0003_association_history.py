from django.db import migrations
from django.utils import timezone


def record_creation(apps, schema_editor):
    """The five associations were made by a migration, which writes no history: give each its "created" row."""
    Association = apps.get_model("associations", "Association")
    HistoricalAssociation = apps.get_model("associations", "HistoricalAssociation")
    names = [field.attname for field in Association._meta.concrete_fields]
    for association in Association.objects.exclude(pk__in=HistoricalAssociation.objects.values("id")):
        HistoricalAssociation.objects.create(
            **{name: getattr(association, name) for name in names},
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Khởi tạo cùng hệ thống",
        )


class Migration(migrations.Migration):
    dependencies = [("associations", "0002_reference_data")]

    operations = [migrations.RunPython(record_creation, migrations.RunPython.noop)]

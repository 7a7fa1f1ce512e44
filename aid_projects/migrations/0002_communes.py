import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load_communes(apps, schema_editor):
    Commune = apps.get_model("aid_projects", "Commune")
    with open(DATA / "ha_tinh_communes_2025.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Commune.objects.update_or_create(code=row["code"].strip(), defaults={"name": row["name"].strip()})


class Migration(migrations.Migration):
    dependencies = [("aid_projects", "0001_initial")]

    operations = [migrations.RunPython(load_communes, migrations.RunPython.noop)]

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

ASSOCIATIONS = [
    # code, name, short name, partner countries, display order
    ("laos", "Hội Hữu nghị Việt Nam – Lào tỉnh Hà Tĩnh", "Việt Nam – Lào", "LA", 1),
    ("russia", "Hội Hữu nghị Việt Nam – Nga tỉnh Hà Tĩnh", "Việt Nam – Nga", "RU", 2),
    ("thailand", "Hội Hữu nghị Việt Nam – Thái Lan tỉnh Hà Tĩnh", "Việt Nam – Thái Lan", "TH", 3),
    ("czech_slovakia", "Hội Hữu nghị Việt Nam – Séc, Slovakia tỉnh Hà Tĩnh", "Việt Nam – Séc, Slovakia", "CZ,SK", 4),
    ("poland", "Hội Hữu nghị Việt Nam – Ba Lan tỉnh Hà Tĩnh", "Việt Nam – Ba Lan", "PL", 5),
]


def load(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    LaoProvince = apps.get_model("associations", "LaoProvince")
    for code, name, short_name, countries, order in ASSOCIATIONS:
        Association.objects.update_or_create(
            code=code,
            defaults={"name": name, "short_name": short_name, "countries": countries, "display_order": order},
        )
    with open(DATA / "lao_provinces.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            LaoProvince.objects.update_or_create(
                iso_code=row["iso_code"], defaults={"name_vi": row["name_vi"], "name_en": row["name_en"]}
            )


def unload(apps, schema_editor):
    apps.get_model("associations", "LaoProvince").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("associations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

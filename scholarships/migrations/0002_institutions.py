from django.db import migrations

INSTITUTIONS = [
    ("Trường Đại học Hà Tĩnh", "ĐH Hà Tĩnh", "Xã Cẩm Vịnh, tỉnh Hà Tĩnh"),
    ("Trường Cao đẳng Y tế Hà Tĩnh", "CĐ Y tế Hà Tĩnh", "Phường Thành Sen, tỉnh Hà Tĩnh"),
    ("Trường Cao đẳng Kỹ thuật Việt – Đức Hà Tĩnh", "CĐ Việt – Đức", "Phường Thành Sen, tỉnh Hà Tĩnh"),
]


def load(apps, schema_editor):
    Institution = apps.get_model("scholarships", "Institution")
    for name, short_name, address in INSTITUTIONS:
        Institution.objects.get_or_create(name=name, defaults={"short_name": short_name, "address": address})


class Migration(migrations.Migration):
    dependencies = [("scholarships", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

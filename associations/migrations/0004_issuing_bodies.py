from django.conf import settings
from django.db import migrations

# The code each association's document numbers carry (05/BC-HNVL); the administrator may change them.
DOCUMENT_CODES = {
    "laos": "HNVL",
    "russia": "HNVN",
    "thailand": "HNVTL",
    "czech_slovakia": "HNVSS",
    "poland": "HNVBL",
}


def issuing_bodies(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    IssuingBody = apps.get_model("friendship_portal", "IssuingBody")
    for association in Association.objects.all():
        IssuingBody.objects.get_or_create(
            key=association.code,
            defaults={
                "name": association.name,
                "superior": settings.PORTAL_UNION_NAME,
                "code": DOCUMENT_CODES.get(association.code, association.code.upper().replace("_", "")[:20]),
                "signer_capacity": "TM. Ban Chấp hành",
                "signer_position": "Chủ tịch",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0003_association_history"),
        ("friendship_portal", "0012_document_register"),
    ]

    operations = [migrations.RunPython(issuing_bodies, migrations.RunPython.noop)]

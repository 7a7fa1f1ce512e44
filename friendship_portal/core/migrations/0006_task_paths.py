from django.db import migrations

# The base's tasks live in friendship_portal.core, the budget summary's in the overview.
RENAMED = {
    "friendship_portal.tasks.reports_sweep_task": "friendship_portal.core.tasks.reports_sweep_task",
    "friendship_portal.tasks.budget_summary_monthly_task": "friendship_portal.overview.tasks.budget_summary_monthly_task",
}


def rename(apps, schema_editor, mapping=RENAMED):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in mapping.items():
        PeriodicTask.objects.filter(task=old).update(task=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("friendship_portal", "0005_report_schedules")]

    operations = [migrations.RunPython(rename, rename_back)]

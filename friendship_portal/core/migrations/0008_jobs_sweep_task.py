from django.db import migrations

# One sweep for every background job, imports as well as reports (friendship_portal/core/jobs.py).
OLD = ("reports: queue again the jobs the broker never delivered", "friendship_portal.core.tasks.reports_sweep_task")
NEW = ("jobs: queue again the imports and reports the broker or a worker lost", "friendship_portal.core.tasks.jobs_sweep_task")


def rename(apps, schema_editor, old=OLD, new=NEW):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=old[1]).update(name=new[0], task=new[1])


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("friendship_portal", "0007_job"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]

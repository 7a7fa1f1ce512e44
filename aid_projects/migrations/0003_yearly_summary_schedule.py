from django.db import migrations

NAME = "aid: yearly summary of last year's aid, early January"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    early_january, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="5", month_of_year="1", timezone="Asia/Ho_Chi_Minh"
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": "aid_projects.tasks.aid_yearly_summary_task", "crontab": early_january, "enabled": True},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("aid_projects", "0002_communes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

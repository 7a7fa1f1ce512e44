from django.db import migrations

SWEEP = "reports: queue again the jobs the broker never delivered"
BUDGET = "reports: budget summary of the current year, monthly"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=SWEEP,
        defaults={"task": "friendship_portal.tasks.reports_sweep_task", "interval": every_five_minutes, "enabled": True},
    )
    first_of_month, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_week="*", day_of_month="1", month_of_year="*", timezone="Asia/Ho_Chi_Minh"
    )
    PeriodicTask.objects.update_or_create(
        name=BUDGET,
        defaults={"task": "friendship_portal.tasks.budget_summary_monthly_task", "crontab": first_of_month, "enabled": True},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[SWEEP, BUDGET]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("friendship_portal", "0004_report_job"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

"""One `Job` for the imports and the reports: every ImportJob and ReportJob row is copied into it,
oldest first (their files stay where they are), and the two tables are dropped. The copies get new
ids, so an old link to /imports/<id>/ or /reports/<id>/… leads elsewhere or nowhere."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FINISHED = ("done", "refused", "failed")


def _import_fields(job) -> dict:
    failed = job.state == "failed"
    if job.state in FINISHED:
        progress = 100
    else:
        progress = min(99, 100 * job.processed_rows // job.total_rows) if job.total_rows else 0
    return {
        "family": "import",
        "kind": job.kind,
        "title": job.original_name,
        "state": job.state,
        "progress": progress,
        "attempts": 0 if job.state == "queued" else 1,
        "upload": job.file.name,
        # A failed import kept its one message as an error "row" at line 0; a job now keeps it as text.
        "errors": [] if failed else job.errors,
        "error": "; ".join(message for error in job.errors for message in error["messages"]) if failed else "",
        "created_count": job.created_count,
        "updated_count": job.updated_count,
        "requested_by_id": job.created_by_id,
        "queued_at": job.created_at,
        # So that the sweep takes an import left running by its worker for dead.
        "started_at": None if job.state == "queued" else job.created_at,
        "finished_at": job.finished_at,
    }


def _report_fields(job) -> dict:
    names = ("kind", "params", "title", "state", "progress", "file", "error", "attempts", "requested_by_id")
    times = ("queued_at", "started_at", "finished_at")
    return {"family": "report", **{name: getattr(job, name) for name in names + times}}


def copy_jobs(apps, schema_editor):
    ImportJob = apps.get_model("friendship_portal", "ImportJob")
    ReportJob = apps.get_model("friendship_portal", "ReportJob")
    Job = apps.get_model("friendship_portal", "Job")
    old = [(job, _import_fields(job)) for job in ImportJob.objects.order_by("pk")]
    old += [(job, _report_fields(job)) for job in ReportJob.objects.order_by("pk")]
    old.sort(key=lambda pair: pair[0].created_at)
    for job, fields in old:
        copy = Job.objects.create(**fields)
        Job.objects.filter(pk=copy.pk).update(created_at=job.created_at)  # auto_now_add set it to now


def copy_jobs_back(apps, schema_editor):
    ImportJob = apps.get_model("friendship_portal", "ImportJob")
    ReportJob = apps.get_model("friendship_portal", "ReportJob")
    Job = apps.get_model("friendship_portal", "Job")
    for job in Job.objects.order_by("created_at", "pk"):
        if job.family == "report":
            copy = ReportJob.objects.create(
                kind=job.kind,
                params=job.params,
                title=job.title,
                state=job.state if job.state != "refused" else "failed",
                progress=job.progress,
                file=job.file.name,
                error=job.error,
                attempts=job.attempts,
                requested_by_id=job.requested_by_id,
                queued_at=job.queued_at,
                started_at=job.started_at,
                finished_at=job.finished_at,
            )
            ReportJob.objects.filter(pk=copy.pk).update(created_at=job.created_at)
        elif job.requested_by_id is not None:  # an import always names who imported it
            failed = job.state == "failed"
            copy = ImportJob.objects.create(
                kind=job.kind,
                file=job.upload.name,
                original_name=job.title,
                state=job.state,
                total_rows=100,
                processed_rows=job.progress,
                created_count=job.created_count,
                updated_count=job.updated_count,
                errors=[{"line": 0, "messages": [job.error]}] if failed else job.errors,
                created_by_id=job.requested_by_id,
                finished_at=job.finished_at,
            )
            ImportJob.objects.filter(pk=copy.pk).update(created_at=job.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("friendship_portal", "0006_task_paths"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Job",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "family",
                    models.CharField(
                        choices=[("import", "Import"), ("report", "Report")], max_length=10, verbose_name="family"
                    ),
                ),
                ("kind", models.CharField(max_length=60, verbose_name="kind")),
                ("title", models.CharField(max_length=255, verbose_name="title")),
                ("params", models.JSONField(blank=True, default=dict, verbose_name="parameters")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("refused", "Refused: the file has errors"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                ("progress", models.PositiveSmallIntegerField(default=0, verbose_name="progress")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                (
                    "upload",
                    models.FileField(
                        blank=True, max_length=255, upload_to="imports/%Y%m/", verbose_name="uploaded file"
                    ),
                ),
                ("file", models.FileField(blank=True, max_length=255, upload_to="reports/", verbose_name="file")),
                ("errors", models.JSONField(blank=True, default=list, verbose_name="errors")),
                ("error", models.TextField(blank=True, verbose_name="error")),
                ("created_count", models.PositiveIntegerField(default=0, verbose_name="created")),
                ("updated_count", models.PositiveIntegerField(default=0, verbose_name="updated")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="requested at")),
                ("queued_at", models.DateTimeField(blank=True, null=True, verbose_name="queued at")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started at")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "background job",
                "verbose_name_plural": "background jobs",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["state", "queued_at"], name="friendship__state_ce47f8_idx"),
                    models.Index(fields=["family", "kind"], name="friendship__family_d95f10_idx"),
                ],
            },
        ),
        migrations.RunPython(copy_jobs, copy_jobs_back),
        migrations.DeleteModel(name="ImportJob"),
        migrations.DeleteModel(name="ReportJob"),
    ]

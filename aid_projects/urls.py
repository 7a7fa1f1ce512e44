from django.urls import path

from aid_projects import views

app_name = "aid_projects"

urlpatterns = [
    path("", views.index, name="index"),
    *views.PROJECTS.urls(),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    *[
        path(
            f"projects/<int:pk>/{key.replace('_', '-')}/",
            views.project_step,
            {"key": key},
            name=step.url_name.split(":")[1],
        )
        for key, step in views.STEPS.items()
    ],
    path("projects/<int:pk>/disbursements/new/", views.disbursement_create, name="disbursement_create"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("donors/", views.donors, name="donors"),
    path("donors/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("yearly/", views.yearly, name="yearly"),
    path("alerts/", views.alerts, name="alerts"),
    path("import/", views.import_page, name="import"),
    path("import/<slug:kind>/template.xlsx", views.import_template, name="import_template"),
    path("iati/", views.iati_export, name="iati"),
]

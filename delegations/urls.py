from django.urls import path

from delegations import views

app_name = "delegations"

urlpatterns = [
    path("", views.overview, name="overview"),
    *views.OUTBOUND.urls(),
    *views.INBOUND.urls(),
    path("waiting/", views.waiting, name="waiting"),
    path("overdue-reports/", views.overdue_reports, name="overdue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/endorse/", views.endorse, name="endorse"),
    path("<int:pk>/return/", views.return_for_revision, name="return"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report/document/", views.report_document, name="report_document"),
    path("<int:pk>/recovery/", views.recovery, name="recovery"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]

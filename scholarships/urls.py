from django.urls import path
from django.views.generic import RedirectView

from scholarships import views

app_name = "scholarships"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="scholarships:student_list"), name="index"),
    *views.STUDENTS.urls(),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("students/<int:pk>/awards/new/", views.award_create, name="award_create"),
    path("payments/", views.payments, name="payments"),
    path("budget/", views.budget, name="budget"),
    path("alerts/", views.alerts, name="alerts"),
    path("import/", views.import_students, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    *views.INSTITUTIONS.urls(),
    *views.BUDGETS.urls(),
]

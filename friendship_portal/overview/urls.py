"""The dashboard and the pages per place and per association (names kept global: `dashboard`, …)."""

from django.urls import path

from friendship_portal.overview import views

urlpatterns = [
    path("", views.overview, name="dashboard"),
    path("print/", views.overview_print, name="dashboard_print"),
    path("lao-provinces/<int:pk>/", views.lao_province, name="dashboard_lao_province"),
    path("countries/<str:code>/", views.country, name="dashboard_country"),
    path("associations/<int:pk>/", views.association, name="dashboard_association"),
]

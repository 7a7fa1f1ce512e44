"""The portal's URL map. Each area keeps its prefix: /associations/, /delegations/,
/scholarships/, /aid-projects/, /dashboard/, /reports/, /accounts/, /admin/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from associations.views import home
from friendship_portal.core import account_views, views
from friendship_portal.core.choices import choices_view

handler400 = views.bad_request

admin.site.site_header = _("Friendship Portal administration")
admin.site.site_title = _("Friendship Portal")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report/", views.csp_report, name="csp_report"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", account_views.login_code, name="login_code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("accounts/profile/two-step/", account_views.two_factors_setup, name="two_factors_setup"),
    path("accounts/profile/two-step/backup-codes/", account_views.backup_codes, name="backup_codes"),
    path("accounts/profile/two-step/off/", account_views.two_factors_turn_off, name="two_factors_turn_off"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/notifications/", views.notifications, name="notifications"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("dashboard/", include("friendship_portal.overview.urls")),
    path("reports/", views.reports_page, name="reports"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("reports/<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("choices/<slug:key>/", choices_view, name="choices"),
    path("documents/register/", views.document_register, name="document_register"),
    path("documents/register/<int:pk>/file/", views.document_register_file, name="document_register_file"),
    path("associations/", include("associations.urls")),
    path("delegations/", include("delegations.urls")),
    path("scholarships/", include("scholarships.urls")),
    path("aid-projects/", include("aid_projects.urls")),
    path("admin/", admin.site.urls),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidProjectsConfig(AppConfig):
    name = "aid_projects"
    verbose_name = _("Foreign NGO aid")

    def ready(self):
        from aid_projects import choices, imports, permissions, reports, signals, waiting  # noqa: F401  (registers rules, report, imports, choices, the kept years, waiting)

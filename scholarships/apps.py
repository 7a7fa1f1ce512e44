from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipsConfig(AppConfig):
    name = "scholarships"
    verbose_name = _("Scholarships for Lao students")

    def ready(self):
        from scholarships import imports, permissions, signals  # noqa: F401  (rules, the import, the current enrollment)

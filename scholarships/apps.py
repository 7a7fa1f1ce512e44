from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipsConfig(AppConfig):
    name = "scholarships"
    verbose_name = _("Scholarships for Lao students")

    def ready(self):
        from scholarships import imports, permissions  # noqa: F401  (registers the rules and the import)

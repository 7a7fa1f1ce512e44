from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Member associations")

    def ready(self):
        from associations import choices, permissions, signals  # noqa: F401  (the rules, the partner choices, the kept ranks)

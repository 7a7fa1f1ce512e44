from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidProjectsConfig(AppConfig):
    name = "aid_projects"
    verbose_name = _("Foreign NGO aid")

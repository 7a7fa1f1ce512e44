from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """The top layer: the dashboard, the pages per place and per association, and the reports that
    span the apps. It reads the apps through their selectors; nothing imports it."""

    name = "friendship_portal.overview"
    label = "overview"
    verbose_name = _("Overview")

    def ready(self):
        from friendship_portal.core import record_views
        from friendship_portal.overview import dashboard, summaries  # noqa: F401  (summaries registers its reports)

        # The way from an association's or a partner's record page to its dashboard page.
        record_views.register_record_links("associations.association", dashboard.record_links_association)
        record_views.register_record_links("associations.partner", dashboard.record_links_partner)

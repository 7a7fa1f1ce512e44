from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FriendshipPortalConfig(AppConfig):
    name = "friendship_portal"
    verbose_name = _("Friendship Portal")

    def ready(self):
        from friendship_portal import dashboard, summaries  # noqa: F401  (summaries registers its reports)
        from friendship_portal.signals import grant_administrator_permissions

        # Sent once per app with models (this one has none): permissions appear app by app.
        post_migrate.connect(grant_administrator_permissions, dispatch_uid="grant_administrator_permissions")
        dashboard.connect_signals()

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The base every app stands on: roles, record pages, jobs, documents, formatting, notices.

    Its label stays `friendship_portal`, so its tables, migrations and task history keep their names.
    It imports no app of the portal.
    """

    name = "friendship_portal.core"
    label = "friendship_portal"
    verbose_name = _("Friendship Portal")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in

        from friendship_portal.core import figures  # imports, reports: each registers its jobs
        from friendship_portal.core.history import build_history_managers_once
        from friendship_portal.core.roles import install_roles_only_permissions
        from friendship_portal.core.signals import grant_administrator_permissions, on_user_logged_in

        install_roles_only_permissions(get_user_model())
        build_history_managers_once()
        figures.connect_signals()  # any saved record of the apps: the cached figures are read again

        # Sent once per app with models: permissions appear app by app.
        post_migrate.connect(grant_administrator_permissions, dispatch_uid="grant_administrator_permissions")
        user_logged_in.connect(on_user_logged_in, dispatch_uid="portal_on_user_logged_in")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FriendshipPortalConfig(AppConfig):
    name = "friendship_portal"
    verbose_name = _("Friendship Portal")

"""The portal's roles and the predicates every layer asks.

A role is a Django group created by a data migration (friendship_portal/core/migrations/0001_roles).
Services, views, templates (`{% has_perm %}` / `{% test_rule %}`) and the admin all ask these
predicates, so a rule is written once. Which association a leader leads is owned by
`associations` (it owns leadership); this module knows only the roles.
"""

import rules
from django.utils.translation import gettext_lazy as _


class Role:
    UNION_STAFF = "union_staff"
    ASSOCIATION_LEADER = "association_leader"
    PROVINCIAL_OFFICE = "provincial_office"
    ADMINISTRATOR = "administrator"

    LABELS = {
        UNION_STAFF: _("Union staff"),
        ASSOCIATION_LEADER: _("Association leader"),
        PROVINCIAL_OFFICE: _("Provincial office"),
        ADMINISTRATOR: _("Administrator"),
    }
    ALL = tuple(LABELS)
    CHOICES = list(LABELS.items())


def group_names(user) -> set[str]:
    """The names of the user's groups, read once per user object (the attribute rules' own group
    predicate keeps them in). A list page asks a role of every row's steps: asking `user.groups`
    each time would build a related manager per question."""
    names = getattr(user, "_group_names_cache", None)
    if names is None:
        if getattr(user, "pk", None) is None:  # anonymous: no groups
            return set()
        names = user._group_names_cache = set(user.groups.values_list("name", flat=True))
    return names


def holds(role: str):
    """The predicate "the user is in the group of `role`"."""

    @rules.predicate(f"holds:{role}")
    def holds_role(user) -> bool:
        return role in group_names(user)

    return holds_role


is_union_staff = holds(Role.UNION_STAFF)
is_association_leader = holds(Role.ASSOCIATION_LEADER)
is_provincial_office = holds(Role.PROVINCIAL_OFFICE)
is_administrator_group = holds(Role.ADMINISTRATOR)


# Each role's predicate, built once (a predicate reads its function's signature when it is made).
_HOLDS = {
    Role.UNION_STAFF: is_union_staff,
    Role.ASSOCIATION_LEADER: is_association_leader,
    Role.PROVINCIAL_OFFICE: is_provincial_office,
    Role.ADMINISTRATOR: is_administrator_group,
}


@rules.predicate
def is_administrator(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or is_administrator_group(user)


# Reads the whole portal (every association, every record) without being scoped.
reads_everything = is_union_staff | is_provincial_office | is_administrator
has_any_role = is_union_staff | is_association_leader | is_provincial_office | is_administrator
# Decides for the province or runs the accounts: their sessions end with the browser, and they give
# a one-time code at login when PORTAL_OTP_REQUIRED is on.
needs_strong_sign_in = is_provincial_office | is_administrator


def role_labels(user) -> list[str]:
    """The names of the roles a user holds, for the header and the account page."""
    if not getattr(user, "is_authenticated", False):
        return []
    labels = [str(label) for role, label in Role.LABELS.items() if _HOLDS[role](user)]
    if user.is_superuser and str(Role.LABELS[Role.ADMINISTRATOR]) not in labels:
        labels.append(str(Role.LABELS[Role.ADMINISTRATOR]))
    return labels


# As permissions, so `user.has_perm("portal.reads_everything")` and `{% has_perm %}` ask them.
rules.add_perm("portal.reads_everything", reads_everything)
rules.add_perm("portal.is_union_staff", is_union_staff)
rules.add_perm("portal.is_provincial_office", is_provincial_office)
rules.add_perm("portal.is_administrator", is_administrator)
rules.add_perm("portal.has_any_role", has_any_role)
# Who signs for the union and for each association, and the codes in their numbers: the administrator's.
rules.add_perm("friendship_portal.view_issuingbody", is_administrator)
rules.add_perm("friendship_portal.change_issuingbody", is_administrator)
rules.add_perm("friendship_portal.add_issuingbody", rules.always_deny)
rules.add_perm("friendship_portal.delete_issuingbody", rules.always_deny)


def has_perm_by_roles(user, perm: str, obj=None) -> bool:
    """`User.has_perm` for the portal: a permission written as a rule is answered by its rule alone,
    never by Django's superuser shortcut, so being a superuser grants no workflow step and opens no
    classified file (separation of duties). A superuser keeps the administrator role's rights (users,
    reference data, reading everything) because `is_administrator` names them. Permissions that are
    not rules (the admin's own model permissions) are answered as Django answers them."""
    if not user.is_active:
        return False
    if rules.perm_exists(perm):
        return rules.has_perm(perm, user, obj) if obj is not None else rules.has_perm(perm, user)
    return _django_has_perm(user, perm, obj)


_django_has_perm = None


def install_roles_only_permissions(user_model) -> None:
    """Answer `has_perm` by the roles (called once at start-up by the core's AppConfig)."""
    global _django_has_perm
    if _django_has_perm is None:
        _django_has_perm = user_model.has_perm
        user_model.has_perm = has_perm_by_roles


def administrators():
    """The active accounts that run the portal (the administrator role, or a superuser): those told
    when something of the whole portal fails, such as the nightly backup."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return (
        get_user_model()
        .objects.filter(Q(groups__name=Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("pk")
    )

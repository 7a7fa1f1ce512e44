from associations.models import Association
from associations.scope import leader_association_id
from friendship_portal.core.roles import is_association_leader


def leadership(request):
    """The association a leader leads, for the navigation's "my association" link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_association_leader(user):
        return {}
    association_id = leader_association_id(user)
    if association_id is None:
        return {}
    return {"led_association": Association.objects.filter(pk=association_id).first()}

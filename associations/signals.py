"""Kept figures of the associations: each member's association's place in the associations' order
(`Member.association_rank`), written again for every member when an association is saved or deleted."""

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from associations.models import Association, Member, association_ranks


def rank_the_members() -> int:
    """Every member whose kept place differs from their association's place now: one statement."""
    ranks = association_ranks()
    if not ranks:
        return 0
    rank = Case(
        *[When(association_id=pk, then=Value(place)) for pk, place in ranks.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    return Member.objects.filter(~Q(association_rank=rank)).update(association_rank=rank)


@receiver(post_save, sender=Association, dispatch_uid="member_ranks_on_association_save")
@receiver(post_delete, sender=Association, dispatch_uid="member_ranks_on_association_delete")
def members_follow_the_associations_order(sender, raw=False, **kwargs):
    if not raw:  # loaddata: the fixture carries the column itself
        rank_the_members()

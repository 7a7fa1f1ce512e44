"""The members of every association are listed in the associations' order (display order, then name),
then by name, from one index: each member keeps its association's place (`Member.association_rank`),
written with every save of the member and again for every member when an association's order changes."""

import pytest
from django.urls import reverse

from associations.models import Association, Member
from associations.signals import rank_the_members
from tests import factories

pytestmark = pytest.mark.django_db


def in_the_associations_order() -> list[str]:
    """The members as the associations' own order and the names put them, read without the kept column."""
    return [
        member.full_name
        for member in sorted(
            Member.objects.select_related("association"),
            key=lambda m: (m.association.display_order, m.association.name, m.full_name),
        )
    ]


def test_the_list_follows_the_associations_order_through_every_change(client, cast):
    laos, russia = factories.association("laos"), factories.association("russia")
    for association, names in (
        (laos, ["Trần Văn Minh", "Lê Thị Lan"]),
        (russia, ["Nguyễn Thị Hương", "Bùi Công Toàn"]),
    ):
        for name in names:
            factories.MemberFactory(association=association, full_name=name)
    assert list(Member.objects.values_list("full_name", flat=True)) == in_the_associations_order()

    # The union reorders its associations: every member follows.
    laos.display_order, russia.display_order = russia.display_order + 1, laos.display_order
    laos.save()
    russia.save()
    assert list(Member.objects.values_list("full_name", flat=True)) == in_the_associations_order()

    # A member moved to another association takes that association's place.
    moved = Member.objects.get(full_name="Lê Thị Lan")
    moved.association, moved.branch = russia, None
    moved.save()
    assert list(Member.objects.values_list("full_name", flat=True)) == in_the_associations_order()

    client.force_login(cast.staff)
    response = client.get(reverse("associations:member_list"))
    listed = [row[1][0] for row in response.context["rows"]]
    assert listed == in_the_associations_order()[: len(listed)]


def test_ranking_again_writes_only_the_members_out_of_place():
    factories.MemberFactory(association=factories.association("laos"))
    factories.MemberFactory(association=factories.association("russia"))
    assert rank_the_members() == 0

    Member.objects.update(association_rank=99)  # written by other means
    assert rank_the_members() == 2
    assert list(Member.objects.values_list("full_name", flat=True)) == in_the_associations_order()
    assert Association.objects.count() == 5

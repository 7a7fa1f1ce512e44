"""history_entries: a record's history and its inline children's, ready to show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from associations.models import Member, Partner, PartnerContact
from friendship_portal.core.records import history_entries, record_save
from tests import factories


def in_vietnamese(text) -> str:
    with translation.override("vi"):
        return gettext(text) if isinstance(text, str) else str(text)


def member_history(member):
    return history_entries([(Member, member.history.all())])


def test_yes_and_no_for_booleans(cast):
    partner = factories.PartnerFactory(association=cast.laos, is_active=True)
    partner.is_active = False
    record_save(actor=cast.staff, instance=partner)

    with translation.override("vi"):
        (change,) = history_entries([(Partner, partner.history.all())])[0].changes

    assert (change.old, change.new) == (in_vietnamese("Yes"), in_vietnamese("No"))


def test_related_records_are_named_with_a_fixed_number_of_queries(cast):
    def history_of_member_moved_between(count):
        branches = [factories.BranchFactory(association=cast.laos) for _ in range(count)]
        member = factories.MemberFactory(association=cast.laos, branch=branches[0])
        for branch in branches[1:]:
            member.branch = branch
            record_save(actor=cast.staff, instance=member)
        with CaptureQueriesContext(connection) as queries:
            entries = member_history(member)
        return entries, len(queries), branches

    few, few_queries, _ = history_of_member_moved_between(2)
    many, many_queries, branches = history_of_member_moved_between(8)

    assert few_queries == many_queries == 2  # the history rows with their users, then the branches
    assert [(c.old, c.new) for c in many[0].changes] == [(branches[-2].name, branches[-1].name)]
    assert len(many) == 8


def test_entries_name_the_user_or_nobody(cast):
    member = factories.MemberFactory(association=cast.laos)  # written by no user (a command, a migration)
    member.position = "Ủy viên Ban Chấp hành"
    record_save(actor=cast.staff, instance=member)

    changed, created = member_history(member)

    assert changed.user == f"{cast.staff.last_name} {cast.staff.first_name}"  # family name first
    assert created.user == ""


def test_user_without_a_full_name_is_named_by_username(cast):
    clerk = factories.UserFactory(username="van.thu", first_name="", last_name="", roles=["union_staff"])
    member = factories.MemberFactory(association=cast.laos)
    member.position = "Hội viên danh dự"
    record_save(actor=clerk, instance=member)

    assert member_history(member)[0].user == "van.thu"


def test_children_history_is_mixed_in_with_the_parent_newest_first(cast):
    partner = factories.PartnerFactory(association=cast.laos, name="Đại sứ quán Lào tại Hà Nội")
    contact = PartnerContact(partner=partner, full_name="Phetsamone Vongkhamxao")
    record_save(actor=cast.staff, instance=partner, children=[contact])
    partner.phone = "024 3825 4576"
    record_save(actor=cast.staff, instance=partner)

    entries = history_entries(
        [(Partner, partner.history.all()), (PartnerContact, PartnerContact.history.filter(partner_id=partner.pk))]
    )

    subjects = [(entry.kind, entry.subject) for entry in entries]
    partner_name = in_vietnamese(Partner._meta.verbose_name)
    contact_name = in_vietnamese(PartnerContact._meta.verbose_name)
    assert subjects[0] == ("changed", f"{partner_name}: Đại sứ quán Lào tại Hà Nội")
    assert ("created", f"{contact_name}: Phetsamone Vongkhamxao") in subjects
    assert subjects[-1] == ("created", f"{partner_name}: Đại sứ quán Lào tại Hà Nội")


def test_limit_keeps_the_newest_entries(cast):
    member = factories.MemberFactory(association=cast.laos, birth_year=1970)
    for year in range(1971, 1976):
        member.birth_year = year
        record_save(actor=cast.staff, instance=member)

    entries = history_entries([(Member, member.history.all())], limit=3)

    assert len(entries) == 3
    assert [c.new for c in entries[0].changes] == ["1975"]


def test_timestamps_are_not_listed_as_changes(cast):
    member = factories.MemberFactory(association=cast.laos, phone="")
    member.phone = "0912 345 678"
    record_save(actor=cast.staff, instance=member)

    (change,) = member_history(member)[0].changes

    assert (change.old, change.new) == ("—", "0912 345 678")

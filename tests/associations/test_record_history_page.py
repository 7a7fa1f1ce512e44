"""The change history on a record's page: who changed what, from what to what."""

import datetime
import re

from django.utils import translation
from django.utils.html import escape
from django_countries import countries

from associations.models import Association, Branch, Member, Partner
from friendship_portal.core.display import person_name
from friendship_portal.core.records import record_save
from tests import factories
from tests.associations.kinds import filled_form, page_url


def in_vietnamese(text) -> str:
    with translation.override("vi"):
        return str(text)


def label(model, name) -> str:
    return in_vietnamese(model._meta.get_field(name).verbose_name)


def changes_of(entry) -> dict:
    return {change.label: (change.old, change.new) for change in entry.changes}


def test_member_page_shows_who_changed_what_from_what_to_what(login, cast):
    member = factories.MemberFactory(association=cast.laos, workplace="Sở Ngoại vụ Hà Tĩnh", branch=None)
    branch = factories.BranchFactory(association=cast.laos, name="Chi hội Đại học Hà Tĩnh")
    client = login(cast.laos_leader)
    data = filled_form(client.get(page_url("member", "update", member)))
    data.update(workplace="UBND tỉnh Hà Tĩnh", branch=str(branch.pk), status="left", status_changed_on="01/10/2026")
    client.post(page_url("member", "update", member), data)

    response = client.get(page_url("member", "detail", member))

    latest, created = response.context["history"]
    assert latest.kind == "changed"
    assert latest.user == person_name(cast.laos_leader)
    assert changes_of(latest) == {
        label(Member, "workplace"): ("Sở Ngoại vụ Hà Tĩnh", "UBND tỉnh Hà Tĩnh"),
        label(Member, "branch"): ("—", "Chi hội Đại học Hà Tĩnh"),
        label(Member, "status"): (in_vietnamese(Member.Status.ACTIVE.label), in_vietnamese(Member.Status.LEFT.label)),
        label(Member, "status_changed_on"): ("—", "01/10/2026"),
    }
    assert created.kind == "created"
    html = response.content.decode()
    history_html = html[html.index('data-testid="history"') :]
    assert escape(person_name(cast.laos_leader)) in history_html
    assert re.search(r"Sở Ngoại vụ Hà Tĩnh\s*</del>\s*→\s*UBND tỉnh Hà Tĩnh", history_html)


def test_history_shows_the_reason_given(login, cast):
    member = factories.MemberFactory(association=cast.laos, birth_year=1975)
    member.birth_year = 1976
    record_save(actor=cast.staff, instance=member, reason="Sửa theo căn cước công dân")

    response = login(cast.staff).get(page_url("member", "detail", member))

    assert response.context["history"][0].reason == "Sửa theo căn cước công dân"
    assert changes_of(response.context["history"][0]) == {label(Member, "birth_year"): ("1975", "1976")}
    assert escape("Sửa theo căn cước công dân") in response.content.decode()


def test_history_is_newest_first(login, cast):
    activity = factories.ActivityFactory(association=cast.laos, participants=50)
    for participants in (60, 70):
        activity.participants = participants
        record_save(actor=cast.staff, instance=activity)

    history = login(cast.staff).get(page_url("activity", "detail", activity)).context["history"]

    assert [list(changes_of(entry).values()) for entry in history] == [[("60", "70")], [("50", "60")], []]


def test_first_edit_of_a_migration_created_association_shows_what_changed(login, cast):
    """The five associations come from a data migration; their first edit must still show old → new."""
    client = login(cast.staff)
    old_phone = cast.laos.phone or "—"
    data = filled_form(client.get(page_url("association", "update", cast.laos)))
    data["phone"] = "0239 3855 999"
    client.post(page_url("association", "update", cast.laos), data)

    response = client.get(page_url("association", "detail", cast.laos))

    latest = response.context["history"][0]
    assert latest.user == person_name(cast.staff)
    assert changes_of(latest) == {label(Association, "phone"): (old_phone, "0239 3855 999")}


def test_association_page_shows_a_change_of_its_partner_countries(login, cast):
    association = cast.associations["czech_slovakia"]
    association.description = "Hội thành lập năm 2005"
    record_save(actor=cast.staff, instance=association)
    association.countries = ["CZ"]
    record_save(actor=cast.staff, instance=association)

    response = login(cast.staff).get(page_url("association", "detail", association))

    assert response.status_code == 200
    changes = changes_of(response.context["history"][0])
    old, new = changes[label(Association, "countries")]
    with translation.override("vi"):
        czech, slovak = countries.name("CZ"), countries.name("SK")
    assert czech in old and slovak in old
    assert czech in new and slovak not in new


def test_partner_country_change_shows_country_names(login, cast):
    partner = factories.PartnerFactory(association=cast.laos, country="LA")
    partner.country = "TH"
    record_save(actor=cast.staff, instance=partner)

    history = login(cast.staff).get(page_url("partner", "detail", partner)).context["history"]

    with translation.override("vi"):
        expected = (countries.name("LA"), countries.name("TH"))
    assert changes_of(history[0])[label(Partner, "country")] == expected


def test_history_dates_read_day_month_year(login, cast):
    branch = factories.BranchFactory(association=cast.laos, founded_on=datetime.date(2010, 5, 19))
    branch.founded_on = datetime.date(2011, 3, 26)
    record_save(actor=cast.staff, instance=branch)

    history = login(cast.staff).get(page_url("branch", "detail", branch)).context["history"]

    assert changes_of(history[0]) == {label(Branch, "founded_on"): ("19/05/2010", "26/03/2011")}

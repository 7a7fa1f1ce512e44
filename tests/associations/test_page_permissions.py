"""Who may open which associations page and send which form, role by role.

The tables below are the contract; each row is one role, each column one page. Records belong to
Việt Nam–Nga unless the test says otherwise, so the Việt Nam–Lào leader (`cast.laos_leader`) is
the leader of *another* association there.
"""

import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from associations.models import Partner
from tests.associations.kinds import KINDS, MODELS, form_data, has_page, make_record, page_url, snapshot
from tests.workbooks import FIRST_ROW

ACTIONS = ("list", "create", "detail", "update", "delete")

# GET of each page, on a record of Việt Nam–Nga.
#                  list  create detail update delete
GET_ACCESS = {
    "staff":       (200,  200,   200,   200,   200),
    "laos_leader": (200,  200,   403,   403,   403),
    "province":    (200,  403,   200,   403,   403),
    "admin":       (200,  403,   200,   403,   403),
    "outsider":    (403,  403,   403,   403,   403),
    "anonymous":   (302,  302,   302,   302,   302),
}  # fmt: skip

# GET of each page by the Việt Nam–Lào leader, on a record of their own association.
LEADER_OWN_GET = dict(zip(ACTIONS, (200, 200, 200, 200, 403), strict=True))

# GET of each page by the Việt Nam–Lào leader, on a partner of the whole union (no association).
LEADER_UNION_WIDE_PARTNER_GET = dict(zip(ACTIONS, (200, 200, 200, 403, 403), strict=True))

# POST of valid data to each form, for a record of Việt Nam–Nga.
#   "saved"/"deleted": the change is made and the page redirects;
#   403: refused, nothing changes; "login": redirected to the login page, nothing changes.
#                  create   update   delete
POST_ACCESS = {
    "staff":       ("saved", "saved", "deleted"),
    "laos_leader": ("form",  403,     403),  # "form": the form does not offer Việt Nam–Nga, nothing is saved
    "province":    (403,     403,     403),
    "admin":       (403,     403,     403),
    "outsider":    (403,     403,     403),
    "anonymous":   ("login", "login", "login"),
}  # fmt: skip

# POST by the Việt Nam–Lào leader for a record of their own association.
LEADER_OWN_POST = {"create": "saved", "update": "saved", "delete": 403}


@pytest.fixture
def cast(module_cast):
    """Made once for the module: its many cases only read the users (tests/conftest.py)."""
    return module_cast


def user_of(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def client_as(client, login, cast, role):
    user = user_of(cast, role)
    return login(user) if user else client


def assert_login_redirect(response, url):
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(settings.LOGIN_URL)}?next={url}"


def get_cases():
    for kind in KINDS:
        for role, statuses in GET_ACCESS.items():
            for action, status in zip(ACTIONS, statuses, strict=True):
                if has_page(kind, action):
                    yield pytest.param(kind, role, action, status, id=f"{kind}-{role}-{action}-{status}")


@pytest.mark.parametrize(("kind", "role", "action", "expected"), list(get_cases()))
def test_page_access_on_other_association_record(client, login, cast, kind, role, action, expected):
    record = make_record(kind, cast.russia)
    url = page_url(kind, action, record)

    response = client_as(client, login, cast, role).get(url)

    if expected == 302:
        assert_login_redirect(response, url)
    else:
        assert response.status_code == expected
    if expected == 403:
        assert b'data-testid="denied"' in response.content  # the page that says why


@pytest.mark.parametrize(
    ("kind", "action", "expected"),
    [(kind, action, status) for kind in KINDS for action, status in LEADER_OWN_GET.items() if has_page(kind, action)],
)
def test_leader_page_access_on_own_association_record(login, cast, kind, action, expected):
    record = make_record(kind, cast.laos)

    response = login(cast.laos_leader).get(page_url(kind, action, record))

    assert response.status_code == expected


@pytest.mark.parametrize(("action", "expected"), LEADER_UNION_WIDE_PARTNER_GET.items())
def test_leader_page_access_on_union_wide_partner(login, cast, action, expected):
    partner = make_record("partner", None)

    response = login(cast.laos_leader).get(page_url("partner", action, partner))

    assert response.status_code == expected


def test_leader_sees_no_edit_or_delete_button_on_union_wide_partner(login, cast):
    partner = make_record("partner", None)

    response = login(cast.laos_leader).get(page_url("partner", "detail", partner))

    assert response.context["edit_url"] == ""
    assert response.context["delete_url"] == ""
    assert b'data-testid="edit"' not in response.content


def test_leader_sees_edit_but_no_delete_button_on_own_record(login, cast):
    member = make_record("member", cast.laos)

    response = login(cast.laos_leader).get(page_url("member", "detail", member))

    assert response.context["edit_url"] == page_url("member", "update", member)
    assert response.context["delete_url"] == ""


def test_staff_sees_edit_and_delete_buttons(login, cast):
    member = make_record("member", cast.russia)

    response = login(cast.staff).get(page_url("member", "detail", member))

    assert response.context["edit_url"] == page_url("member", "update", member)
    assert response.context["delete_url"] == page_url("member", "delete", member)


@pytest.mark.parametrize("role", ["province", "admin"])
def test_readers_see_no_add_edit_or_delete_button(login, cast, role):
    member = make_record("member", cast.russia)
    client = login(getattr(cast, role))

    listing = client.get(page_url("member", "list"))
    detail = client.get(page_url("member", "detail", member))

    assert listing.context["create_url"] == ""
    assert detail.context["edit_url"] == ""
    assert detail.context["delete_url"] == ""


# --- forms sent with POST --------------------------------------------------------------------


def post_cases():
    for kind in KINDS:
        for role, outcomes in POST_ACCESS.items():
            for action, outcome in zip(("create", "update", "delete"), outcomes, strict=True):
                if has_page(kind, action):
                    yield pytest.param(kind, role, action, outcome, id=f"{kind}-{role}-{action}-{outcome}")


def post_and_check(client, kind, action, record, association, outcome):
    """POST valid data for `action`; check the outcome and what it did to the database."""
    model = MODELS[kind]
    url = page_url(kind, action, record if action != "create" else None)
    data = {} if action == "delete" else form_data(kind, association, record=record if action == "update" else None)
    before_count = model.objects.count()
    before = snapshot(record)

    response = client.post(url, data)

    if outcome == "saved":
        assert response.status_code == 302, getattr(response, "context", None) and response.context.get("form").errors
        if action == "create":
            assert model.objects.count() == before_count + 1
            created = model.objects.order_by("-pk").first()
            assert response["Location"] == page_url(kind, "detail", created)
        else:
            assert response["Location"] == page_url(kind, "detail", record)
            assert snapshot(record) != before
        return response
    if outcome == "deleted":
        assert response.status_code == 302
        assert response["Location"] == page_url(kind, "list")
        assert not model.objects.filter(pk=record.pk).exists()
        return response
    if outcome == "login":
        assert_login_redirect(response, url)
    elif outcome == "form":
        assert response.status_code == 200
        assert "association" in response.context["form"].errors
    else:
        assert response.status_code == outcome
    assert model.objects.count() == before_count
    assert snapshot(record) == before
    return response


@pytest.mark.parametrize(("kind", "role", "action", "outcome"), list(post_cases()))
def test_post_on_other_association_record(client, login, cast, kind, role, action, outcome):
    record = make_record(kind, cast.russia)

    post_and_check(client_as(client, login, cast, role), kind, action, record, cast.russia, outcome)


@pytest.mark.parametrize(
    ("kind", "action", "outcome"),
    [
        (kind, action, outcome)
        for kind in KINDS
        for action, outcome in LEADER_OWN_POST.items()
        if has_page(kind, action)
    ],
)
def test_leader_post_on_own_association_record(login, cast, kind, action, outcome):
    record = make_record(kind, cast.laos)

    post_and_check(login(cast.laos_leader), kind, action, record, cast.laos, outcome)


@pytest.mark.parametrize("action", ["update", "delete"])
def test_leader_cannot_change_union_wide_partner(login, cast, action):
    partner = make_record("partner", None)

    post_and_check(login(cast.laos_leader), "partner", action, partner, None, 403)


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind not in ("association",)])
def test_leader_cannot_move_own_record_to_another_association(login, cast, kind):
    """A crafted POST naming Việt Nam–Nga: the form offers only the leader's association, so it refuses."""
    record = make_record(kind, cast.laos)
    before = snapshot(record)

    response = login(cast.laos_leader).post(
        page_url(kind, "update", record), form_data(kind, cast.russia, record=record)
    )

    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "association" in response.context["form"].errors
    assert snapshot(record) == before
    assert MODELS[kind].objects.filter(association=cast.russia).count() == 0


def test_leader_cannot_move_own_partner_to_the_whole_union(login, cast):
    partner = make_record("partner", cast.laos)
    before = snapshot(partner)

    response = login(cast.laos_leader).post(
        page_url("partner", "update", partner), form_data("partner", None, record=partner)
    )

    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "association" in response.context["form"].errors
    assert snapshot(partner) == before
    assert Partner.objects.filter(association=None).count() == 0


# --- what a refusal says -----------------------------------------------------------------------


def test_refused_delete_says_only_staff_may_delete(login, cast):
    member = make_record("member", cast.laos)

    response = login(cast.laos_leader).post(page_url("member", "delete", member))

    with translation.override("vi"):
        reason = gettext("Only union staff may delete records.")
    assert response.status_code == 403
    assert escape(reason) in response.content.decode()


def test_refused_detail_says_the_record_belongs_to_another_association(login, cast):
    member = make_record("member", cast.russia)

    response = login(cast.laos_leader).get(page_url("member", "detail", member))

    with translation.override("vi"):
        reason = gettext("You may not see this record: it belongs to an association you do not lead.")
    assert escape(reason) in response.content.decode()


# --- what a leader's lists show ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_leader_list_shows_only_own_association_rows(login, cast, kind):
    for association in cast.associations.values():
        make_record(kind, association)
        make_record(kind, association)

    response = login(cast.laos_leader).get(page_url(kind, "list"))

    shown = list(response.context["page"].object_list)
    assert shown
    if kind == "association":
        assert [association.pk for association in shown] == [cast.laos.pk]
    else:
        assert {record.association_id for record in shown} == {cast.laos.pk}
        assert len(shown) == 2


def test_leader_partner_list_shows_union_wide_and_own_partners(login, cast):
    own = make_record("partner", cast.laos)
    union_wide = make_record("partner", None)
    make_record("partner", cast.russia)

    response = login(cast.laos_leader).get(page_url("partner", "list"))

    assert {partner.pk for partner in response.context["page"].object_list} == {own.pk, union_wide.pk}


@pytest.mark.parametrize("role", ["staff", "province", "admin"])
def test_readers_list_shows_every_association_rows(login, cast, role):
    for association in cast.associations.values():
        make_record("member", association)

    response = login(getattr(cast, role)).get(page_url("member", "list"))

    assert {member.association_id for member in response.context["page"].object_list} == {
        association.pk for association in cast.associations.values()
    }


def test_leader_filtering_on_another_association_still_sees_only_own_rows(login, cast):
    make_record("member", cast.laos)
    make_record("member", cast.russia)

    response = login(cast.laos_leader).get(page_url("member", "list"), {"association": cast.russia.pk})

    assert {member.association_id for member in response.context["page"].object_list} <= {cast.laos.pk}


def test_leader_export_holds_only_own_association_rows(login, cast):
    laos_member = make_record("member", cast.laos)
    make_record("member", cast.russia)

    response = login(cast.laos_leader).get(page_url("member", "list"), {"export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=FIRST_ROW, min_col=2, values_only=True)]
    assert names == [laos_member.full_name]


def test_outsider_home_page_shows_no_association(login, cast):
    response = login(cast.outsider).get("/")

    assert response.status_code == 200
    assert response.context["associations"] == []
    assert b'data-testid="empty"' in response.content


def test_leader_home_page_shows_only_own_association(login, cast):
    response = login(cast.laos_leader).get("/")

    assert [association.pk for association in response.context["associations"]] == [cast.laos.pk]


def test_anonymous_home_page_redirects_to_login(client):
    response = client.get("/")

    assert_login_redirect(response, "/")

"""Django's admin lists read each related record with the row, not once per row: every foreign key a
change list shows is in its `list_select_related`, and a change list costs the same queries for 3
partners as for 30."""

import pytest
from django.contrib import admin
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories


def shown_foreign_keys(model_admin) -> set[str]:
    names = set()
    for name in model_admin.list_display:
        if not isinstance(name, str):
            continue
        try:
            field = model_admin.model._meta.get_field(name)
        except Exception:  # a method or a computed column  # noqa: BLE001
            continue
        if isinstance(field, models.ForeignKey):
            names.add(name)
    return names


PORTAL_ADMINS = [
    model_admin
    for model_admin in admin.site._registry.values()
    if type(model_admin).__module__.split(".")[0]
    in ("friendship_portal", "associations", "delegations", "scholarships", "aid_projects")
]


@pytest.mark.parametrize("model_admin", PORTAL_ADMINS, ids=lambda model_admin: model_admin.model._meta.label)
def test_every_foreign_key_a_change_list_shows_is_read_with_its_row(model_admin):
    related = model_admin.list_select_related
    if related is True:
        return
    assert shown_foreign_keys(model_admin) <= set(related or ()), model_admin


@pytest.mark.django_db
def test_the_partner_change_list_costs_the_same_for_three_partners_or_thirty(client, django_user_model, cast):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(superuser)
    url = reverse("admin:associations_partner_changelist")
    factories.PartnerFactory.create_batch(3, association=cast.laos)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for association in cast.associations.values():
        factories.PartnerFactory.create_batch(6, association=association)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)

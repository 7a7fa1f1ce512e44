"""The list and detail pages run as many queries for many rows as for few (no query per row)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegations.models import Delegation
from delegations.services import attachment_add, delegation_submit
from tests.delegations.support import SAMPLES

S = Delegation.Status


def queries_for(client, url) -> int:
    client.get(url)  # warm up: sessions, caches of the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["staff", "laos_leader"])
def test_outbound_list_queries_do_not_grow_with_the_rows(cast, login, delegation_factory, recovery_factory, role):
    client = login(getattr(cast, role))
    url = reverse("delegations:outbound_list")
    statuses = [S.DRAFT, S.SUBMITTED, S.APPROVED, S.RETURNED]

    delegation_factory.create_batch(2, status=S.SUBMITTED)
    recovery_factory()
    few = queries_for(client, url)
    for index in range(18):
        delegation_factory(status=statuses[index % len(statuses)], countries=["LA", "TH"], report_due_on="2026-06-01")
    many = queries_for(client, url)

    assert Delegation.objects.count() == 21
    assert many == few


@pytest.mark.parametrize("role", ["staff", "laos_leader", "province"])
def test_detail_page_queries_do_not_grow_with_the_members(cast, login, delegation_factory, member_factory, role):
    client = login(getattr(cast, role))
    delegation = delegation_factory(members=2, in_yearly_plan=False)
    delegation_submit(delegation_id=delegation.pk, actor=cast.staff, acknowledgements={"outside_plan": "Mời đột xuất"})
    attachment_add(
        delegation_id=delegation.pk,
        actor=cast.staff,
        upload=SimpleUploadedFile("thu-moi.pdf", SAMPLES["quyet-dinh.pdf"]),
        kind="invitation",
    )

    few = queries_for(client, reverse("delegations:detail", args=[delegation.pk]))
    member_factory.create_batch(18, delegation=delegation)
    many = queries_for(client, reverse("delegations:detail", args=[delegation.pk]))

    assert delegation.members.count() == 20
    assert many == few


@pytest.mark.parametrize("role", ["laos_leader", "province"])
def test_waiting_page_queries_do_not_grow_with_the_rows(cast, login, delegation_factory, role):
    client = login(getattr(cast, role))
    status = S.SUBMITTED if role == "laos_leader" else S.ENDORSED
    url = reverse("delegations:waiting")

    def add(count):
        for delegation in delegation_factory.create_batch(count, status=S.DRAFT, in_yearly_plan=False):
            delegation_submit(delegation_id=delegation.pk, actor=cast.staff, acknowledgements={"outside_plan": "Mời"})
            Delegation.objects.filter(pk=delegation.pk).update(status=status)

    add(2)
    few = queries_for(client, url)
    add(18)
    many = queries_for(client, url)

    assert many == few

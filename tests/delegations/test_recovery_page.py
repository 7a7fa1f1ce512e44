"""Recovery missions in Laos: staff record what a mission found and brought home."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from associations.models import LaoProvince
from delegations.models import Delegation, RecoveryRecord
from delegations.services import recovery_record_save

S = Delegation.Status


def step_url(name, delegation):
    return reverse(f"delegations:{name}", args=[delegation.pk])


@pytest.fixture
def mission(delegation_factory, cast):
    return delegation_factory(
        purpose=Delegation.Purpose.REMAINS_RECOVERY,
        status=S.RETURNED,
        association=cast.laos,
        title="Đoàn tìm kiếm, quy tập hài cốt liệt sĩ tại Bôlykhămxay",
    )


def recovery_data(**values):
    return {
        "lao_province": LaoProvince.objects.get(iso_code="LA-BL").pk,
        "sites": "Huyện Khamkeut",
        "remains_recovered": 14,
        "remains_repatriated": 12,
        "handover_date": "20/04/2026",
        **values,
    }


def test_staff_record_what_a_recovery_mission_found(cast, login, mission):
    client = login(cast.staff)

    assert client.get(step_url("recovery", mission)).status_code == 200
    response = client.post(step_url("recovery", mission), recovery_data())

    assert response.status_code == 302
    record = RecoveryRecord.objects.get(delegation=mission)
    assert (record.remains_recovered, record.remains_repatriated, record.lao_province.iso_code) == (14, 12, "LA-BL")


def test_recovery_record_is_updated_not_duplicated(cast, login, mission):
    client = login(cast.staff)
    client.post(step_url("recovery", mission), recovery_data())

    client.post(step_url("recovery", mission), recovery_data(remains_recovered=20, remains_repatriated=18))

    assert list(RecoveryRecord.objects.values_list("remains_repatriated", flat=True)) == [18]


def test_more_repatriated_than_recovered_is_refused(cast, login, mission):
    response = login(cast.staff).post(
        step_url("recovery", mission), recovery_data(remains_recovered=3, remains_repatriated=5)
    )

    assert response.status_code == 200
    assert not RecoveryRecord.objects.exists()


@pytest.mark.parametrize("role", ["laos_leader", "russia_leader", "province", "outsider"])
def test_recovery_page_is_for_staff(cast, login, mission, role):
    client = login(getattr(cast, role))

    assert client.get(step_url("recovery", mission)).status_code == 403
    assert client.post(step_url("recovery", mission), recovery_data()).status_code == 403
    assert not RecoveryRecord.objects.exists()


def test_only_a_recovery_mission_has_a_recovery_record(cast, login, delegation_factory):
    exchange = delegation_factory(status=S.RETURNED)

    response = login(cast.staff).post(step_url("recovery", exchange), recovery_data())

    assert response.status_code == 200
    assert not RecoveryRecord.objects.exists()


def test_recovery_record_service_refuses_leaders(cast, mission):
    with pytest.raises(PermissionDenied):
        recovery_record_save(
            delegation_id=mission.pk,
            actor=cast.laos_leader,
            lao_province=LaoProvince.objects.get(iso_code="LA-BL"),
            remains_recovered=3,
            remains_repatriated=3,
        )

    assert not RecoveryRecord.objects.exists()


def test_recovery_record_service_refuses_more_repatriated_than_recovered(cast, mission):
    with pytest.raises(ValidationError):
        recovery_record_save(
            delegation_id=mission.pk,
            actor=cast.staff,
            lao_province=LaoProvince.objects.get(iso_code="LA-BL"),
            remains_recovered=3,
            remains_repatriated=4,
        )

    assert not RecoveryRecord.objects.exists()


def test_detail_page_of_a_mission_shows_its_findings(cast, login, recovery_factory):
    record = recovery_factory(remains_recovered=14, remains_repatriated=12)

    response = login(cast.laos_leader).get(reverse("delegations:detail", args=[record.delegation_id]))

    content = response.content.decode()
    assert response.status_code == 200
    assert record.lao_province.name_vi in content
    assert 'data-testid="record-recovery"' not in content  # leaders read, staff record

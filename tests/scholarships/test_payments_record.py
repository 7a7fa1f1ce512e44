"""payments_record: staff mark scheduled payments paid; paid ones, future dates and odd methods are refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scholarships.models import Payment
from scholarships.services import payments_record
from tests.factories import UserFactory
from tests.scholarships.factories import AwardFactory, PaymentFactory
from tests.scholarships.support import TODAY


@pytest.fixture
def scheduled(db):
    award = AwardFactory()
    return [
        PaymentFactory(award=award, month=datetime.date(2026, 1, 1)),
        PaymentFactory(award=award, month=datetime.date(2026, 2, 1)),
        PaymentFactory(award=award, month=datetime.date(2026, 3, 1)),
    ]


def test_staff_mark_unpaid_payments_paid(cast, clock, scheduled):
    january, february, march = scheduled

    count = payments_record(
        actor=cast.staff, payment_ids=[january.pk, february.pk], paid_on=datetime.date(2026, 3, 10), method="bank"
    )

    assert count == 2
    for payment in (january, february):
        payment.refresh_from_db()
        assert (payment.paid_on, payment.method, payment.paid_by) == (datetime.date(2026, 3, 10), "bank", cast.staff)
        assert payment.history.first().history_user == cast.staff
    march.refresh_from_db()
    assert march.paid_on is None


def test_a_payment_already_paid_is_left_as_it_was(cast, clock, scheduled):
    january, february, _march = scheduled
    payments_record(actor=cast.staff, payment_ids=[january.pk], paid_on=datetime.date(2026, 1, 12), method="cash")
    other_clerk = UserFactory(username="staff.two", roles=["union_staff"])

    count = payments_record(actor=other_clerk, payment_ids=[january.pk, february.pk], paid_on=TODAY, method="bank")

    assert count == 1
    january.refresh_from_db()
    assert (january.paid_on, january.method, january.paid_by) == (datetime.date(2026, 1, 12), "cash", cast.staff)
    assert january.history.count() == 2  # created, paid once


def test_today_is_accepted(cast, clock, scheduled):
    assert payments_record(actor=cast.staff, payment_ids=[scheduled[2].pk], paid_on=TODAY, method="cash") == 1


def test_a_date_in_the_future_is_refused(cast, clock, scheduled):
    with pytest.raises(ValidationError) as caught:
        payments_record(
            actor=cast.staff, payment_ids=[scheduled[0].pk], paid_on=TODAY + datetime.timedelta(days=1), method="bank"
        )

    assert list(caught.value.message_dict) == ["paid_on"]
    assert not Payment.objects.filter(paid_on__isnull=False).exists()


@pytest.mark.parametrize("method", ["", "crypto", "Bank"])
def test_an_unknown_method_is_refused(cast, clock, scheduled, method):
    with pytest.raises(ValidationError) as caught:
        payments_record(actor=cast.staff, payment_ids=[scheduled[0].pk], paid_on=TODAY, method=method)

    assert list(caught.value.message_dict) == ["method"]
    assert not Payment.objects.filter(paid_on__isnull=False).exists()


@pytest.mark.parametrize("role", ["province", "laos_leader", "russia_leader", "admin", "outsider"])
def test_only_union_staff_record_payments(cast, clock, scheduled, role):
    with pytest.raises(PermissionDenied):
        payments_record(actor=getattr(cast, role), payment_ids=[p.pk for p in scheduled], paid_on=TODAY, method="bank")

    assert not Payment.objects.filter(paid_on__isnull=False).exists()


def test_amounts_are_not_touched(cast, clock, scheduled):
    payments_record(actor=cast.staff, payment_ids=[p.pk for p in scheduled], paid_on=TODAY, method="bank")

    assert set(Payment.objects.values_list("amount", flat=True)) == {Decimal(2_500_000)}

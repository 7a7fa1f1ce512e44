"""E-mails go through an outbox saved with what they tell of: a broker or a mail server that is down
loses none, and none goes twice."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from friendship_portal.core.models import Notification, OutboxMail
from friendship_portal.core.notifications import notify, outbox_send

pytestmark = pytest.mark.django_db


def tell(cast):
    return notify(users=[cast.staff, cast.province], subject="Nhắc hạn", message="Báo cáo sắp đến hạn", url="/x/")


def test_a_notice_and_its_mails_are_saved_together_and_sent_once(cast, mailoutbox):
    tell(cast)

    assert Notification.objects.count() == 2
    assert OutboxMail.objects.filter(sent_at__isnull=True).count() == 2
    assert outbox_send() == 2
    assert sorted(message.to[0] for message in mailoutbox) == sorted([cast.staff.email, cast.province.email])
    assert outbox_send() == 0  # sent mail is not sent again
    assert len(mailoutbox) == 2


def test_a_broker_down_at_commit_loses_no_mail(cast, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr("friendship_portal.core.tasks.outbox_send_task.delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        told = tell(cast)  # no error reaches the caller

    assert told == 2
    assert OutboxMail.objects.filter(sent_at__isnull=True).count() == 2
    assert outbox_send() == 2  # what the outbox task sends once the broker is back


def test_a_mail_server_down_keeps_the_mail_with_its_error_and_sends_it_later(cast, monkeypatch, mailoutbox):
    tell(cast)

    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert outbox_send() == 0
    waiting = OutboxMail.objects.get(to=cast.staff.email)
    assert (waiting.sent_at, waiting.attempts) == (None, 1)
    assert "SMTP server unreachable" in waiting.last_error

    monkeypatch.undo()
    assert outbox_send() == 2
    assert len(mail.outbox) == 2


def test_a_mail_that_keeps_failing_stops_being_tried(cast, settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    tell(cast)
    monkeypatch.setattr(EmailBackend, "send_messages", lambda self, messages: 1 / 0)

    outbox_send()
    outbox_send()
    outbox_send()

    assert set(OutboxMail.objects.values_list("attempts", flat=True)) == {2}


def test_users_without_an_address_get_the_notice_only(cast):
    cast.staff.email = ""
    cast.staff.save()

    tell(cast)

    assert Notification.objects.count() == 2
    assert list(OutboxMail.objects.values_list("to", flat=True)) == [cast.province.email]

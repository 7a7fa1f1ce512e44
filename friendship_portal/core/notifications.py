"""Telling people what waits for them: an in-app notice and an e-mail each.

Both are written in the caller's transaction: the notice as a row, the e-mail as a row of the
outbox. Once committed, a task sends the outbox; whatever could not go (broker or mail server
down) waits there and the outbox task, run every few minutes by beat, sends it later. A saved step
is therefore never reported as failed because a mail could not be sent, and no mail tells of a step
that was rolled back.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from friendship_portal.core.models import Notification, OutboxMail

logger = logging.getLogger(__name__)


def notify(*, users: Iterable, subject: str, message: str, url: str = "") -> int:
    """Leave `message` for each user and queue an e-mail to those with an address; returns how many
    were told. The mails go once the caller's transaction commits."""
    users = [user for user in users if user.is_active]
    link = f"\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{url}" if url and settings.PORTAL_BASE_URL else ""
    with transaction.atomic():
        Notification.objects.bulk_create([Notification(user=user, message=message[:500], url=url) for user in users])
        mails = [OutboxMail(to=user.email, subject=subject[:255], body=message + link) for user in users if user.email]
        if mails:
            OutboxMail.objects.bulk_create(mails)
            transaction.on_commit(outbox_queue)
    return len(users)


def outbox_queue() -> None:
    """Ask a worker to send the outbox now; when the broker is down the outbox task sends it later."""
    from friendship_portal.core.tasks import outbox_send_task

    try:
        outbox_send_task.delay()
    except Exception:  # the broker's errors differ by transport; the mail waits in the outbox
        logger.warning("the outbox could not be handed to a worker now; it will be sent later", exc_info=True)


def outbox_send(*, limit: int = 500) -> int:
    """Send the mails still waiting, oldest first, each at most once; returns how many went. A mail
    the server refuses stays waiting with its error and is tried again next time, up to
    OUTBOX_MAX_ATTEMPTS times."""
    waiting = list(
        OutboxMail.objects.filter(sent_at__isnull=True, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS).values_list(
            "pk", flat=True
        )[:limit]
    )
    sent = 0
    with get_connection() as connection:
        for mail_id in waiting:
            with transaction.atomic():
                # Two workers sending at once: the row lock (PostgreSQL) lets one of them send it.
                mail = (
                    OutboxMail.objects.select_for_update(skip_locked=True)
                    .filter(pk=mail_id, sent_at__isnull=True)
                    .first()
                )
                if mail is None:
                    continue
                try:
                    EmailMessage(
                        mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to], connection=connection
                    ).send()
                except Exception as error:  # SMTP and socket errors alike: keep it for the next run
                    mail.attempts += 1
                    mail.last_error = f"{error.__class__.__name__}: {error}"[:2000]
                    mail.save(update_fields=["attempts", "last_error"])
                    logger.warning("outgoing mail %s not sent: %s", mail.pk, error)
                    continue
                mail.sent_at = timezone.now()
                mail.attempts += 1
                mail.save(update_fields=["sent_at", "attempts"])
                sent += 1
    return sent


def unread_for(user) -> QuerySet:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    notices = unread_for(user)
    if notification_ids is not None:
        notices = notices.filter(pk__in=list(notification_ids))
    return notices.update(read_at=timezone.now())

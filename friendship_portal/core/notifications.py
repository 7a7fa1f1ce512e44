"""Telling people what waits for them: an in-app notice and an e-mail each."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import QuerySet
from django.utils import timezone

from friendship_portal.core.models import Notification


def notify(*, users: Iterable, subject: str, message: str, url: str = "") -> int:
    """Leave `message` for each user and e-mail those with an address; returns how many were told."""
    users = [user for user in users if user.is_active]
    Notification.objects.bulk_create([Notification(user=user, message=message[:500], url=url) for user in users])
    link = f"\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{url}" if url and settings.PORTAL_BASE_URL else ""
    mails = [(subject, message + link, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users if user.email]
    if mails:
        send_mass_mail(mails, fail_silently=False)
    return len(users)


def unread_for(user) -> QuerySet:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    notices = unread_for(user)
    if notification_ids is not None:
        notices = notices.filter(pk__in=list(notification_ids))
    return notices.update(read_at=timezone.now())

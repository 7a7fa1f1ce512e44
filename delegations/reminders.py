"""Who is told about a delegation's steps and about reports that are due or overdue."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from associations import selectors as associations
from delegations.models import Delegation, DelegationEvent, ReminderLog
from friendship_portal.core.display import time_span
from friendship_portal.core.notifications import notify
from friendship_portal.core.roles import Role

Status = Delegation.Status


def _users_with_role(role: str):
    return get_user_model().objects.filter(groups__name=role, is_active=True)


def _leaders_of(delegation: Delegation):
    return associations.leaders_of(delegation.association_id)


def recipients_for(event: DelegationEvent):
    """Whoever must act next, or whoever waits on the decision."""
    delegation = event.delegation
    if event.to_status == Status.SUBMITTED:
        return _leaders_of(delegation)
    if event.to_status == Status.ENDORSED or (event.to_status == Status.REGISTERED):
        return _users_with_role(Role.PROVINCIAL_OFFICE)
    if event.to_status in (
        Status.APPROVED,
        Status.REJECTED,
        Status.RETURNED_FOR_REVISION,
        Status.RETURNED,
        Status.COMPLETED,
    ):
        return _users_with_role(Role.UNION_STAFF)
    if event.to_status == Status.REPORTED:
        return _users_with_role(Role.PROVINCIAL_OFFICE)
    return get_user_model().objects.none()


def delegation_event_announce(*, event: DelegationEvent) -> int:
    users = list(recipients_for(event).exclude(pk=event.actor_id) if event.actor_id else recipients_for(event))
    if not users:
        return 0
    delegation = event.delegation
    message = _("%(title)s: %(status)s.") % {"title": delegation.title, "status": Status(event.to_status).label}
    if event.comment:
        message += " " + event.comment
    return notify(
        users=users,
        subject=_("Delegation: %(title)s") % {"title": delegation.title},
        message=message,
        url=reverse("delegations:detail", args=[delegation.pk]),
    )


def report_reminders_send(*, today: datetime.date) -> int:
    """Remind staff (and the association's leaders) of reports due soon, and daily of overdue ones.

    One reminder per delegation per day, however often it runs.
    """
    window = today + datetime.timedelta(days=settings.DELEGATION_REMINDER_DAYS_BEFORE)
    due = Delegation.objects.filter(status__in=Delegation.AWAITING_REPORT, report_due_on__lte=window)
    staff = list(_users_with_role(Role.UNION_STAFF))
    due = list(due.select_related("association"))
    # The leaders of every association concerned, in one query rather than one per delegation.
    leaders = associations.leaders_by_association({d.association_id for d in due if d.association_id})
    sent = 0
    for delegation in due:
        if delegation.report_due_on >= today:
            message = _("The report of “%(title)s” is due on %(date)s (%(span)s).")
        else:
            message = _("The report of “%(title)s” is overdue: it was due on %(date)s (%(span)s).")
        text = message % {
            "title": delegation.title,
            "date": f"{delegation.report_due_on:%d/%m/%Y}",
            "span": time_span(delegation.report_due_on, today),
        }
        try:
            with transaction.atomic():
                # The log row and the notices stand or fall together: a failed e-mail is retried.
                ReminderLog.objects.create(delegation=delegation, sent_on=today)
                notify(
                    users=[*staff, *leaders.get(delegation.association_id, [])],
                    subject=_("Post-trip report reminder"),
                    message=text,
                    url=reverse("delegations:report", args=[delegation.pk]),
                )
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent

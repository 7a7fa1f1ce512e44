"""The aid waiting for a user's step (sending for appraisal, the decision), as the home page tells it."""

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from aid_projects.models import AidProject
from aid_projects.workflow import WORKFLOW
from friendship_portal.core.waiting import Waiting, register

Status = AidProject.Status


def _sentence(status: str, count: int) -> str:
    if status == Status.UNDER_APPRAISAL:
        return ngettext(
            "%(count)d aid project under appraisal waits for the decision",
            "%(count)d aid projects under appraisal wait for the decision",
            count,
        ) % {"count": count}
    return ngettext("%(count)d aid project waits for your step", "%(count)d aid projects wait for your step", count) % {
        "count": count
    }


def waiting_aid(user) -> list[Waiting]:
    rows = AidProject.objects.filter(WORKFLOW.waiting_q(user)).order_by().values_list("status")
    rows = rows.annotate(total=Count("*"))
    url = reverse("aid_projects:project_list")
    return [
        Waiting(count=total, text=_sentence(status, total), url=f"{url}?{urlencode({'status': status})}")
        for status, total in sorted(rows)
    ]


register(waiting_aid, in_menu=True)

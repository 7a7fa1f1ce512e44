"""The provincial dashboard and the pages per partner and per association: they sit on top, reading
every app through its selectors, and nothing imports them.

Every figure is aggregated in the database and comes with the address of the list that shows the
records it counts, filtered the same way. Figures are cached for a few minutes under a version
that any saved or deleted record bumps, so a change shows at once (`friendship_portal.core.figures`).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aid_projects import selectors as aid
from associations import selectors as associations
from delegations import selectors as delegations
from friendship_portal.core.figures import cached
from friendship_portal.core.query import year_from
from scholarships import selectors as scholarships


def link(name: str, **params) -> str:
    """The address of a list with its filters, e.g. link("scholarships:student_list", status="studying")."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def scope_of(user) -> int | None:
    """None when the user reads the whole province; a leader's association id otherwise."""
    return associations.scope_of(user)


def figures(*, year: int, association_id: int | None) -> dict:
    """Every figure of the dashboard for `year`, from the cache when nothing has changed."""
    return cached(f"{year}:{association_id or 'all'}", lambda: _figures(year=year, association_id=association_id))


def _figures(*, year: int, association_id: int | None) -> dict:
    since = settings.AID_SINCE_YEAR
    association = {"association": association_id}
    union = associations.dashboard_figures(year=year, association_id=association_id)
    union["links"] = {
        "associations": link("associations:association_list", is_active="true"),
        "members": link("associations:member_list", status="active"),
        "branches": link("associations:branch_list", active="true"),
        "activities": link("associations:activity_list", year=year),
        "plans": link("associations:plan_list", year=year),
    }
    trips = delegations.dashboard_figures(year=year, since=since, association_id=association_id)
    trips["links"] = {
        "outbound": link("delegations:outbound_list", year=year, **association),
        "inbound": link("delegations:inbound_list", year=year, **association),
        # The list's status filter takes one state: the one the workflow waits in for the decision.
        "waiting_outbound": link(
            "delegations:outbound_list", status=delegations.awaiting_decision("outbound")[0], **association
        ),
        "waiting_inbound": link(
            "delegations:inbound_list", status=delegations.awaiting_decision("inbound")[0], **association
        ),
        # The overdue-reports page is for staff and the provincial office; a leader gets the two lists.
        "overdue": link("delegations:overdue")
        if association_id is None
        else link("delegations:outbound_list", overdue="true", **association),
        "overdue_inbound": None
        if association_id is None
        else link("delegations:inbound_list", overdue="true", **association),
        "missions": link("delegations:outbound_list", purpose="remains_recovery", year=year, **association),
        "remains": link("delegations:outbound_list", purpose="remains_recovery"),
    }
    for row in trips["trend"]:
        row["outbound_link"] = link("delegations:outbound_list", year=row["year"], **association)
        row["inbound_link"] = link("delegations:inbound_list", year=row["year"], **association)
    for row in trips["remains"]:
        row["link"] = link("delegations:outbound_list", purpose="remains_recovery", year=row["year"])
    students = scholarships.dashboard_figures(year=year)
    students["links"] = {
        "studying": link("scholarships:student_list", status="studying"),
        "graduated": link("scholarships:student_list", status="graduated"),
        "trained": link("scholarships:student_list", trained_by=year),
        "supported": link("scholarships:student_list", supported_in=year),
        "budget": link("scholarships:budget", year=year),
    }
    for row in students["by_province"]:
        row["link"] = link("scholarships:student_list", status="studying", lao_province=row["lao_province_id"])
    for row in students["by_level"]:
        row["link"] = link("scholarships:student_list", status="studying", level=row["level"])
    money = aid.dashboard_figures(year=year)
    money["links"] = {
        "projects": link("aid_projects:project_list"),
        "yearly": link("aid_projects:yearly"),
        "disbursed": link("aid_projects:project_list", disbursed_in=year),
        "overdue_reports": link("aid_projects:alerts"),
    }
    for row in money["by_status"]:
        row["link"] = link("aid_projects:project_list", status=row["key"])
    for row in money["by_status_year"]:
        row["link"] = link("aid_projects:project_list", status=row["key"], year=year)
    # Committed counts the aid running in the year, disbursed the money paid in it (a last payment may
    # come after a project's end): each links to the projects it adds up.
    for row in money["by_sector"]:
        row["link"] = link("aid_projects:project_list", sector=row["key"], year=year)
        row["disbursed_link"] = link("aid_projects:project_list", sector=row["key"], disbursed_in=year)
    for row in money["by_commune"]:
        row["link"] = link("aid_projects:project_list", commune=row["key"], year=year)
        row["disbursed_link"] = link("aid_projects:project_list", commune=row["key"], disbursed_in=year)
    for row in money["trend"]:
        row["link"] = link("aid_projects:project_list", disbursed_in=row["year"])
    return {
        "year": year,
        "association_id": association_id,
        "union": union,
        "delegations": trips,
        "students": students,
        "aid": money,
        "computed_at": timezone.now(),
    }


def chosen_year(request) -> int:
    return year_from(request, default=timezone.localdate().year)


def year_choices() -> list[int]:
    return list(range(timezone.localdate().year + 1, settings.AID_SINCE_YEAR - 1, -1))


def charts(data: dict) -> dict:
    """What the Chart.js charts draw (each also printed as a table beside it)."""
    aid_trend = data["aid"]["trend"]
    low, high = data["aid"]["band"]
    budget = data["students"]["budget"]
    return {
        "aid": {
            "labels": [row["year"] for row in aid_trend],
            "disbursed": [int(row["total"]) for row in aid_trend],
            "low": low,
            "high": high,
        },
        "delegations": {
            "labels": [row["year"] for row in data["delegations"]["trend"]],
            "outbound": [row["outbound"] for row in data["delegations"]["trend"]],
            "inbound": [row["inbound"] for row in data["delegations"]["trend"]],
        },
        "provinces": {
            "labels": [row["lao_province__name_vi"] for row in data["students"]["by_province"]],
            "values": [row["total"] for row in data["students"]["by_province"]],
        },
        "levels": {
            "labels": [str(row["label"]) for row in data["students"]["by_level"]],
            "values": [row["total"] for row in data["students"]["by_level"]],
        },
        "budget": {
            "labels": [f"{row['month']:02d}" for row in budget["months"]],
            "awarded": [int(row["awarded"]) for row in budget["months"]],
            "paid": [int(row["paid"]) for row in budget["months"]],
        },
    }


def record_links_association(association) -> list:
    """From an association's record page to its dashboard page."""
    return [(reverse("dashboard_association", args=[association.pk]), _("Dashboard"), "dashboard-link")]


def record_links_partner(partner) -> list:
    """From a partner's record page to the dashboard pages of its Lao province and its country."""
    links = []
    if partner.lao_province_id:
        links.append(
            (
                reverse("dashboard_lao_province", args=[partner.lao_province_id]),
                _("Dashboard of %(name)s") % {"name": partner.lao_province.name_vi},
                "dashboard-province-link",
            )
        )
    if partner.country:
        links.append(
            (
                reverse("dashboard_country", args=[partner.country.code]),
                _("Dashboard of %(name)s") % {"name": partner.country.name},
                "dashboard-country-link",
            )
        )
    return links

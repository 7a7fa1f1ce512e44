"""Pages of the provincial dashboard: the year at a glance, its print view, a page per partner place
(a Lao province or a country) and a page per association."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from aid_projects import selectors as aid
from associations import selectors as associations
from delegations import selectors as delegations
from friendship_portal.core.figures import cached
from friendship_portal.overview import dashboard
from scholarships import selectors as scholarships

# The page number of each list on a place page (each list is paged on its own).
PARTNERS_PAGE, TRIPS_PAGE, PROJECTS_PAGE, MISSIONS_PAGE = "partners_page", "trips_page", "aid_page", "missions_page"


def _require_role(request) -> None:
    if not request.user.has_perm("portal.has_any_role"):
        raise PermissionDenied(_("Your account has no role in the portal yet; ask the administrator."))


def _context(request) -> dict:
    _require_role(request)
    year = dashboard.chosen_year(request)
    data = dashboard.figures(year=year, association_id=dashboard.scope_of(request.user))
    return {
        "data": data,
        "year": year,
        "years": dashboard.year_choices(),
        "charts": dashboard.charts(data),
        "scoped": data["association_id"] is not None,
        "union_name": settings.PORTAL_UNION_NAME,
    }


def _partners_page(request, **place):
    """A page of the place's partners the user may read (Laos has thousands in a large province): read
    for each request, not cached with the place's figures."""
    partners = associations.partners_in_place(user=request.user, **place)
    return _rows_page(request, partners, PARTNERS_PAGE)


def _rows_page(request, rows, param: str):
    """A page of one of the lists of a place page (`param` carries its page number)."""
    return Paginator(rows, settings.PLACE_PAGE_SIZE).get_page(request.GET.get(param))


def _place_lists(request, place: dict) -> dict:
    """The pages of a place's delegations, aid projects and missions, from its cached figures."""
    return {
        "trip_rows": _rows_page(request, place["trips"]["delegations"], TRIPS_PAGE),
        "project_rows": _rows_page(request, place["aid"]["projects"], PROJECTS_PAGE),
        "mission_rows": _rows_page(request, place["trips"]["missions"], MISSIONS_PAGE),
        "list_rows": settings.PLACE_LIST_ROWS,
    }


def overview(request):
    return render(request, "dashboard/overview.html", _context(request))


def overview_print(request):
    return render(request, "dashboard/print.html", {**_context(request), "printed_at": timezone.localtime()})


def lao_province(request, pk: int):
    _require_role(request)
    province = associations.lao_province(pk)
    if province is None:
        raise Http404(_("No such province."))
    scope = dashboard.scope_of(request.user)
    # What a user reads here depends on their scope alone (the partners and the trips of a leader's
    # association): the page's figures are cached per place and scope, like the dashboard's.
    place = cached(
        f"lao-province:{province.pk}:{scope or 'all'}",
        lambda: {
            "trips": delegations.for_partner_place(lao_province_id=province.pk, association_id=scope),
            "students": scholarships.for_lao_province(lao_province_id=province.pk),
            "aid": aid.for_partner_place(lao_province_id=province.pk),
            "provinces": list(associations.lao_provinces()),
        },
    )
    return render(
        request,
        "dashboard/partner_place.html",
        {
            "place_name": province.name_vi,
            "lao_province": province,
            "scoped": scope is not None,
            "partners": _partners_page(request, lao_province_id=province.pk),
            **place,
            **_place_lists(request, place),
        },
    )


def country(request, code: str):
    _require_role(request)
    code = code.upper()
    if code not in dict(countries):
        raise Http404(_("No such country."))
    scope = dashboard.scope_of(request.user)
    place = cached(
        f"country:{code}:{scope or 'all'}",
        lambda: {
            "trips": delegations.for_partner_place(country=code, association_id=scope),
            "students": scholarships.dashboard_figures(year=timezone.localdate().year) if code == "LA" else None,
            "aid": aid.for_partner_place(country=code),
            "provinces": list(associations.lao_provinces()) if code == "LA" else [],
        },
    )
    return render(
        request,
        "dashboard/partner_place.html",
        {
            "place_name": countries.name(code),
            "country_code": code,
            "scoped": scope is not None,
            "partners": _partners_page(request, country=code),
            **place,
            **_place_lists(request, place),
        },
    )


def association(request, pk: int):
    _require_role(request)
    record = get_object_or_404(associations.visible_associations(request.user), pk=pk)
    this_year = timezone.localdate().year
    # Ten years back, or since the association was founded when that is more recent.
    since = max(this_year - 9, record.founded_on.year if record.founded_on else this_year - 9)
    # The same for whoever may open it (a leader opens only their own): cached like the dashboard's.
    page = cached(
        f"association:{record.pk}:{this_year}",
        lambda: {
            "history": associations.association_history(association_id=record.pk, since=since, until=this_year),
            "figures": associations.dashboard_figures(year=this_year, association_id=record.pk),
            "delegations": delegations.for_association(association_id=record.pk),
        },
    )
    return render(
        request,
        "dashboard/association.html",
        {
            "association": record,
            **page,
            "trip_rows": _rows_page(request, page["delegations"], TRIPS_PAGE),
            "list_rows": settings.PLACE_LIST_ROWS,
            "year": this_year,
        },
    )

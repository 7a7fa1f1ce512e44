"""The seven kinds of association record the pages serve, and how to make one or fill its form.

A kind is the `<kind>` of the URL names `associations:<kind>_list`, `_detail`, `_create`, `_update`
and `_delete`.
"""

from django.forms.models import model_to_dict
from django.urls import reverse

from associations.models import (
    Activity,
    Association,
    Branch,
    LeadershipPosition,
    Member,
    Partner,
    WorkPlan,
)
from tests import factories

KINDS = ("association", "branch", "member", "leadership", "plan", "activity", "partner")

MODELS = {
    "association": Association,
    "branch": Branch,
    "member": Member,
    "leadership": LeadershipPosition,
    "plan": WorkPlan,
    "activity": Activity,
    "partner": Partner,
}

# The inline rows edited on a kind's form, by formset prefix.
INLINE_PREFIXES = {"plan": "items", "partner": "contacts"}


def has_page(kind: str, action: str) -> bool:
    """Associations are created by migration and never deleted: they have no create/delete page."""
    return not (kind == "association" and action in ("create", "delete"))


def page_url(kind: str, action: str, record=None) -> str:
    name = f"associations:{kind}_{action}"
    if action in ("list", "create"):
        return reverse(name)
    return reverse(name, kwargs={"pk": record.pk})


def make_record(kind: str, association):
    """A record of `kind` belonging to `association` (None: a partner of the whole union)."""
    if kind == "association":
        return association
    if kind == "branch":
        return factories.BranchFactory(association=association)
    if kind == "member":
        return factories.MemberFactory(association=association)
    if kind == "leadership":
        return factories.LeadershipPositionFactory(association=association)
    if kind == "plan":
        # One plan an association a year: each further plan of an association is a year earlier.
        year = 2026 - WorkPlan.objects.filter(association=association).count()
        return factories.WorkPlanFactory(association=association, year=year)
    if kind == "activity":
        return factories.ActivityFactory(association=association)
    if kind == "partner":
        return factories.PartnerFactory(association=association, country="RU" if association else "LA")
    raise ValueError(kind)


def form_data(kind: str, association, *, record=None) -> dict:
    """Valid POST data for the create (record None) or edit form of `kind`, in `association`.

    Every text differs from what the factories write, so a saved edit shows in the record.
    """
    pk = association.pk if association else ""
    if kind == "association":
        return {
            "name": f"{association.name} (đã sửa)",
            "short_name": association.short_name,
            "countries": [country.code for country in association.countries],
            "founded_on": "12/07/1992",
            "address": "Số 1 Phan Đình Phùng, Hà Tĩnh",
            "phone": "0239 3855 111",
            "email": "",
            "description": "",
            "is_active": "on",
        }
    if kind == "branch":
        return {
            "association": pk,
            "name": "Chi hội phường Thạch Linh",
            "location": "Phường Thạch Linh",
            "founded_on": "19/05/2012",
            "dissolved_on": "",
            "head_name": "Lê Văn Hùng",
            "phone": "",
            "notes": "",
        }
    if kind == "member":
        return {
            "association": pk,
            "branch": "",
            "kind": "individual",
            "full_name": "Phan Thị Thu Hà",
            "gender": "female",
            "birth_year": "1982",
            "position": "Chuyên viên",
            "workplace": "Sở Giáo dục và Đào tạo",
            "representative": "",
            "headcount": "",
            "phone": "",
            "email": "",
            "address": "",
            "joined_on": "02/09/2019",
            "status": "active",
            "status_changed_on": "",
            "notes": "",
        }
    if kind == "leadership":
        return {
            "association": pk,
            "person_name": "Trần Đình Phong",
            "member": "",
            "role": "chair",
            "term_label": "2023–2028",
            "term_start": "15/03/2023",
            "term_end": "15/03/2028",
            "is_concurrent": "on",
            "main_job": "Giám đốc Sở Ngoại vụ",
            "phone": "",
            "email": "",
            "notes": "",
        }
    if kind == "plan":
        return {
            "association": pk,
            "year": "2025",
            "title": "Kế hoạch công tác năm 2025 (sửa đổi)",
            "adopted_on": "10/01/2025",
            "summary": "",
            **management_form("items", initial=record.items.count() if record else 0),
        }
    if kind == "activity":
        return {
            "association": pk,
            "kind": "anniversary",
            "title": "Kỷ niệm ngày thiết lập quan hệ ngoại giao",
            "held_on": "05/09/2026",
            "location": "Thành phố Hà Tĩnh",
            "participants": "150",
            "partner": "",
            "plan_item": "",
            "description": "",
        }
    if kind == "partner":
        return {
            "name": "Hội Hữu nghị Nga – Việt vùng Samara",
            "name_local": "",
            "kind": "friendship_organization",
            "country": "RU",
            "lao_province": "",
            "association": pk,
            "address": "",
            "website": "",
            "email": "",
            "phone": "",
            "since": "",
            "is_active": "on",
            "notes": "",
            **management_form("contacts", initial=record.contacts.count() if record else 0),
        }
    raise ValueError(kind)


def management_form(prefix: str, *, initial: int = 0, total: int | None = None) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(initial if total is None else total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def snapshot(record) -> dict:
    """What a record holds now, with how many history rows it has: equal snapshots mean nothing changed."""
    fresh = type(record)._default_manager.get(pk=record.pk)
    values = model_to_dict(fresh)
    values["countries"] = str(values.get("countries", ""))
    values["country"] = str(values.get("country", ""))
    return {"values": values, "history": fresh.history.count()}


def filled_form(response) -> dict:
    """The POST data a browser sends back unchanged from a form page (the form and its inline rows)."""
    forms = [response.context["form"]]
    data = {}
    for _title, formset in response.context["formsets"]:
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms.extend(formset.forms)
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif hasattr(value, "strftime"):
                value = value.strftime("%d/%m/%Y")
            elif isinstance(value, list | tuple):
                value = [str(getattr(item, "code", item)) for item in value]
            else:
                value = str(getattr(value, "code", value))
            data[bound.html_name] = value
    return data

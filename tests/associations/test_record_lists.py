"""The associations' list pages: filters, search, pages of rows and the Excel export of what is shown."""

import datetime
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_countries import countries

from associations.models import LaoProvince, LeadershipPosition, Member, Partner
from tests import factories
from tests.associations.kinds import page_url
from tests.workbooks import FIRST_ROW, HEADER_ROW

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shown(response) -> list:
    return list(response.context["page"].object_list)


def names(response, attribute="full_name") -> set:
    return {getattr(record, attribute) for record in shown(response)}


def link_queries(response, testid: str | None = None) -> list[dict]:
    """The query strings of the page's links (only the one marked `data-testid` when given)."""
    marker = rf'[^>]*data-testid="{testid}"' if testid else ""
    hrefs = re.findall(rf'<a [^>]*href="([^"]*\?[^"]*)"{marker}', response.content.decode())
    return [parse_qs(urlsplit(unescape(href)).query) for href in hrefs]


def in_vietnamese(text) -> str:
    with translation.override("vi"):
        return gettext(text) if isinstance(text, str) else str(text)


@pytest.fixture
def staff_client(login, cast):
    return login(cast.staff)


# --- filters and search --------------------------------------------------------------------------------


@pytest.fixture
def members(cast):
    branch = factories.BranchFactory(association=cast.laos, name="Chi hội Nghi Xuân")
    return {
        "an": factories.MemberFactory(
            association=cast.laos,
            branch=branch,
            full_name="Nguyễn Văn An",
            gender="male",
            workplace="Sở Ngoại vụ",
            joined_on=datetime.date(2015, 3, 2),
        ),
        "binh": factories.MemberFactory(
            association=cast.laos,
            full_name="Trần Thị Bình",
            workplace="Bệnh viện Đa khoa tỉnh",
            joined_on=datetime.date(2020, 6, 1),
            status=Member.Status.LEFT,
            status_changed_on=datetime.date(2024, 1, 1),
        ),
        "school": factories.MemberFactory(
            association=cast.russia,
            kind=Member.Kind.COLLECTIVE,
            full_name="Trường THPT chuyên Hà Tĩnh",
            representative="Lê Thị Cúc",
            headcount=35,
            gender="",
            joined_on=datetime.date(2020, 9, 5),
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"an", "binh", "school"}),
        ({"association": "laos"}, {"an", "binh"}),
        ({"status": "left"}, {"binh"}),
        ({"kind": "collective"}, {"school"}),
        ({"gender": "male"}, {"an"}),
        ({"joined_year": "2020"}, {"binh", "school"}),
        ({"branch": "Chi hội Nghi Xuân"}, {"an"}),
        ({"q": "bệnh viện"}, {"binh"}),  # workplace, whatever the case
        ({"q": "Lê Thị Cúc"}, {"school"}),  # the representative of a collective member
        ({"q": "nguyễn"}, {"an"}),
        ({"association": "laos", "q": "Trần"}, {"binh"}),
        ({"association": "laos", "q": "Trường"}, set()),
    ],
)
def test_member_filters_and_search(staff_client, cast, members, params, expected):
    params = dict(params)
    if "association" in params:
        params["association"] = cast.associations[params["association"]].pk
    if "branch" in params:
        params["branch"] = members["an"].branch_id

    response = staff_client.get(page_url("member", "list"), params)

    assert names(response) == {members[key].full_name for key in expected}
    assert response.context["page"].paginator.count == len(expected)


def test_no_match_says_so(staff_client, members):
    response = staff_client.get(page_url("member", "list"), {"q": "không có ai tên này"})

    assert b'data-testid="empty"' in response.content
    assert response.context["is_filtered"]


def test_branch_filter_on_being_active(staff_client, cast):
    today = timezone.localdate()
    factories.BranchFactory(association=cast.laos, name="Đang hoạt động")
    factories.BranchFactory(
        association=cast.laos, name="Giải thể sau này", dissolved_on=today + datetime.timedelta(days=30)
    )
    factories.BranchFactory(association=cast.laos, name="Đã giải thể", dissolved_on=datetime.date(2020, 1, 1))

    active = staff_client.get(page_url("branch", "list"), {"active": "true"})
    dissolved = staff_client.get(page_url("branch", "list"), {"active": "false"})

    assert names(active, "name") == {"Đang hoạt động", "Giải thể sau này"}
    assert names(dissolved, "name") == {"Đã giải thể"}


def test_leadership_filters_on_current_term_role_and_concurrent_post(staff_client, cast):
    factories.LeadershipPositionFactory(
        association=cast.laos,
        person_name="Đương nhiệm",
        role=LeadershipPosition.Role.CHAIR,
        term_start=datetime.date(2022, 6, 1),
        term_end=None,
    )
    factories.LeadershipPositionFactory(
        association=cast.laos,
        person_name="Nhiệm kỳ trước",
        term_start=datetime.date(2017, 6, 1),
        term_end=datetime.date(2022, 5, 31),
        is_concurrent=False,
        main_job="",
    )
    url = page_url("leadership", "list")

    assert names(staff_client.get(url, {"current": "true"}), "person_name") == {"Đương nhiệm"}
    assert names(staff_client.get(url, {"current": "false"}), "person_name") == {"Nhiệm kỳ trước"}
    assert names(staff_client.get(url, {"role": "chair"}), "person_name") == {"Đương nhiệm"}
    assert names(staff_client.get(url, {"is_concurrent": "false"}), "person_name") == {"Nhiệm kỳ trước"}


def test_plan_filter_on_year(staff_client, cast):
    factories.WorkPlanFactory(association=cast.laos, year=2025, title="Kế hoạch 2025")
    factories.WorkPlanFactory(association=cast.laos, year=2026, title="Kế hoạch 2026")

    response = staff_client.get(page_url("plan", "list"), {"year": "2025"})

    assert names(response, "title") == {"Kế hoạch 2025"}


def test_activity_filters_on_year_dates_and_kind(staff_client, cast):
    factories.ActivityFactory(
        association=cast.laos, title="Tết 2025", held_on=datetime.date(2025, 1, 20), kind="new_year_greetings"
    )
    factories.ActivityFactory(association=cast.laos, title="Giao lưu tháng 4", held_on=datetime.date(2026, 4, 10))
    factories.ActivityFactory(
        association=cast.laos, title="Kỷ niệm tháng 9", held_on=datetime.date(2026, 9, 2), kind="anniversary"
    )
    url = page_url("activity", "list")

    assert names(staff_client.get(url, {"year": "2026"}), "title") == {"Giao lưu tháng 4", "Kỷ niệm tháng 9"}
    assert names(staff_client.get(url, {"held_from": "01/04/2026", "held_to": "30/06/2026"}), "title") == {
        "Giao lưu tháng 4"
    }
    assert names(staff_client.get(url, {"kind": "anniversary"}), "title") == {"Kỷ niệm tháng 9"}


def test_partner_filters_and_search(staff_client, cast):
    bolikhamxay = LaoProvince.objects.get(iso_code="LA-BL")
    factories.PartnerFactory(
        name="Sở Ngoại vụ Bolikhamxay",
        name_local="ພະແນກການຕ່າງປະເທດ",
        country="LA",
        lao_province=bolikhamxay,
        association=cast.laos,
    )
    factories.PartnerFactory(name="Đại sứ quán Nga", kind=Partner.Kind.EMBASSY, country="RU", association=None)
    factories.PartnerFactory(name="Tổ chức đã ngừng", country="RU", association=cast.russia, is_active=False)
    url = page_url("partner", "list")

    assert names(staff_client.get(url, {"country": "RU"}), "name") == {"Đại sứ quán Nga", "Tổ chức đã ngừng"}
    assert names(staff_client.get(url, {"kind": "embassy"}), "name") == {"Đại sứ quán Nga"}
    assert names(staff_client.get(url, {"lao_province": bolikhamxay.pk}), "name") == {"Sở Ngoại vụ Bolikhamxay"}
    assert names(staff_client.get(url, {"association": cast.russia.pk}), "name") == {"Tổ chức đã ngừng"}
    assert names(staff_client.get(url, {"is_active": "false"}), "name") == {"Tổ chức đã ngừng"}
    assert names(staff_client.get(url, {"q": "ການຕ່າງ"}), "name") == {"Sở Ngoại vụ Bolikhamxay"}


def test_association_list_counts_active_members_and_branches(staff_client, cast):
    factories.MemberFactory.create_batch(3, association=cast.laos)
    factories.MemberFactory(
        association=cast.laos, status=Member.Status.LEFT, status_changed_on=datetime.date(2024, 1, 1)
    )
    factories.BranchFactory.create_batch(2, association=cast.laos)
    factories.BranchFactory(association=cast.laos, dissolved_on=datetime.date(2020, 1, 1))

    response = staff_client.get(page_url("association", "list"), {"q": "Lào"})

    (laos,) = shown(response)
    assert (laos.pk, laos.member_count, laos.branch_count) == (cast.laos.pk, 3, 2)


# --- pages of rows -------------------------------------------------------------------------------------------


def test_lists_show_25_rows_a_page_by_default(staff_client, cast):
    factories.MemberFactory.create_batch(30, association=cast.laos)

    first = staff_client.get(page_url("member", "list"))
    second = staff_client.get(page_url("member", "list"), {"page": 2})

    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5
    assert first.context["page"].paginator.count == 30
    first_ids = {record.pk for record in shown(first)}
    assert first_ids.isdisjoint(record.pk for record in shown(second))


def test_page_size_is_a_setting(staff_client, cast, settings):
    settings.PORTAL_PAGE_SIZE = 10
    factories.ActivityFactory.create_batch(23, association=cast.laos)

    last = staff_client.get(page_url("activity", "list"), {"page": 3})
    beyond = staff_client.get(page_url("activity", "list"), {"page": 99})

    assert last.context["page"].paginator.num_pages == 3
    assert len(last.context["rows"]) == 3
    assert beyond.context["page"].number == 3


def test_page_links_keep_the_filters(staff_client, cast):
    factories.MemberFactory.create_batch(27, association=cast.laos, workplace="Sở Y tế")

    response = staff_client.get(page_url("member", "list"), {"q": "Y tế", "status": "active"})

    next_links = [query for query in link_queries(response) if query.get("page") == ["2"]]
    assert next_links
    assert all(query == {"q": ["Y tế"], "status": ["active"], "page": ["2"]} for query in next_links)


# --- Excel export ------------------------------------------------------------------------------------------------


def open_export(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_export_holds_the_filtered_rows_under_the_page_headers(staff_client, cast, members):
    params = {"association": cast.laos.pk, "q": "Nguyễn"}
    page = staff_client.get(page_url("member", "list"), params)

    sheet = open_export(staff_client.get(page_url("member", "list"), {**params, "export": "xlsx"}))

    rows = [row[1:] for row in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]  # after the STT column
    assert rows[0] == tuple(page.context["headers"])
    assert len(rows) == 2
    name, kind, association, branch, workplace, joined_on, status = rows[1]
    assert (name, association, branch, workplace) == (
        "Nguyễn Văn An",
        cast.laos.short_name,
        "Chi hội Nghi Xuân",
        "Sở Ngoại vụ",
    )
    assert kind == in_vietnamese(Member.Kind.INDIVIDUAL.label)
    assert status == in_vietnamese(Member.Status.ACTIVE.label)
    assert joined_on == datetime.datetime(2015, 3, 2)
    assert sheet[f"G{FIRST_ROW}"].is_date
    assert sheet[f"G{FIRST_ROW}"].number_format.lower() == "dd/mm/yyyy"


def test_export_is_not_cut_into_pages(staff_client, cast):
    factories.MemberFactory.create_batch(30, association=cast.laos)

    sheet = open_export(staff_client.get(page_url("member", "list"), {"export": "xlsx", "page": 1}))

    assert sheet.max_row == HEADER_ROW + 30


def test_export_link_keeps_the_filters_and_leaves_the_page(staff_client, cast):
    factories.MemberFactory.create_batch(27, association=cast.laos)

    response = staff_client.get(page_url("member", "list"), {"status": "active", "page": 2})

    (export,) = link_queries(response, testid="export")
    assert export == {"status": ["active"], "export": ["xlsx"]}


def test_plan_export_writes_years_without_separator(staff_client, cast):
    factories.WorkPlanFactory(association=cast.laos, year=2026, adopted_on=datetime.date(2026, 1, 15))

    sheet = open_export(staff_client.get(page_url("plan", "list"), {"export": "xlsx"}))

    year, association, title, adopted_on = sheet[FIRST_ROW][1:]
    assert (year.value, year.number_format) == (2026, "0")
    assert adopted_on.is_date and adopted_on.value.date() == datetime.date(2026, 1, 15)
    assert adopted_on.number_format.lower() == "dd/mm/yyyy"


def test_partner_export_writes_countries_and_yes_no(staff_client, cast):
    factories.PartnerFactory(name="Đại sứ quán Lào", country="LA", association=None, is_active=False)

    sheet = open_export(staff_client.get(page_url("partner", "list"), {"export": "xlsx"}))

    name, kind, country, lao_province, association, is_active = next(
        sheet.iter_rows(min_row=FIRST_ROW, min_col=2, values_only=True)
    )
    with translation.override("vi"):
        assert country == countries.name("LA")
    assert is_active == in_vietnamese("No")
    assert association in (None, "")


def test_activity_export_keeps_counts_as_numbers(staff_client, cast):
    factories.ActivityFactory(association=cast.laos, participants=1200, held_on=datetime.date(2026, 4, 10))

    sheet = open_export(staff_client.get(page_url("activity", "list"), {"export": "xlsx", "year": "2026"}))

    held_on, title, kind, association, location, participants = sheet[FIRST_ROW][1:]
    assert (participants.value, participants.number_format) == (1200, "#,##0")
    assert held_on.value.date() == datetime.date(2026, 4, 10)


def test_association_export_holds_the_annotated_counts(staff_client, cast):
    factories.MemberFactory.create_batch(2, association=cast.russia)

    sheet = open_export(staff_client.get(page_url("association", "list"), {"export": "xlsx"}))

    rows = {row[0]: row for row in sheet.iter_rows(min_row=FIRST_ROW, min_col=2, values_only=True)}
    assert len(rows) == 5
    assert rows[cast.russia.short_name][3:5] == (2, 0)

"""The student list: its filters, the search by passport, the alerts bar and the Excel export."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from scholarships.models import Enrollment
from tests.scholarships.factories import (
    AwardFactory,
    EnrollmentFactory,
    PaymentFactory,
    StudentFactory,
    institution,
    province,
)
from tests.scholarships.support import TODAY
from tests.workbooks import list_table

L, S = Enrollment.Level, Enrollment.Status
day = datetime.date


@pytest.fixture
def students(db, clock):
    """
    souksavanh  Bôlykhămxay  university ĐH Hà Tĩnh 09/2025–06/2029 studying; allowance 10/2025
    vilayvanh   Khăm Muộn    language ĐH Hà Tĩnh 09/2024–06/2025 graduated, then college CĐ Y tế 09/2025– studying;
                             allowances 01/2026 and 02/2026
    khamla      Savannakhet  vocational CĐ Việt – Đức 09/2021–06/2024, graduated 20/06/2024
    chanthaly   Bôlykhămxay  short course ĐH Hà Tĩnh 02/2026–05/2026, withdrawn 01/03/2026
    """
    university, medical, technical = (
        institution("ĐH Hà Tĩnh"),
        institution("CĐ Y tế Hà Tĩnh"),
        institution("CĐ Việt – Đức"),
    )
    bolikhamxay = province("LA-BL")

    def student(name, home, passport):
        return StudentFactory(full_name=name, lao_province=home, passport_number=passport)

    def course(who, level, where, start, end, status=S.STUDYING, ended_on=None):
        return EnrollmentFactory(
            student=who,
            level=level,
            institution=where,
            start_date=start,
            expected_end=end,
            status=status,
            ended_on=ended_on,
        )

    made = {
        "souksavanh": student("Souksavanh Keobounphanh", bolikhamxay, "P0042001"),
        "vilayvanh": student("Vilayvanh Phommachanh", province("LA-KH"), "P0042002"),
        "khamla": student("Khamla Sisavath", province("LA-SV"), "P0042003"),
        "chanthaly": student("Chanthaly Inthavong", bolikhamxay, "P0051004"),
    }
    university_course = course(made["souksavanh"], L.UNIVERSITY, university, day(2025, 9, 5), day(2029, 6, 30))
    course(made["vilayvanh"], L.LANGUAGE, university, day(2024, 9, 5), day(2025, 6, 30), S.GRADUATED, day(2025, 6, 30))
    college = course(made["vilayvanh"], L.COLLEGE, medical, day(2025, 9, 5), day(2028, 6, 30))
    course(made["khamla"], L.VOCATIONAL, technical, day(2021, 9, 6), day(2024, 6, 30), S.GRADUATED, day(2024, 6, 20))
    course(
        made["chanthaly"], L.SHORT_COURSE, university, day(2026, 2, 2), day(2026, 5, 29), S.WITHDRAWN, day(2026, 3, 1)
    )
    PaymentFactory(award=AwardFactory(enrollment=university_course, student=made["souksavanh"]), month=day(2025, 10, 1))
    college_award = AwardFactory(enrollment=college, student=made["vilayvanh"])
    PaymentFactory(award=college_award, month=day(2026, 1, 1))
    PaymentFactory(award=college_award, month=day(2026, 2, 1))
    return made


def listed(client, **params) -> list[str]:
    response = client.get(reverse("scholarships:student_list"), params)
    assert response.status_code == 200
    return [student.full_name.split()[0].lower() for student in response.context["page"].object_list]


def test_everyone_listed_by_name_without_a_filter(cast, login, students):
    assert listed(login(cast.province)) == ["chanthaly", "khamla", "souksavanh", "vilayvanh"]


def test_filter_by_lao_province(cast, login, students):
    assert listed(login(cast.staff), lao_province=province("LA-BL").pk) == ["chanthaly", "souksavanh"]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("language", ["vilayvanh"]),
        ("college", ["vilayvanh"]),
        ("university", ["souksavanh"]),
        ("short_course", ["chanthaly"]),
    ],
)
def test_filter_by_level_of_any_enrollment(cast, login, students, level, expected):
    assert listed(login(cast.staff), level=level) == expected


def test_filter_by_institution(cast, login, students):
    client = login(cast.laos_leader)

    assert listed(client, institution=institution("ĐH Hà Tĩnh").pk) == ["chanthaly", "souksavanh", "vilayvanh"]
    assert listed(client, institution=institution("CĐ Y tế Hà Tĩnh").pk) == ["vilayvanh"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("studying", ["souksavanh", "vilayvanh"]), ("graduated", ["khamla", "vilayvanh"]), ("withdrawn", ["chanthaly"]),
     ("transferred", [])],
)  # fmt: skip
def test_filter_by_status(cast, login, students, status, expected):
    assert listed(login(cast.staff), status=status) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2021, ["khamla"]), (2024, ["khamla", "vilayvanh"]), (2025, ["souksavanh", "vilayvanh"]),
     (2026, ["chanthaly", "souksavanh", "vilayvanh"]), (2027, ["souksavanh", "vilayvanh"])],
)  # fmt: skip
def test_filter_by_year_studied_in(cast, login, students, year, expected):
    assert listed(login(cast.staff), year=year) == expected


@pytest.mark.parametrize(("year", "expected"), [(2025, ["souksavanh"]), (2026, ["vilayvanh"]), (2024, [])])
def test_filter_by_year_supported_in_lists_each_student_once(cast, login, students, year, expected):
    assert listed(login(cast.staff), supported_in=year) == expected


def test_filters_combine(cast, login, students):
    assert listed(login(cast.staff), lao_province=province("LA-BL").pk, status="studying") == ["souksavanh"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [("P0042002", ["vilayvanh"]), ("p0042", ["khamla", "souksavanh", "vilayvanh"]), ("0051004", ["chanthaly"])],
)
def test_search_by_passport_number(cast, login, students, search, expected):
    assert listed(login(cast.staff), q=search) == expected


def test_search_by_name(cast, login, students):
    assert listed(login(cast.staff), q="phommachanh") == ["vilayvanh"]


def test_each_row_shows_the_latest_enrollment(cast, login, students):
    response = login(cast.staff).get(reverse("scholarships:student_list"), {"q": "Vilayvanh"})

    [student] = response.context["page"].object_list
    assert (student.current_level, student.current_institution, student.current_status) == (
        "college",
        "CĐ Y tế Hà Tĩnh",
        "studying",
    )


def test_the_alerts_bar_counts_expiring_documents_and_overdue_payments(cast, login, students):
    students["souksavanh"].passport_expiry = TODAY + datetime.timedelta(days=30)
    students["souksavanh"].save()

    response = login(cast.staff).get(reverse("scholarships:student_list"))

    assert (response.context["expiring_count"], response.context["overdue_payment_count"]) == (1, 3)
    assert 'data-testid="alerts-bar"' in response.content.decode()


def test_export_to_excel_follows_the_filters(cast, login, students):
    response = login(cast.province).get(
        reverse("scholarships:student_list"), {"lao_province": province("LA-BL").pk, "export": "xlsx"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="students-20260316.xlsx"'
    header, rows = list_table(response.content)  # without the header block and the STT column
    assert len(header) == 8
    with translation.override("vi"):
        short_course, university = str(L.SHORT_COURSE.label), str(L.UNIVERSITY.label)
        female = str(StudentFactory._meta.model.Gender.FEMALE.label)
    assert [row[:3] + row[4:7] for row in rows] == [
        ("Chanthaly Inthavong", "Bôlykhămxay", female, short_course, "ĐH Hà Tĩnh", "P0051004"),
        ("Souksavanh Keobounphanh", "Bôlykhămxay", female, university, "ĐH Hà Tĩnh", "P0042001"),
    ]
    assert rows[0][3] == datetime.datetime(2004, 3, 12)  # a real date cell


def test_export_is_closed_to_users_without_a_role(cast, login, students):
    response = login(cast.outsider).get(reverse("scholarships:student_list"), {"export": "xlsx"})

    assert response.status_code == 403


def test_level_and_status_filters_apply_to_the_same_enrollment(cast, login, students):
    """Studying + language means students now in their language year: Vilayvanh finished hers and
    now studies at college, so she is not one of them; nor did she ever study language at CĐ Y tế."""
    assert listed(login(cast.staff), level="language", status="studying") == []
    assert listed(login(cast.staff), level="language", institution=institution("CĐ Y tế Hà Tĩnh").pk) == []

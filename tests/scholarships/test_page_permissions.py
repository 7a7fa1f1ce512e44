"""Who may open which scholarship page and send which form, role by role.

Union staff keep the records; the provincial office, the administrator and every association
leader read them; a user without a role sees nothing; an anonymous visitor is sent to log in.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from friendship_portal.core.models import Job
from scholarships.models import Award, Payment, Student, YearlyBudget
from tests.scholarships.factories import AwardFactory, EnrollmentFactory, PaymentFactory, YearlyBudgetFactory, province
from tests.scholarships.support import row, upload, xlsx

READERS = ("province", "laos_leader", "russia_leader", "admin")
ROLES = ("staff", *READERS, "outsider", "anonymous")


@pytest.fixture
def cast(module_cast):
    """Made once for the module: its many cases only read the users (tests/conftest.py)."""
    return module_cast


@pytest.fixture
def records(db, clock):
    enrollment = EnrollmentFactory()
    award = AwardFactory(enrollment=enrollment, student=enrollment.student)
    payment = PaymentFactory(award=award, month=datetime.date(2026, 3, 1))
    return {
        "student": enrollment.student,
        "enrollment": enrollment,
        "payment": payment,
        "budget": YearlyBudgetFactory(year=2026),
        "institution": enrollment.institution,
    }


def url_of(name, records) -> str:
    args = {
        "student_detail": "student",
        "student_update": "student",
        "student_delete": "student",
        "award_create": "student",
        "institution_detail": "institution",
        "institution_update": "institution",
        "yearlybudget_detail": "budget",
        "yearlybudget_update": "budget",
    }
    key = args.get(name)
    return reverse(f"scholarships:{name}", args=[records[key].pk] if key else None)


READ_PAGES = [
    "student_list", "student_detail", "payments", "budget", "alerts", "import_template",
    "institution_list", "institution_detail", "yearlybudget_list", "yearlybudget_detail",
]  # fmt: skip
WRITE_PAGES = [
    "student_create", "student_update", "student_delete", "award_create", "import",
    "institution_create", "institution_update", "yearlybudget_create", "yearlybudget_update",
]  # fmt: skip


def expected_get(role: str, page: str):
    if role == "anonymous":
        return "login"
    if role == "staff":
        return 200
    if role == "outsider":
        return 403
    return 200 if page in READ_PAGES else 403


def client_as(client, login, cast, role):
    return client if role == "anonymous" else login(getattr(cast, role))


def assert_status(response, expected, url):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': url}, safe='/')}"
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_get_of_each_page_by_role(client, login, cast, records, role, page):
    url = url_of(page, records)

    response = client_as(client, login, cast, role).get(url)

    assert_status(response, expected_get(role, page), url)


@pytest.mark.parametrize("role", READERS)
def test_readers_are_offered_no_change(login, cast, records, role):
    client = login(getattr(cast, role))

    student_list = client.get(reverse("scholarships:student_list"))
    detail = client.get(url_of("student_detail", records))
    payments = client.get(reverse("scholarships:payments"))

    assert student_list.context["create_url"] == ""
    assert 'data-testid="import"' not in student_list.content.decode()
    assert detail.context["can_change"] is False
    assert payments.context["can_record"] is False


def test_staff_are_offered_every_change(login, cast, records):
    client = login(cast.staff)

    assert client.get(reverse("scholarships:student_list")).context["create_url"]
    assert client.get(url_of("student_detail", records)).context["can_change"] is True
    assert client.get(reverse("scholarships:payments")).context["can_record"] is True


# --- POST ------------------------------------------------------------------------------------


def student_form(**changes) -> dict:
    data = {
        "full_name": "Phonesavanh Xaysana",
        "full_name_lao": "",
        "gender": "male",
        "date_of_birth": "09/01/2003",
        "lao_province": province("LA-KH").pk,
        "passport_number": "P9990001",
        "passport_expiry": "30/06/2030",
        "residence_expiry": "31/08/2027",
        "phone": "",
        "email": "",
        "sending_body": "Sở Nội vụ tỉnh Khăm Muộn",
        "notes": "",
        "enrollments-TOTAL_FORMS": "1",
        "enrollments-INITIAL_FORMS": "0",
        "enrollments-MIN_NUM_FORMS": "0",
        "enrollments-MAX_NUM_FORMS": "1000",
        "enrollments-0-institution": "",
        "enrollments-0-level": "",
        "enrollments-0-major": "",
        "enrollments-0-start_date": "",
        "enrollments-0-expected_end": "",
        "enrollments-0-status": "studying",  # the select starts on it, as in the browser
        "enrollments-0-ended_on": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize("role", ROLES)
def test_post_a_new_student_by_role(client, login, cast, records, role):
    url = reverse("scholarships:student_create")
    data = student_form(
        **{
            "enrollments-0-institution": records["institution"].pk,
            "enrollments-0-level": "language",
            "enrollments-0-start_date": "05/09/2025",
            "enrollments-0-expected_end": "30/06/2026",
            "enrollments-0-status": "studying",
        }
    )

    response = client_as(client, login, cast, role).post(url, data)

    created = Student.objects.filter(passport_number="P9990001").first()
    if role == "staff":
        assert response.status_code == 302
        assert response["Location"] == reverse("scholarships:student_detail", args=[created.pk])
        assert created.enrollments.get().level == "language"
    else:
        assert_status(response, expected_get(role, "student_create"), url)
        assert created is None


@pytest.mark.parametrize("role", ROLES)
def test_post_a_change_to_a_student_by_role(client, login, cast, records, role):
    student = records["student"]
    url = url_of("student_update", records)
    data = student_form(
        full_name=student.full_name,
        passport_number=student.passport_number,
        phone="0911 222 333",
        date_of_birth="12/03/2004",
        **{"enrollments-TOTAL_FORMS": "0"},
    )

    response = client_as(client, login, cast, role).post(url, data)

    student.refresh_from_db()
    if role == "staff":
        assert response.status_code == 302
        assert student.phone == "0911 222 333"
    else:
        assert_status(response, expected_get(role, "student_update"), url)
        assert student.phone == ""


@pytest.mark.parametrize("role", ROLES)
def test_post_payments_of_the_month_by_role(client, login, cast, records, role):
    url = reverse("scholarships:payments") + "?month=2026-03"
    payment = records["payment"]

    response = client_as(client, login, cast, role).post(
        url, {"paid_on": "16/03/2026", "method": "bank", "payments": [payment.pk]}
    )

    payment.refresh_from_db()
    if role == "staff":
        assert response.status_code == 302
        assert response["Location"] == url
        assert (payment.paid_on, payment.method, payment.paid_by) == (datetime.date(2026, 3, 16), "bank", cast.staff)
    else:
        assert_status(response, "login" if role == "anonymous" else 403, url)
        assert payment.paid_on is None


def test_payments_page_refuses_a_future_date_on_the_form(login, cast, records):
    response = login(cast.staff).post(
        reverse("scholarships:payments") + "?month=2026-03",
        {"paid_on": "17/03/2026", "method": "bank", "payments": [records["payment"].pk]},
    )

    assert response.status_code == 200
    assert "paid_on" in response.context["form"].errors
    assert not Payment.objects.filter(paid_on__isnull=False).exists()


def test_payments_page_shows_the_month_asked_for(login, cast, records):
    PaymentFactory(award=records["payment"].award, month=datetime.date(2026, 4, 1), amount=Decimal(3_000_000))

    response = login(cast.province).get(reverse("scholarships:payments"), {"month": "2026-04"})

    assert [p.month for p in response.context["rows"]] == [datetime.date(2026, 4, 1)]
    assert response.context["scheduled_total"] == Decimal(3_000_000)
    assert (response.context["previous"], response.context["following"]) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 5, 1),
    )


@pytest.mark.parametrize("role", ROLES)
def test_post_an_import_by_role(client, login, cast, records, role, django_capture_on_commit_callbacks):
    url = reverse("scholarships:import")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(client, login, cast, role).post(url, {"file": upload(xlsx([row()]))})

    if role == "staff":
        assert response.status_code == 302
        assert Job.objects.get().requested_by == cast.staff
    else:
        assert_status(response, expected_get(role, "import"), url)
        assert not Job.objects.exists()
        assert not Student.objects.filter(passport_number="P1234567").exists()


@pytest.mark.parametrize("role", ROLES)
def test_post_an_award_by_role(client, login, cast, records, role):
    url = url_of("award_create", records)
    data = {
        "enrollment": records["enrollment"].pk,
        "academic_year": 2026,
        "first_month": "01/09/2026",
        "months": 10,
        "monthly_amount": "",
        "equipment_support": 1_000_000,
        "health_insurance": 0,
        "funding_source": "provincial_budget",
    }

    response = client_as(client, login, cast, role).post(url, data)

    award = Award.objects.filter(academic_year=2026).first()
    if role == "staff":
        assert response.status_code == 302
        assert award.payments.count() == 11
        assert award.monthly_amount == Decimal(2_500_000)
    else:
        assert_status(response, expected_get(role, "award_create"), url)
        assert award is None


@pytest.mark.parametrize("role", ROLES)
def test_post_a_yearly_budget_by_role(client, login, cast, records, role):
    url = reverse("scholarships:yearlybudget_create")
    data = {"year": 2027, "planned_amount": 6_800_000_000, "decision": "Nghị quyết số 118/2023/NQ-HĐND", "notes": ""}

    response = client_as(client, login, cast, role).post(url, data)

    assert YearlyBudget.objects.filter(year=2027).exists() is (role == "staff")
    if role != "staff":
        assert_status(response, expected_get(role, "yearlybudget_create"), url)


def test_student_form_warns_of_a_likely_duplicate_and_saves_once_confirmed(login, cast, records):
    client = login(cast.staff)
    existing = records["student"]
    data = student_form(full_name=existing.full_name.upper(), date_of_birth="12/03/2004", passport_number="")

    warned = client.post(reverse("scholarships:student_create"), data)

    assert warned.status_code == 200
    assert existing.full_name in " ".join(warned.context["form"].non_field_errors())
    assert Student.objects.count() == 1

    confirmed = client.post(reverse("scholarships:student_create"), {**data, "confirm_duplicate": "on"})

    assert confirmed.status_code == 302, (
        confirmed.context["form"].errors,
        [f.errors for _t, f in confirmed.context["formsets"]],
    )
    assert Student.objects.count() == 2


def test_a_student_with_awards_is_kept_and_one_with_only_enrollments_can_be_deleted(login, cast, records):
    client = login(cast.staff)
    only_enrolled = EnrollmentFactory().student

    refused = client.post(url_of("student_delete", records), follow=True)
    deleted = client.post(reverse("scholarships:student_delete", args=[only_enrolled.pk]))

    assert Student.objects.filter(pk=records["student"].pk).exists()
    assert Payment.objects.filter(pk=records["payment"].pk).exists()
    assert [message.level_tag for message in refused.context["messages"]] == ["error"]
    assert deleted.status_code == 302
    assert not Student.objects.filter(pk=only_enrolled.pk).exists()

"""Lao students imported from Excel in Chromium, all or nothing: a file with one bad row is refused
with that row's line and reasons and writes nothing; the corrected file creates the students. Then
union staff tick one of this month's payments and record it as paid."""

from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from associations.models import LaoProvince
from scholarships import services
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Award, Enrollment, Payment, Student

PEOPLE = [
    ("Vilayvanh Phommachanh", "12/03/2004"),
    ("Chanthaly Sisavath", "07/11/2003"),
    ("Keomany Inthavong", "21/01/2005"),
]
PASSPORTS = ["TST000001", "TST000002", "TST000003"]
BAD_LINE = 3  # the header is line 1, so the second student is on line 3
BAD_DATE = "31/02/2004"
BAD_PROVINCE = "Atlantis"


def student_rows(province: str) -> list[dict]:
    common = {
        "gender": "Nữ",
        "lao_province": province,
        "is_official": "Không",
        "institution": "ĐH Hà Tĩnh",
        "level": "Đại học",
        "major": "Điều dưỡng",
        "start_date": "05/09/2025",
        "expected_end": "30/06/2029",
        "status": "Đang học",
    }
    return [
        {**common, "full_name": name, "date_of_birth": born, "passport_number": passport}
        for (name, born), passport in zip(PEOPLE, PASSPORTS, strict=True)
    ]


def write_workbook(path, rows: list[dict]) -> str:
    """A filled-in template: the headers the import expects, then one row per enrollment."""
    columns = STUDENT_IMPORT.columns
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.header + (" *" if column.required else "") for column in columns])
    for row in rows:
        sheet.append([row.get(column.key, "") for column in columns])
    workbook.save(path)
    return str(path)


def upload(page, path: str) -> None:
    page.set_input_files("[data-testid=import-form] input[type=file]", path)
    with page.expect_navigation():
        page.click("[data-testid=import-submit]")
    assert "/imports/" in page.url, page.url


def test_import_students_then_record_a_payment(page, log_in, demo_accounts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = LaoProvince.objects.get(iso_code="LA-BL").name_vi
    students_before = Student.objects.count()

    # --- staff open Lao students → Import from Excel -----------------------------------------
    log_in(page, "staff")
    with page.expect_navigation():
        page.click("[data-testid=main-nav] [data-nav=scholarships]")
    with page.expect_navigation():
        page.click("[data-testid=import]")
    expect(page.locator("[data-testid=import-template]")).to_be_visible()

    # --- a file with one bad row (an impossible date and an unknown province) is refused ------
    rows = student_rows(province)
    rows[BAD_LINE - 2] = {**rows[BAD_LINE - 2], "date_of_birth": BAD_DATE, "lao_province": BAD_PROVINCE}
    upload(page, write_workbook(tmp_path / "bad.xlsx", rows))

    errors = page.locator("[data-testid=import-errors]")
    expect(errors).to_be_visible()  # waits while the page follows the job and reloads
    expect(errors.locator("tbody tr")).to_have_count(1)
    bad_line = errors.locator(f"[data-testid=import-error-line-{BAD_LINE}]")
    expect(bad_line.locator("th")).to_contain_text(str(BAD_LINE))
    expect(bad_line).to_contain_text(BAD_DATE)
    expect(bad_line).to_contain_text(BAD_PROVINCE)
    assert Student.objects.count() == students_before
    assert not Student.objects.filter(passport_number__in=PASSPORTS).exists()

    # --- the corrected file is imported ---------------------------------------------------------
    with page.expect_navigation():
        page.click("[data-testid=import-back]")
    upload(page, write_workbook(tmp_path / "good.xlsx", student_rows(province)))

    done = page.locator("[data-testid=import-done]")
    expect(done).to_be_visible()
    expect(done).to_contain_text("3")
    imported = Student.objects.filter(passport_number__in=PASSPORTS)
    assert imported.count() == 3
    assert Student.objects.count() == students_before + 3
    assert Enrollment.objects.filter(student__in=imported, level=Enrollment.Level.UNIVERSITY).count() == 3
    assert set(imported.values_list("lao_province__iso_code", flat=True)) == {"LA-BL"}

    # --- one of them is granted an award starting this month; staff record its first payment ---
    this_month = timezone.localdate().replace(day=1)
    student = imported.get(passport_number=PASSPORTS[0])
    award = services.award_create(
        actor=demo_accounts["staff"],
        award=Award(
            student=student,
            enrollment=student.enrollments.get(),
            academic_year=this_month.year if this_month.month >= 9 else this_month.year - 1,
            first_month=this_month,
            months=1,
            monthly_amount=2_500_000,
        ),
    )
    payment = award.payments.get(kind=Payment.Kind.ALLOWANCE, month=this_month)
    assert payment.paid_on is None

    with page.expect_navigation():
        page.click("[data-testid=main-nav] [data-nav=scholarships]")
    with page.expect_navigation():
        page.click("[data-testid=tab-payments]")
    row = page.locator(f"[data-testid=payment-{payment.pk}]")
    expect(row).to_contain_text("Vilayvanh Phommachanh")
    paid_today = Payment.objects.filter(paid_on=timezone.localdate()).count()
    row.locator("input[name=payments]").check()
    expect(page.locator("[data-testid=selected-count]")).to_have_text("1")
    with page.expect_navigation():
        page.click("[data-testid=record-payments]")

    expect(page.locator(".alert-success")).to_be_visible()
    payment.refresh_from_db()
    today = timezone.localdate()
    assert payment.paid_on == today
    assert payment.paid_by == demo_accounts["staff"]
    expect(row).to_contain_text(today.strftime("%d/%m/%Y"))
    expect(row.locator("input[name=payments]")).to_have_count(0)
    assert Payment.objects.filter(paid_on=today).count() == paid_today + 1  # only the ticked one

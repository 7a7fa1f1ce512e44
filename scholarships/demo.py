"""Demo Lao students whose history makes the article's figures true: more than 3,000 trained to
date from all 18 provinces, more than 500 supported this year, 6–7 billion VND spent in it.

Deterministic; written in one go the first time and left alone afterwards (the demo students'
passports start with "DM").
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from associations.models import LaoProvince
from scholarships import search, tally, totals
from scholarships.models import Award, Enrollment, Institution, Payment, Student, YearlyBudget
from scholarships.signals import refresh_current_enrollments

FAMILY = [
    "Phommachanh",
    "Sisavath",
    "Keobounphanh",
    "Inthavong",
    "Douangdy",
    "Phengsouvanh",
    "Sayavong",
    "Vongsa",
    "Chanthavong",
    "Souvannavong",
    "Xaysana",
    "Manivong",
    "Siphandone",
    "Luangrath",
    "Khounvilay",
    "Thammavong",
    "Bounnhavong",
    "Sengdara",
    "Phanthavong",
    "Vilaysack",
]
GIVEN_MALE = [
    "Bounmy",
    "Somphone",
    "Khamla",
    "Souksavanh",
    "Thongsavanh",
    "Vanxay",
    "Phonesavanh",
    "Sengphet",
    "Khamphou",
    "Bounthanh",
    "Anousone",
    "Sivixay",
    "Kongkeo",
    "Latsamy",
]
GIVEN_FEMALE = [
    "Vilayvanh",
    "Chanthaly",
    "Manivanh",
    "Souphaphone",
    "Noy",
    "Keomany",
    "Daovone",
    "Phetsamone",
    "Bouavanh",
    "Khonesavanh",
    "Malaythong",
    "Vanida",
    "Sengdao",
    "Thipphavanh",
]
# Partner provinces with the closest ties send the most.
WEIGHTS = {"LA-BL": 14, "LA-KH": 12, "LA-SV": 10, "LA-VT": 6, "LA-XI": 4, "LA-HO": 4, "LA-CH": 3}
MAJORS = {
    Enrollment.Level.LANGUAGE: ["Tiếng Việt"],
    Enrollment.Level.UNIVERSITY: ["Sư phạm", "Kinh tế", "Kế toán", "Công nghệ thông tin", "Nông học", "Luật"],
    Enrollment.Level.COLLEGE: ["Điều dưỡng", "Dược", "Hộ sinh"],
    Enrollment.Level.VOCATIONAL: ["Điện công nghiệp", "Cơ khí", "Hàn", "Công nghệ ô tô"],
    Enrollment.Level.SHORT_COURSE: ["Quản lý nhà nước", "Bồi dưỡng cán bộ"],
}
INSTITUTION_FOR = {
    Enrollment.Level.LANGUAGE: "ĐH Hà Tĩnh",
    Enrollment.Level.UNIVERSITY: "ĐH Hà Tĩnh",
    Enrollment.Level.COLLEGE: "CĐ Y tế Hà Tĩnh",
    Enrollment.Level.VOCATIONAL: "CĐ Việt – Đức",
    Enrollment.Level.SHORT_COURSE: "ĐH Hà Tĩnh",
}
LENGTH_YEARS = {
    Enrollment.Level.LANGUAGE: 1,
    Enrollment.Level.UNIVERSITY: 4,
    Enrollment.Level.COLLEGE: 3,
    Enrollment.Level.VOCATIONAL: 2,
    Enrollment.Level.SHORT_COURSE: 1,
}
PAST_STUDENTS = 2620
CURRENT_STUDENTS = 530
FIRST_YEAR = 2005


def enrollment_course(rng: random.Random, *, level: str, start_year: int, current: bool, today: datetime.date):
    """How an enrollment begun in September of `start_year` runs: (expected end, status, ended on). One
    still studying ends no sooner than next June; one that is over mostly graduated, ended at the latest a
    month ago (the demo and `generate_load` draw it alike)."""
    end = datetime.date(start_year + LENGTH_YEARS[level], 6, 30)
    if current:
        return max(end, datetime.date(today.year + 1, 6, 30)), Enrollment.Status.STUDYING, None
    status = rng.choices(
        [Enrollment.Status.GRADUATED, Enrollment.Status.WITHDRAWN, Enrollment.Status.TRANSFERRED], [90, 7, 3]
    )[0]
    return end, status, min(end, today - datetime.timedelta(days=30))


def seed(*, today: datetime.date, password: str) -> list[str]:
    if Student.objects.filter(passport_number__startswith="DM").exists():
        return [f"{Student.objects.count()} students (already present)"]
    rng = random.Random("demo-scholarships")
    staff = get_user_model().objects.filter(username="staff").first()
    provinces = list(LaoProvince.objects.all())
    weights = [WEIGHTS.get(province.iso_code, 2) for province in provinces]
    institutions = {institution.short_name: institution for institution in Institution.objects.all()}

    students, enrollments, plans = [], [], []
    for index in range(PAST_STUDENTS + CURRENT_STUDENTS):
        current = index >= PAST_STUDENTS
        start_year = rng.randint(today.year - 2, today.year) if current else rng.randint(FIRST_YEAR, today.year - 2)
        female = rng.random() < 0.5
        name = f"{rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)} {rng.choice(FAMILY)}"
        birth = datetime.date(start_year - rng.randint(18, 30), rng.randint(1, 12), rng.randint(1, 28))
        official = rng.random() < 0.1
        passport_end = (today if current else datetime.date(start_year, 9, 1)) + datetime.timedelta(
            days=rng.randint(200, 1800)
        )
        if current and index % 40 == 0:
            passport_end = today + datetime.timedelta(days=rng.randint(5, 55))  # shows in the alerts
        student = Student(
            full_name=name,
            gender=Student.Gender.FEMALE if female else Student.Gender.MALE,
            date_of_birth=birth,
            lao_province=rng.choices(provinces, weights)[0],
            passport_number=f"DM{index:06d}",
            passport_expiry=passport_end,
            residence_expiry=datetime.date(today.year + 1, 8, 31) if current else datetime.date(start_year + 1, 8, 31),
            is_official=official,
            sending_body="Sở Giáo dục và Thể thao tỉnh" if not official else "Văn phòng Tỉnh ủy tỉnh bạn",
            phone=f"020{rng.randint(10_000_000, 99_999_999)}",
        )
        students.append(student)
        level = (
            Enrollment.Level.SHORT_COURSE
            if official
            else rng.choice(
                [
                    Enrollment.Level.UNIVERSITY,
                    Enrollment.Level.COLLEGE,
                    Enrollment.Level.VOCATIONAL,
                    Enrollment.Level.LANGUAGE,
                ]
            )
        )
        start = datetime.date(start_year, 9, 5)
        end, status, ended = enrollment_course(rng, level=level, start_year=start_year, current=current, today=today)
        enrollments.append(
            (
                student,
                Enrollment(
                    institution=institutions[INSTITUTION_FOR[level]],
                    level=level,
                    major=rng.choice(MAJORS[level]),
                    start_date=start,
                    expected_end=end,
                    status=status,
                    ended_on=ended,
                ),
            )
        )
        if current:
            plans.append(index)

    Student.objects.bulk_create(students, batch_size=500)
    search.keep(students)  # bulk_create sends no signal
    for student, enrollment in enrollments:
        enrollment.student = student
    Enrollment.objects.bulk_create([enrollment for _student, enrollment in enrollments], batch_size=500)
    with tally.kept_once():
        for start in range(0, len(students), 500):  # bulk_create sends no signal: point each at their latest
            refresh_current_enrollments([student.pk for student in students[start : start + 500]])
    awards, payments = _awards([enrollments[index] for index in plans], today, rng)
    totals.rebuild()  # bulk_create sends no signal: the payments' totals by month from all of them
    for year, planned in ((today.year - 1, 6_600_000_000), (today.year, 6_800_000_000)):
        YearlyBudget.objects.get_or_create(
            year=year,
            defaults={"planned_amount": Decimal(planned), "decision": f"Quyết định số {30 + year % 100}/QĐ-UBND"},
        )
    Payment.objects.filter(award__in=awards, paid_on__isnull=False).update(paid_by=staff)
    return [f"{len(students)} students, {len(awards)} awards, {payments} payments"]


def _awards(current, today, rng):
    """Last year's and this year's support of the students studying now."""
    awards, schedule = [], []
    for student, enrollment in current:
        monthly = Decimal(3_000_000 if student.is_official else 2_500_000)
        # Most are paid February to June; a third started a course in August and are paid to December.
        late_start = rng.random() < 0.3
        for year in (today.year - 1, today.year):
            first = datetime.date(year, 8 if late_start else 2, 1)
            award = Award(
                student=student,
                enrollment=enrollment,
                academic_year=year if late_start else year - 1,
                first_month=first,
                months=5,
                monthly_amount=monthly,
                equipment_support=Decimal(1_000_000) if late_start else Decimal(0),
            )
            awards.append(award)
            for offset in range(5):
                month = datetime.date(year, first.month + offset, 1)
                schedule.append((award, Payment.Kind.ALLOWANCE, month, monthly))
            if late_start:
                schedule.append((award, Payment.Kind.EQUIPMENT, first, Decimal(1_000_000)))
    Award.objects.bulk_create(awards, batch_size=500)
    this_month = today.replace(day=1)
    rows = []
    for award, kind, month, amount in schedule:
        paid = month < this_month and rng.random() > 0.004  # a few past months left unpaid: overdue
        rows.append(
            Payment(
                award=award,
                kind=kind,
                month=month,
                amount=amount,
                paid_on=month + datetime.timedelta(days=rng.randint(3, 12)) if paid else None,
                method=Payment.Method.BANK if paid else "",
                student_name=award.student.full_name,  # bulk_create calls no save()
            )
        )
    Payment.objects.bulk_create(rows, batch_size=1000)
    return awards, len(rows)

"""Synthetic Lao students for benchmarks, written by `generate_load` (the overview's command).

`generate` writes `scale` times what the demo (`demo.py`) makes: former students who studied here since
2005 and students studying now, one enrollment each, and for each student studying now the awards of last
year and this year with their monthly payments, the past months nearly all paid. Passports read
`L<tag><number>` (the tag comes from the seed), so a load is told from the demo (`DM…`) and from another
seed's load. Written in chunks of students with `bulk_create`; no history rows.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model

from associations.load import BATCH, ascii_slug, day_between, lao_name, write
from associations.models import LaoProvince
from scholarships import demo, search, tally, totals
from scholarships.models import Award, Enrollment, Institution, Payment, Student, YearlyBudget
from scholarships.signals import refresh_current_enrollments

Level = Enrollment.Level
LEVELS = [Level.UNIVERSITY, Level.COLLEGE, Level.VOCATIONAL, Level.LANGUAGE]
LEVEL_WEIGHTS = [45, 20, 20, 15]
SENDING_BODIES = ["Sở Giáo dục và Thể thao tỉnh", "Sở Lao động và Phúc lợi xã hội tỉnh", "Sở Y tế tỉnh"]
OFFICIAL_BODIES = ["Văn phòng Tỉnh ủy tỉnh bạn", "Văn phòng UBND tỉnh bạn", "Ban Tổ chức Tỉnh ủy tỉnh bạn"]


def passport_prefix(tag: str) -> str:
    return f"L{tag}"


def loaded(*, tag: str) -> str:
    """What a load with this tag already wrote, if anything (its passports would clash)."""
    count = Student.objects.filter(passport_number__startswith=passport_prefix(tag)).count()
    return f"{count} students with passports {passport_prefix(tag)}…" if count else ""


def foreign_rows() -> list[str]:
    """Students neither the demo (passports DM…) nor a load (L + tag + 7 digits) made."""
    others = Student.objects.exclude(passport_number__startswith="DM").exclude(
        passport_number__regex=r"^L[0-9A-Z]{3}[0-9]{7}$"
    )
    example = others.order_by("pk").values_list("full_name", "passport_number").first()
    if example is None:
        return []
    return [f"students the demo did not write (for example {example[0]}, passport “{example[1] or '—'}”)"]


def generate(*, scale: int, rng: random.Random, today: datetime.date, tag: str, stdout=None) -> list[str]:
    provinces = list(LaoProvince.objects.order_by("iso_code"))
    institutions = {institution.short_name: institution for institution in Institution.objects.order_by("pk")}
    if not provinces or not institutions:
        return ["no Lao province or institution to load (the migrations make them)"]
    fallback = next(iter(institutions.values()))
    place_of = {level: institutions.get(name, fallback) for level, name in demo.INSTITUTION_FOR.items()}
    weights = [demo.WEIGHTS.get(province.iso_code, 2) for province in provinces]
    staff = get_user_model().objects.filter(username="staff").first()
    past, current = demo.PAST_STUDENTS * scale, demo.CURRENT_STUDENTS * scale
    total = past + current
    counts = {"students": 0, "awards": 0, "payments": 0}

    def is_current(index: int) -> bool:
        """Exactly `current` of the students study now, spread among the former ones (each chunk has both)."""
        return (index * current) // total != ((index + 1) * current) // total

    with tally.kept_once():  # the years' students counted once at the end, not once a chunk
        for first in range(0, total, BATCH):
            chunk = range(first, min(first + BATCH, total))
            _chunk(
                rng,
                chunk,
                is_current=is_current,
                tag=tag,
                today=today,
                provinces=provinces,
                weights=weights,
                place_of=place_of,
                staff=staff,
                counts=counts,
            )
        if stdout is not None and (first // BATCH) % 20 == 19:
            stdout.write(f"  scholarships: {counts['students']} of {total} students")
    totals.rebuild()  # bulk_create sends no signal: the payments' totals by month from all of them
    budgets = _budgets(scale, today)
    return [
        f"{counts['students']} students and enrollments, {counts['awards']} awards, {counts['payments']} payments",
        f"{budgets} yearly budgets",
    ]


def _chunk(rng, chunk, *, is_current, tag, today, provinces, weights, place_of, staff, counts) -> None:
    """The chunk's students, then their enrollments, awards and payments, each table written once its
    parents have their keys (rows are made with the parents' ids: cheaper than with the objects)."""
    students, enrollments = [], []
    for index in chunk:
        current = is_current(index)
        start_year = rng.randint(today.year - 2, today.year) if current else rng.randint(2005, today.year - 2)
        name, gender = lao_name(rng)
        official = rng.random() < 0.1
        passport_end = (today if current else datetime.date(start_year, 9, 1)) + datetime.timedelta(
            days=rng.randint(200, 1800)
        )
        if current and rng.random() < 0.025:
            passport_end = today + datetime.timedelta(days=rng.randint(5, 55))  # shows in the alerts
        students.append(
            Student(
                full_name=name,
                gender=gender,
                date_of_birth=datetime.date(start_year - rng.randint(18, 30), rng.randint(1, 12), rng.randint(1, 28)),
                lao_province_id=rng.choices(provinces, weights)[0].pk,
                passport_number=f"{passport_prefix(tag)}{index:07d}",
                passport_expiry=passport_end,
                residence_expiry=datetime.date(today.year + 1, 8, 31)
                if current
                else datetime.date(start_year + 1, 8, 31),
                is_official=official,
                sending_body=rng.choice(OFFICIAL_BODIES if official else SENDING_BODIES),
                phone=f"020{rng.randint(10_000_000, 99_999_999)}",
                email=f"{ascii_slug(name)}{index % 1000}@sv.example" if rng.random() < 0.4 else "",
            )
        )
        level = Level.SHORT_COURSE if official else rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
        start = datetime.date(start_year, 9, rng.randint(1, 10))
        end, status, ended = demo.enrollment_course(
            rng, level=level, start_year=start_year, current=current, today=today
        )
        if status in (Enrollment.Status.WITHDRAWN, Enrollment.Status.TRANSFERRED):  # left before the end
            ended = day_between(rng, start + datetime.timedelta(days=60), ended)
        enrollments.append(
            {
                "institution_id": place_of[level].pk,
                "level": level,
                "major": rng.choice(demo.MAJORS[level]),
                "start_date": start,
                "expected_end": end,
                "status": status,
                "ended_on": ended,
            }
        )
    write(Student, students)
    search.keep(students)  # bulk_create sends no signal
    enrollments = [
        Enrollment(student_id=student.pk, **values) for student, values in zip(students, enrollments, strict=True)
    ]
    write(Enrollment, enrollments)
    refresh_current_enrollments([student.pk for student in students])  # bulk_create sends no signal
    studying = [
        (student, enrollment)
        for student, enrollment in zip(students, enrollments, strict=True)
        if enrollment.status == Enrollment.Status.STUDYING
    ]
    awards, schedule = _awards(rng, studying, today)
    write(Award, awards)
    payments = _payments(rng, schedule, today, staff, {student.pk: student.full_name for student in students})
    write(Payment, payments)
    counts["students"] += len(students)
    counts["awards"] += len(awards)
    counts["payments"] += len(payments)


def _awards(rng, studying, today):
    """Last year's and this year's support of the students studying now, as the demo lays it out."""
    awards, schedule = [], []
    allowance = settings.SCHOLARSHIP_MONTHLY_ALLOWANCE
    equipment = Decimal(settings.SCHOLARSHIP_EQUIPMENT_SUPPORT)
    for student, enrollment in studying:
        monthly = Decimal(allowance["official"] if student.is_official else allowance["student"])
        # Most are paid February to June; some started a course in August and are paid to December.
        late_start = rng.random() < 0.3
        months = rng.choice([5, 5, 5, 4]) if late_start else 5
        insurance = Decimal(rng.choice([0, 0, 0, 680_000]))
        for year in (today.year - 1, today.year):
            first = datetime.date(year, 8 if late_start else 2, 1)
            award = Award(
                student_id=student.pk,
                enrollment_id=enrollment.pk,
                academic_year=year if late_start else year - 1,
                first_month=first,
                months=months,
                monthly_amount=monthly,
                equipment_support=equipment if late_start else Decimal(0),
                health_insurance=insurance,
                funding_source=rng.choices(list(Award.FundingSource), [85, 5, 8, 2])[0],
            )
            awards.append(award)
            for offset in range(months):
                schedule.append((award, Payment.Kind.ALLOWANCE, datetime.date(year, first.month + offset, 1), monthly))
            if late_start:
                schedule.append((award, Payment.Kind.EQUIPMENT, first, equipment))
            if insurance:
                schedule.append((award, Payment.Kind.INSURANCE, first, insurance))
    return awards, schedule


def _payments(rng, schedule, today, staff, names: dict[int, str]) -> list[Payment]:
    this_month = today.replace(day=1)
    staff_id = staff.pk if staff else None
    rows = []
    for award, kind, month, amount in schedule:
        paid = month < this_month and rng.random() > 0.004  # a few past months left unpaid: overdue
        rows.append(
            Payment(
                award_id=award.pk,
                kind=kind,
                month=month,
                amount=amount,
                paid_on=month + datetime.timedelta(days=rng.randint(3, 12)) if paid else None,
                method=(Payment.Method.BANK if rng.random() < 0.9 else Payment.Method.CASH) if paid else "",
                paid_by_id=staff_id if paid else None,
                student_name=names[award.student_id],  # bulk_create calls no save()
            )
        )
    return rows


def _budgets(scale: int, today: datetime.date) -> int:
    """A planned budget for every year since the first students that has none, at the scale of the load."""
    taken = set(YearlyBudget.objects.values_list("year", flat=True))
    rows = [
        YearlyBudget(
            year=year,
            planned_amount=Decimal(6_500_000_000 * scale),
            decision=f"Quyết định số {30 + year % 100}/QĐ-UBND",
            notes="Dữ liệu thử tải",
        )
        for year in range(2005, today.year + 1)
        if year not in taken
    ]
    write(YearlyBudget, rows)
    return len(rows)

"""A small, fully known ledger for the figures: five students, four awards, eleven payments.

Amounts in millions of VND; "→ paid" gives the day the money went out.

    A  Bôlykhămxay  university  ĐH Hà Tĩnh       from 05/09/2024
         2024 award: allowance 12/2024 2.5 → 10/12/2024; 01/2025 2.5 → 10/01/2025; 02/2025 2.5 → 05/03/2025
         2025 award: allowance 12/2025 2.5 → 08/01/2026
    B  Khăm Muộn    language    ĐH Hà Tĩnh       from 05/09/2025
         2025 award: allowance 10/2025 3.0 → 15/10/2025; equipment 10/2025 1.0 → 15/10/2025;
                     allowance 01/2026 3.0 unpaid
    C  Bôlykhămxay  college     CĐ Y tế Hà Tĩnh  from 05/09/2025
         2025 award: allowance 11/2025 2.5 unpaid; insurance 11/2025 0.7 → 20/11/2025;
                     allowance 02/2026 2.5 → 10/02/2026
    D  Khăm Muộn    language 2020–2021 then college 2021–2024, graduated both (30/06/2021, 30/06/2024); no awards
    E  Savannakhet  university  ĐH Hà Tĩnh       from 05/09/2026; no awards

Planned: 25.0 for 2025, 50.0 for 2026, nothing for 2024.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from scholarships.models import Enrollment, Payment
from tests.scholarships.factories import (
    AwardFactory,
    EnrollmentFactory,
    PaymentFactory,
    StudentFactory,
    YearlyBudgetFactory,
    institution,
    province,
)

L, K = Enrollment.Level, Payment.Kind


def million(amount: float) -> Decimal:
    return Decimal(round(amount * 1_000_000))


def day(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


@dataclass
class Ledger:
    students: dict
    university: object  # ĐH Hà Tĩnh
    medical_college: object  # CĐ Y tế Hà Tĩnh


def build_ledger() -> Ledger:
    university, medical_college = institution("ĐH Hà Tĩnh"), institution("CĐ Y tế Hà Tĩnh")
    bolikhamxay, khammouane = province("LA-BL"), province("LA-KH")

    def student(name, home, *enrollments):
        person = StudentFactory(full_name=name, lao_province=home)
        made = [EnrollmentFactory(student=person, **values) for values in enrollments]
        return person, made

    def course(level, where, start, end, graduated_on=None):
        values = {"level": level, "institution": where, "start_date": day(start), "expected_end": day(end)}
        if graduated_on:
            values.update(status=Enrollment.Status.GRADUATED, ended_on=day(graduated_on))
        return values

    a, (a_university,) = student(
        "Souksavanh Keobounphanh", bolikhamxay, course(L.UNIVERSITY, university, "05/09/2024", "30/06/2028")
    )
    b, (b_language,) = student(
        "Vilayvanh Phommachanh", khammouane, course(L.LANGUAGE, university, "05/09/2025", "30/06/2026")
    )
    c, (c_college,) = student(
        "Khamla Sisavath", bolikhamxay, course(L.COLLEGE, medical_college, "05/09/2025", "30/06/2028")
    )
    d, _ = student(
        "Chanthaly Inthavong",
        khammouane,
        course(L.LANGUAGE, university, "01/09/2020", "30/06/2021", graduated_on="30/06/2021"),
        course(L.COLLEGE, medical_college, "01/09/2021", "30/06/2024", graduated_on="30/06/2024"),
    )
    e, _ = student("Bounmy Douangdy", province("LA-SV"), course(L.UNIVERSITY, university, "05/09/2026", "30/06/2030"))

    def award(enrollment, year, *payments):
        made = AwardFactory(
            enrollment=enrollment, student=enrollment.student, academic_year=year, first_month=datetime.date(year, 9, 1)
        )
        for kind, month, amount, paid_on in payments:
            PaymentFactory(
                award=made,
                kind=kind,
                month=day("01/" + month),
                amount=million(amount),
                paid_on=day(paid_on) if paid_on else None,
                method="bank" if paid_on else "",
            )

    award(a_university, 2024,
          (K.ALLOWANCE, "12/2024", 2.5, "10/12/2024"),
          (K.ALLOWANCE, "01/2025", 2.5, "10/01/2025"),
          (K.ALLOWANCE, "02/2025", 2.5, "05/03/2025"))  # fmt: skip
    award(a_university, 2025, (K.ALLOWANCE, "12/2025", 2.5, "08/01/2026"))
    award(b_language, 2025,
          (K.ALLOWANCE, "10/2025", 3.0, "15/10/2025"),
          (K.EQUIPMENT, "10/2025", 1.0, "15/10/2025"),
          (K.ALLOWANCE, "01/2026", 3.0, None))  # fmt: skip
    award(c_college, 2025,
          (K.ALLOWANCE, "11/2025", 2.5, None),
          (K.INSURANCE, "11/2025", 0.7, "20/11/2025"),
          (K.ALLOWANCE, "02/2026", 2.5, "10/02/2026"))  # fmt: skip

    YearlyBudgetFactory(year=2025, planned_amount=million(25))
    YearlyBudgetFactory(year=2026, planned_amount=million(50))
    return Ledger(
        students={"A": a, "B": b, "C": c, "D": d, "E": e}, university=university, medical_college=medical_college
    )

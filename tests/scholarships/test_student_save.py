"""student_save: a likely second record of the same person is refused unless the clerk confirms."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from associations.models import LaoProvince
from scholarships.models import Student
from scholarships.services import student_save
from tests.scholarships.factories import StudentFactory, province


def new_student(**values) -> Student:
    defaults = {
        "full_name": "Vilayvanh Phommachanh",
        "gender": Student.Gender.FEMALE,
        "date_of_birth": datetime.date(2003, 7, 21),
        "lao_province": LaoProvince.objects.get(iso_code="LA-KH"),
        "passport_number": "P7000001",
    }
    return Student(**{**defaults, **values})


@pytest.fixture
def recorded(db):
    return StudentFactory(
        full_name="Vilayvanh Phommachanh", date_of_birth=datetime.date(2003, 7, 21), passport_number="P5550001"
    )


def test_same_name_and_birth_date_is_refused_naming_the_recorded_student(cast, recorded):
    candidate = new_student(full_name="  vilayvanh PHOMMACHANH ", passport_number="P7000001")

    with pytest.raises(ValidationError) as caught:
        student_save(actor=cast.staff, instance=candidate)

    assert caught.value.code == "duplicate"
    [message] = caught.value.messages
    assert "Vilayvanh Phommachanh (21/07/2003, P5550001)" in message
    assert Student.objects.count() == 1


def test_same_passport_is_refused_even_under_another_name_and_birth_date(cast, recorded):
    candidate = new_student(
        full_name="Chanthaly Inthavong", date_of_birth=datetime.date(2005, 1, 2), passport_number="p5550001"
    )

    with pytest.raises(ValidationError) as caught:
        student_save(actor=cast.staff, instance=candidate)

    assert caught.value.code == "duplicate"
    assert "P5550001" in caught.value.messages[0]
    assert Student.objects.count() == 1


def test_confirmed_duplicate_is_saved_as_another_person(cast, recorded):
    candidate = new_student(passport_number="P7000001")

    saved = student_save(actor=cast.staff, instance=candidate, confirm_duplicate=True)

    assert saved.pk != recorded.pk
    assert Student.objects.filter(full_name="Vilayvanh Phommachanh").count() == 2


def test_same_name_born_another_day_is_not_a_duplicate(cast, recorded):
    saved = student_save(actor=cast.staff, instance=new_student(date_of_birth=datetime.date(2003, 7, 22)))

    assert saved.pk is not None
    assert Student.objects.count() == 2


def test_students_without_passports_are_not_duplicates_of_each_other(cast):
    StudentFactory(full_name="Bounmy Douangdy", passport_number="")

    saved = student_save(actor=cast.staff, instance=new_student(full_name="Khamla Sisavath", passport_number=""))

    assert saved.pk is not None


def test_editing_a_student_is_not_refused_as_a_duplicate_of_itself(cast, recorded):
    recorded.phone = "0912 345 678"
    recorded.lao_province = province("LA-SV")

    student_save(actor=cast.staff, instance=recorded)

    recorded.refresh_from_db()
    assert recorded.phone == "0912 345 678"
    assert recorded.lao_province.iso_code == "LA-SV"


@pytest.mark.parametrize("role", ["province", "laos_leader", "admin", "outsider"])
def test_only_union_staff_record_students(cast, role):
    with pytest.raises(PermissionDenied):
        student_save(actor=getattr(cast, role), instance=new_student())
    assert not Student.objects.exists()


def test_saved_student_carries_its_author_in_the_history(cast):
    saved = student_save(actor=cast.staff, instance=new_student())

    assert saved.history.get().history_user == cast.staff

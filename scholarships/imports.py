"""The Excel import of students and their enrollments (the shared all-or-nothing machinery of
`friendship_portal.core.imports`): its columns, how a row is checked and how it is written. A row
is checked as the form checks a student (the model's rules and the service's duplicate check)."""

from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from associations.models import LaoProvince
from friendship_portal.core import imports
from friendship_portal.core.imports import Column, ImportSpec, RowError, fold
from scholarships import search, tally, totals
from scholarships.models import Enrollment, Institution, Payment, Student, keep_student_names
from scholarships.services import possible_duplicates
from scholarships.signals import moved_from, refresh_current_enrollments

GENDERS = {"Nam": Student.Gender.MALE, "Nữ": Student.Gender.FEMALE}


# The words the template accepts are fixed here, not taken from the translation catalogue, so a
# change of wording on the screens never breaks a file that imported before.
LEVEL_WORDS = {
    "Dự bị tiếng Việt": Enrollment.Level.LANGUAGE,
    "Đại học": Enrollment.Level.UNIVERSITY,
    "Cao đẳng": Enrollment.Level.COLLEGE,
    "Trung cấp nghề": Enrollment.Level.VOCATIONAL,
    "Bồi dưỡng ngắn hạn": Enrollment.Level.SHORT_COURSE,
}
STATUS_WORDS = {
    "Đang học": Enrollment.Status.STUDYING,
    "Đã tốt nghiệp": Enrollment.Status.GRADUATED,
    "Thôi học": Enrollment.Status.WITHDRAWN,
    "Chuyển trường": Enrollment.Status.TRANSFERRED,
}


def _level(value):
    return imports.read_choice(value, LEVEL_WORDS)


def _status(value):
    if not imports.read_text(value):
        return Enrollment.Status.STUDYING
    return imports.read_choice(value, STATUS_WORDS)


def _province(value) -> LaoProvince:
    text = fold(imports.read_text(value))
    for province in imports.lookup("lao_provinces", lambda: list(LaoProvince.objects.all())):
        if text in (fold(province.name_vi), fold(province.name_en), fold(province.iso_code)):
            return province
    raise RowError(_("“%(value)s” is not one of the 18 Lao provinces") % {"value": imports.read_text(value)})


def _institution(value) -> Institution:
    text = fold(imports.read_text(value))
    for institution in imports.lookup("institutions", lambda: list(Institution.objects.all())):
        if text in (fold(institution.name), fold(institution.short_name)):
            return institution
    raise RowError(_("“%(value)s” is not a host institution of the portal") % {"value": imports.read_text(value)})


TYPED_FIELDS = (
    "full_name",
    "full_name_lao",
    "gender",
    "date_of_birth",
    "passport_expiry",
    "residence_expiry",
    "phone",
    "email",
    "is_official",
    "sending_body",
)


def _prepare(raw_rows: list[dict]) -> None:
    """Load the students the file names, by passport and by birth date, in a few queries for the whole
    file (each row then looks them up in memory)."""
    passports = {imports.read_text(raw.get("passport_number")).upper() for raw in raw_rows} - {""}
    by_passport = {}
    for batch in imports.in_batches(passports):
        for student in Student.objects.annotate(passport=Upper("passport_number")).filter(passport__in=batch):
            by_passport[student.passport] = student
    births = set()
    for raw in raw_rows:
        try:
            births.add(imports.read_date(raw.get("date_of_birth")))
        except RowError:
            continue  # the row's own check says why
    by_name_and_birth = {}
    for batch in imports.in_batches(births - {None}):
        for student in Student.objects.filter(date_of_birth__in=batch).order_by("pk"):
            by_name_and_birth.setdefault((student.full_name.strip().casefold(), student.date_of_birth), student)
    imports.remember("students_by_passport", by_passport)
    imports.remember("students_by_name_and_birth", by_name_and_birth)


def _recorded_student(passport: str) -> Student | None:
    known = imports.lookup("students_by_passport", lambda: None)
    if known is None:  # a row checked outside an import run
        return Student.objects.filter(passport_number__iexact=passport).first()
    return known.get(passport)


def _recorded_twin(student: Student) -> Student | None:
    """A student already recorded with the same name and birth date (the service's duplicate check)."""
    known = imports.lookup("students_by_name_and_birth", lambda: None)
    if known is None:
        return possible_duplicates(student).first()
    return known.get((student.full_name.strip().casefold(), student.date_of_birth))


def _check_student_row(values: dict, line: int, seen: dict):
    """Build the row's student and enrollment, unsaved, and check them as the forms would."""
    passport = values["passport_number"].upper()
    earlier = seen.get(passport)
    if earlier and (earlier["full_name"], earlier["date_of_birth"]) != (values["full_name"], values["date_of_birth"]):
        raise RowError(
            _("passport %(passport)s is given on line %(line)d to another person")
            % {"passport": passport, "line": earlier["line"]}
        )
    # A student with several enrollments has several rows: they share one Student object.
    student = earlier["student"] if earlier else _recorded_student(passport) or Student(passport_number=passport)
    seen[passport] = {**values, "line": line, "student": student}
    for name in TYPED_FIELDS:
        setattr(student, name, values[name])
    student.lao_province = values["lao_province"]
    # The province and the institution were found among the recorded ones: not asked of the database again.
    student.full_clean(
        exclude=["lao_province", "current_enrollment"], validate_unique=False, validate_constraints=False
    )
    if student.pk is None and not earlier:
        twin = _recorded_twin(student)
        if twin is not None:
            raise RowError(
                _("%(name)s, born %(date)s, is already recorded with passport %(passport)s")
                % {
                    "name": twin.full_name,
                    "date": f"{twin.date_of_birth:%d/%m/%Y}",
                    "passport": twin.passport_number or "—",
                }
            )
    enrollment = Enrollment(
        student=student if student.pk else None,
        institution=values["institution"],
        level=values["level"],
        major=values["major"],
        start_date=values["start_date"],
        expected_end=values["expected_end"],
        status=values["status"],
        ended_on=values["ended_on"],
    )
    enrollment.full_clean(exclude=["student", "institution"], validate_unique=False, validate_constraints=False)
    return student, enrollment


# What a row sets on its student as typed; the batch writer updates those and what the row decides.
STUDENT_FIELDS = [*TYPED_FIELDS, "lao_province", "passport_number", "updated_at"]
ENROLLMENT_FIELDS = ["major", "expected_end", "status", "ended_on"]
BATCH = 500


def _write_student_rows(checked: list, actor, progress=lambda done: None) -> dict:
    """Write every checked row in batches, with the change history: the new students, the changes to
    those already recorded, then their enrollments (a row naming an enrollment already recorded, by
    institution, level and start, updates it), then each student's current enrollment."""
    students = list({id(student): student for student, _enrollment in checked}.values())
    new_students = [student for student in students if student.pk is None]
    now = timezone.now()
    for student in students:
        student.updated_at = now
    recorded = [student for student in students if student.pk is not None]
    bulk_create_with_history(new_students, Student, batch_size=BATCH, default_user=actor)
    bulk_update_with_history(recorded, Student, STUDENT_FIELDS, batch_size=BATCH, default_user=actor)
    search.keep(students)  # the rows the search reads: bulk writes send no signal
    for batch in imports.in_batches([student.pk for student in recorded if student.renamed()]):
        keep_student_names(Payment.objects.filter(award__student_id__in=batch))  # the name their payments carry
    progress(len(checked) // 3)
    existing = {}
    for batch in imports.in_batches([student.pk for student in recorded]):
        for enrollment in Enrollment.objects.filter(student_id__in=batch):
            existing[(enrollment.student_id, enrollment.institution_id, enrollment.level, enrollment.start_date)] = (
                enrollment
            )
    new_enrollments, changed, counts = [], [], {"created": 0, "updated": 0}
    new_ids = {id(student) for student in new_students}
    for student, enrollment in checked:
        enrollment.student = student
        key = (student.pk, enrollment.institution_id, enrollment.level, enrollment.start_date)
        found = existing.get(key)
        if found is None:
            new_enrollments.append(enrollment)
            existing[key] = enrollment
            counts["created"] += 1
            continue
        for name in ENROLLMENT_FIELDS:  # a later row of the same enrollment has the last word
            setattr(found, name, getattr(enrollment, name))
        if found.pk is not None:
            changed.append(found)
        counts["created" if id(student) in new_ids else "updated"] += 1
    bulk_create_with_history(new_enrollments, Enrollment, batch_size=BATCH, default_user=actor)
    bulk_update_with_history(
        list({id(row): row for row in changed}.values()), Enrollment, ENROLLMENT_FIELDS, batch_size=BATCH,
        default_user=actor,
    )  # fmt: skip
    progress(2 * len(checked) // 3)
    with tally.kept_once():  # the years' and provinces' students counted once for the file, not once a batch
        for batch in imports.in_batches([student.pk for student in students]):
            refresh_current_enrollments(batch)
        # A student already recorded and moved to another province: the one they left counts them no more.
        left = {old for student in recorded if student.moves_its_payments() for old in moved_from(student)}
        tally.touched(provinces=left)
    # A student already recorded may have moved province, or an enrollment level or institution, with
    # their payments (bulk updates send no signal): those students' months are worked out again.
    moved = sorted(
        {student.pk for student in recorded if student.moves_its_payments()}
        | {enrollment.student_id for enrollment in changed if enrollment.moves_its_payments()}
    )
    with totals.kept_once():  # every batch's months worked out once, not once a batch
        for batch in imports.in_batches(moved):
            totals.touched(totals.months_of(Payment.objects.filter(award__student_id__in=batch)))
    return counts


STUDENT_IMPORT = imports.register(
    ImportSpec(
        kind="scholarships.students",
        title="Luu hoc sinh Lao",
        area_label=gettext_lazy("Lao students"),
        list_url_name="scholarships:student_list",
        import_url_name="scholarships:import",
        permission="scholarships.import_student",
        columns=[
            Column("full_name", "Họ và tên (chữ Latinh)", required=True, example="Souksavanh Keobounphanh", width=28),
            Column("full_name_lao", "Họ và tên (chữ Lào)", example="ສຸກສະຫວັນ ແກ້ວບຸນພັນ", width=24),
            Column(
                "gender", "Giới tính", lambda v: imports.read_choice(v, GENDERS), required=True, example="Nữ", width=10
            ),
            Column("date_of_birth", "Ngày sinh", imports.read_date, required=True, example="12/03/2004", width=12),
            Column("lao_province", "Tỉnh (Lào)", _province, required=True, example="Bôlykhămxay", width=16),
            Column("passport_number", "Số hộ chiếu", required=True, example="P1234567", width=14),
            Column("passport_expiry", "Hộ chiếu hết hạn", imports.read_date, example="30/06/2029", width=14),
            Column("residence_expiry", "Thẻ tạm trú hết hạn", imports.read_date, example="31/08/2027", width=14),
            Column("phone", "Điện thoại", example="0912345678", width=14),
            Column("email", "Email", width=20),
            Column("is_official", "Là cán bộ, công chức", imports.read_yes_no, example="Không", width=10),
            Column("sending_body", "Cơ quan cử đi học", example="Sở Giáo dục và Thể thao tỉnh Bôlykhămxay", width=30),
            Column("institution", "Cơ sở đào tạo", _institution, required=True, example="ĐH Hà Tĩnh", width=18),
            Column("level", "Bậc đào tạo", _level, required=True, example="Đại học", width=18),
            Column("major", "Ngành học", example="Điều dưỡng", width=18),
            Column("start_date", "Ngày nhập học", imports.read_date, required=True, example="05/09/2025", width=14),
            Column(
                "expected_end", "Dự kiến kết thúc", imports.read_date, required=True, example="30/06/2029", width=14
            ),
            Column("status", "Tình trạng", _status, example="Đang học", width=14),
            Column("ended_on", "Ngày kết thúc", imports.read_date, width=14),
        ],
        check_row=_check_student_row,
        prepare=_prepare,
        write_rows=_write_student_rows,
        notes=[
            "Mỗi dòng là một lần nhập học của một lưu học sinh; học sinh được nhận biết theo số hộ chiếu.",
            "Nhập lại cùng một tệp không tạo bản ghi trùng: dòng đã có sẽ được cập nhật.",
            "Bậc đào tạo: dự bị tiếng Việt, đại học, cao đẳng, trung cấp nghề, bồi dưỡng ngắn hạn.",
            "Tình trạng: đang học, đã tốt nghiệp, thôi học, chuyển trường (để trống là đang học).",
        ],
    )
)

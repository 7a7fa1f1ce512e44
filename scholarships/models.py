"""Lao students supported by the province: who they are, where they study, what they are paid.

An award is what the province grants a student for an academic year; its payments are the
schedule, one row per month (and one per one-off item), each marked paid when the money goes out.
So "awarded in a year" is the sum of the payments scheduled in it, and "paid" the sum of those
paid in it — both are single aggregate queries.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Least, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from associations.models import LaoProvince
from friendship_portal.core.kept import SavesWithoutKeptColumns


class Institution(models.Model):
    """A host institution (cơ sở đào tạo) in the province."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=80)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("host institution")
        verbose_name_plural = _("host institutions")

    def __str__(self) -> str:
        return self.short_name


NO_EXPIRY = datetime.date(9999, 12, 31)


def first_expiry():
    """The day the first of a student's papers (passport, residence card) runs out; a paper with no date
    never does. The alerts read it through a partial index of the students still studying."""
    return Least(Coalesce("passport_expiry", Value(NO_EXPIRY)), Coalesce("residence_expiry", Value(NO_EXPIRY)))


class KeepsWhatItGroupsBy(models.Model):
    """Remembers, as read from the database (or as last saved), the fields that place payments in the
    kept totals (`PaymentTotal`), so a save that moves them can have those totals worked out again."""

    GROUPED_BY: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_groups()
        return instance

    def remember_groups(self) -> None:
        self.grouped_as_loaded = {name: self.__dict__.get(name) for name in self.GROUPED_BY}

    def moves_its_payments(self) -> bool:
        """Whether a save may have moved its payments: a field they are grouped by differs from what was
        read, or nothing was read (an instance made in memory and saved again)."""
        loaded = getattr(self, "grouped_as_loaded", None)
        return loaded is None or any(
            name in self.__dict__ and self.__dict__[name] != value for name, value in loaded.items()
        )


class Student(SavesWithoutKeptColumns, KeepsWhatItGroupsBy):
    """A Lao student. Saving one already there never writes the kept columns: the instance a form or a
    service holds may have been read before an enrollment changed them."""

    GROUPED_BY = ("lao_province_id",)

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    full_name_lao = models.CharField(_("full name in Lao script"), max_length=200, blank=True)
    full_name = models.CharField(_("full name (Latin letters)"), max_length=200, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"))
    lao_province = models.ForeignKey(
        LaoProvince, on_delete=models.PROTECT, related_name="students", verbose_name=_("Lao province")
    )
    passport_number = models.CharField(_("passport number"), max_length=30, blank=True)
    passport_expiry = models.DateField(_("passport expires on"), null=True, blank=True)
    residence_expiry = models.DateField(_("visa or residence card expires on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_official = models.BooleanField(_("government official"), default=False)
    sending_body = models.CharField(_("sending body"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The latest enrollment (by start), kept by `scholarships.signals` whenever an enrollment is saved or
    # deleted, so the student list reads the level and the institution with one join.
    current_enrollment = models.ForeignKey(
        "Enrollment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("current enrollment"),
    )
    # Where the student stands across all their enrollments, kept with `current_enrollment`, so the
    # dashboard and the place pages count students from this table's indexes instead of going through
    # every enrollment: studying in at least one, graduated from at least one, first enrolled on.
    KEPT_COLUMNS = ("current_enrollment", "is_studying", "has_graduated", "first_enrolled_on", "graduated_on")
    is_studying = models.BooleanField(_("studying"), default=False, editable=False)
    has_graduated = models.BooleanField(_("graduated"), default=False, editable=False)
    first_enrolled_on = models.DateField(_("first enrolled on"), null=True, blank=True, editable=False)
    graduated_on = models.DateField(_("first graduated on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=list(KEPT_COLUMNS))

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("Lao student")
        verbose_name_plural = _("Lao students")
        constraints = [
            models.UniqueConstraint(
                fields=["passport_number"], condition=~Q(passport_number=""), name="student_unique_passport"
            )
        ]
        indexes = [
            models.Index(fields=["passport_expiry"]),
            models.Index(fields=["residence_expiry"]),
            # The duplicate check and the import look a passport up whatever its case.
            models.Index(Upper("passport_number"), name="student_passport_upper"),
            # The dashboard's and the place pages' counts.
            models.Index(fields=["lao_province"], condition=Q(is_studying=True), name="student_studying_province"),
            models.Index(fields=["lao_province"], condition=Q(has_graduated=True), name="student_graduated_province"),
            models.Index(fields=["first_enrolled_on"], name="student_first_enrolled_on"),
            models.Index(fields=["graduated_on"], name="student_graduated_on"),
            # The alerts bar on every scholarship page: the students still studying whose papers run out.
            models.Index(first_expiry(), condition=Q(is_studying=True), name="student_studying_first_expiry"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def remember_groups(self) -> None:
        super().remember_groups()
        self.name_as_loaded = self.__dict__.get("full_name")

    def renamed(self) -> bool:
        """Whether its name differs from the one read (or nothing was read): its payments carry the name."""
        return getattr(self, "name_as_loaded", None) != self.full_name

    def clean(self):
        if self.date_of_birth and self.date_of_birth >= timezone.localdate():
            raise ValidationError({"date_of_birth": _("The date of birth must be in the past.")})


class Enrollment(KeepsWhatItGroupsBy):
    GROUPED_BY = ("level", "institution_id")

    class Level(models.TextChoices):
        LANGUAGE = "language", _("Vietnamese-language preparation")
        UNIVERSITY = "university", _("University")
        COLLEGE = "college", _("College")
        VOCATIONAL = "vocational", _("Vocational")
        SHORT_COURSE = "short_course", _("Short cadre course")

    class Status(models.TextChoices):
        STUDYING = "studying", _("Studying")
        GRADUATED = "graduated", _("Graduated")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        TRANSFERRED = "transferred", _("Transferred")

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("student")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("host institution")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    major = models.CharField(_("major"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    expected_end = models.DateField(_("expected end"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.STUDYING)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["student", "start_date"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "institution", "level", "start_date"], name="enrollment_unique_per_start"
            ),
            models.CheckConstraint(
                condition=Q(expected_end__gt=models.F("start_date")), name="enrollment_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "level"]),
            models.Index(fields=["student", "-start_date", "-id"]),
            # The students studying at each level (the dashboard, the place pages), read from the index alone.
            models.Index(fields=["level", "student"], condition=Q(status="studying"), name="enrollment_studying_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} – {self.institution}"

    def clean(self):
        errors = {}
        if self.start_date and self.expected_end and self.expected_end <= self.start_date:
            errors["expected_end"] = _("The expected end must come after the start.")
        if self.status == self.Status.STUDYING and self.ended_on:
            errors["ended_on"] = _("A student still studying has no end date.")
        if self.status != self.Status.STUDYING and not self.ended_on:
            errors["ended_on"] = _("Give the date the studies ended.")
        if self.ended_on and self.start_date and self.ended_on < self.start_date:
            errors["ended_on"] = _("Studies cannot end before they start.")
        if errors:
            raise ValidationError(errors)


class Award(KeepsWhatItGroupsBy):
    """The support granted to a student for one academic year."""

    GROUPED_BY = ("student_id", "enrollment_id")

    class FundingSource(models.TextChoices):
        PROVINCIAL_BUDGET = "provincial_budget", _("Provincial budget")
        CENTRAL_BUDGET = "central_budget", _("Central budget")
        LAO_PROVINCE = "lao_province", _("Sending Lao province")
        OTHER = "other", _("Other")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="awards", verbose_name=_("student"))
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="awards", verbose_name=_("enrollment")
    )
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year it starts: 2025 for 2025–2026."),
    )
    first_month = models.DateField(_("first month paid"))
    months = models.PositiveSmallIntegerField(_("months"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    monthly_amount = models.DecimalField(_("monthly allowance (VND)"), max_digits=12, decimal_places=0)
    equipment_support = models.DecimalField(
        _("equipment support (VND)"), max_digits=12, decimal_places=0, default=Decimal(0)
    )
    health_insurance = models.DecimalField(
        _("health insurance (VND)"), max_digits=12, decimal_places=0, default=Decimal(0)
    )
    funding_source = models.CharField(
        _("funding source"), max_length=30, choices=FundingSource.choices, default=FundingSource.PROVINCIAL_BUDGET
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["student", "-academic_year"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "academic_year"], name="award_one_per_enrollment_year")
        ]

    def __str__(self) -> str:
        return f"{self.academic_year}–{self.academic_year + 1}"

    @property
    def total(self) -> Decimal:
        return self.monthly_amount * self.months + self.equipment_support + self.health_insurance

    def clean(self):
        if self.enrollment_id and self.student_id and self.enrollment.student_id != self.student_id:
            raise ValidationError({"enrollment": _("The enrollment belongs to another student.")})


class Payment(KeepsWhatItGroupsBy):
    GROUPED_BY = ("award_id", "month", "paid_on")

    class Kind(models.TextChoices):
        ALLOWANCE = "allowance", _("Monthly allowance")
        EQUIPMENT = "equipment", _("Equipment support")
        INSURANCE = "insurance", _("Health insurance")

    class Method(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        CASH = "cash", _("Cash")

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payments", verbose_name=_("award"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ALLOWANCE)
    month = models.DateField(_("month"), help_text=_("The first day of the month it is for."))
    amount = models.DecimalField(_("amount (VND)"), max_digits=12, decimal_places=0, validators=[MinValueValidator(0)])
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # The student's name, kept from the award's student: written with the payment, again when the student
    # is renamed or the award given to another (`scholarships.signals`), and by whatever writes payments in
    # bulk (`keep_student_names`). A month's payments are listed by date paid and name from one index,
    # without joining each of them to its award and student.
    student_name = models.CharField(_("student"), max_length=200, default="", editable=False)
    history = HistoricalRecords(excluded_fields=["student_name"])

    class Meta:
        ordering = ["award", "month", "kind"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["award", "kind", "month"], name="payment_one_per_award_kind_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="payment_month_is_first_day"),
        ]
        # A month's payments are listed by the day they were paid, then the student's name: one index
        # serves both the month's lookups and that order, read a page at a time (the paid_on index alone
        # walked every paid row to reach them; the name on the student joined every payment of the month).
        # It carries the amount too (PostgreSQL): the month's count and totals are summed from the index
        # alone, not from every payment row of the month.
        indexes = [
            models.Index(
                fields=["month", "paid_on", "student_name", "kind", "id"],
                include=["amount"],
                name="payment_month_order",
            ),
            models.Index(fields=["paid_on"]),
            # The overdue payments (the alerts bar and page): the few still unpaid, by month.
            models.Index(fields=["month"], condition=Q(paid_on__isnull=True), name="payment_unpaid_month"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%m/%Y}"

    def save(self, *args, **kwargs):
        """With its student's name (unless `update_fields` leaves it out)."""
        update_fields = kwargs.get("update_fields")
        if self.award_id is not None and (update_fields is None or "student_name" in update_fields):
            if Payment.award.is_cached(self) and Award.student.is_cached(self.award):
                self.student_name = self.award.student.full_name
            else:
                name = Award.objects.filter(pk=self.award_id).values_list("student__full_name", flat=True).first()
                self.student_name = name or ""
        super().save(*args, **kwargs)


def keep_student_names(payments: models.QuerySet) -> int:
    """Write the student's name of each of these payments from its award's student, in one statement (after
    payments written in bulk, or students renamed in bulk); how many changed."""
    name = models.Subquery(Award.objects.filter(pk=models.OuterRef("award_id")).values("student__full_name")[:1])
    return payments.exclude(student_name=name).update(student_name=name)


class PaymentTotal(models.Model):
    """The payments summed by month, by the student's Lao province and the enrollment's level and host
    institution: what was scheduled for the month (awarded) and what was paid in it (paid). Kept by
    `scholarships.totals` with every write of a payment, so the budget page and the dashboard read a
    few hundred sums instead of the year's payments."""

    class Kind(models.TextChoices):
        AWARDED = "awarded", _("awarded")
        PAID = "paid", _("paid")

    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    lao_province = models.ForeignKey(LaoProvince, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("level"), max_length=20, choices=Enrollment.Level.choices)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(_("amount (VND)"), max_digits=18, decimal_places=0)

    class Meta:
        verbose_name = _("payment total")
        verbose_name_plural = _("payment totals")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind", "lao_province", "level", "institution"], name="payment_total_one_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%m/%Y}: {self.amount}"


class PaymentYear(models.Model):
    """How many students had a payment scheduled in a year (supported that year), kept with the
    payments' totals (`scholarships.totals`): a count of distinct students cannot be summed by month."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    supported_students = models.PositiveIntegerField(_("students supported"))

    class Meta:
        verbose_name = _("students supported in a year")
        verbose_name_plural = _("students supported by year")

    def __str__(self) -> str:
        return f"{self.year}: {self.supported_students}"


class StudentYear(models.Model):
    """How many students first enrolled in a year, and how many first graduated in it, kept with every
    student's standing (`scholarships.tally`): the dashboard sums a few rows for the students trained to
    date and graduated instead of counting every student."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    first_enrolled = models.PositiveIntegerField(_("students first enrolled"), default=0)
    graduated = models.PositiveIntegerField(_("students first graduated"), default=0)

    class Meta:
        ordering = ["year"]
        verbose_name = _("students of a year")
        verbose_name_plural = _("students by year")

    def __str__(self) -> str:
        return f"{self.year}: {self.first_enrolled} / {self.graduated}"


class ProvinceStudents(models.Model):
    """How many students of a Lao province are recorded, studying now, have ever enrolled and have
    graduated, kept with every student's standing (`scholarships.tally`): the dashboard, the budget page,
    the province's page and the student list read a few rows instead of counting the students."""

    lao_province = models.OneToOneField(
        LaoProvince, on_delete=models.CASCADE, related_name="+", verbose_name=_("Lao province")
    )
    students = models.PositiveIntegerField(_("students"), default=0)
    studying = models.PositiveIntegerField(_("studying now"), default=0)
    trained = models.PositiveIntegerField(_("trained in all"), default=0)
    graduated = models.PositiveIntegerField(_("graduated in all"), default=0)

    class Meta:
        verbose_name = _("students of a Lao province")
        verbose_name_plural = _("students by Lao province")

    def __str__(self) -> str:
        return f"{self.lao_province_id}: {self.studying} / {self.trained} / {self.graduated}"


class ProvinceLevelStudents(models.Model):
    """How many students of a Lao province are studying now at each level (a student studying at two
    levels counts at each), kept with `ProvinceStudents`."""

    lao_province = models.ForeignKey(
        LaoProvince, on_delete=models.CASCADE, related_name="+", verbose_name=_("Lao province")
    )
    level = models.CharField(_("level"), max_length=20, choices=Enrollment.Level.choices)
    studying = models.PositiveIntegerField(_("studying now"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lao_province", "level"], name="province_level_unique")]
        verbose_name = _("students of a Lao province at a level")
        verbose_name_plural = _("students by Lao province and level")

    def __str__(self) -> str:
        return f"{self.lao_province_id} {self.level}: {self.studying}"


class YearlyBudget(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    planned_amount = models.DecimalField(_("planned amount (VND)"), max_digits=15, decimal_places=0)
    decision = models.CharField(_("budget decision"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly budget")
        verbose_name_plural = _("yearly budgets")

    def __str__(self) -> str:
        return str(self.year)


class StudentSearch(models.Model):
    """What the student search reads: a student's searched fields in one narrow row (their name as it
    sorts, and the name, the Lao name, the passport number and the sending body on lines of one text),
    kept by `scholarships.search` with every save of a student and after every bulk write. On PostgreSQL
    one trigram index serves the search on the text, and the list's order is read from the name's index,
    instead of four indexes and the wide student rows."""

    student = models.OneToOneField(
        Student,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
        verbose_name=_("Lao student"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    text = models.TextField(_("searched text"))

    class Meta:
        verbose_name = _("student search entry")
        verbose_name_plural = _("student search entries")
        indexes = [models.Index(fields=["full_name", "student"], name="student_search_order")]

    def __str__(self) -> str:
        return self.full_name

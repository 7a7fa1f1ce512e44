"""Foreign non-governmental aid (ND 80/2020/NĐ-CP): programmes, projects and non-project aid, their
lifecycle, disbursements and periodic progress reports.

An aid record goes proposed → under appraisal → approved | rejected → implementing (→ adjusted) →
completed → settled, or revoked when it has not started six months after approval. The states are
the contract; every change of state is a function in services.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from associations.models import Partner
from friendship_portal.core.kept import SavesWithoutKeptColumns
from friendship_portal.core.roles import Role


class Commune(models.Model):
    """A commune-level unit of the province since 1 July 2025 (reference data, official codes)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name

    @property
    def is_ward(self) -> bool:
        return self.name.startswith("Phường")


class Sector(models.TextChoices):
    """The portal's fixed sector list; `DAC_CODES` maps each to its OECD DAC 5-digit purpose code."""

    EDUCATION = "education", _("Education")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    HEALTH = "health", _("Health")
    WATER_SANITATION = "water_sanitation", _("Clean water and sanitation")
    AGRICULTURE = "agriculture", _("Agriculture and livelihoods")
    RURAL_DEVELOPMENT = "rural_development", _("Rural development and infrastructure")
    SOCIAL_PROTECTION = "social_protection", _("Social protection and people with disabilities")
    WOMEN_CHILDREN = "women_children", _("Women and children")
    ENVIRONMENT = "environment", _("Environment and climate change")
    DISASTER_PREVENTION = "disaster_prevention", _("Disaster preparedness")
    EMERGENCY_RELIEF = "emergency_relief", _("Emergency relief")
    MINE_ACTION = "mine_action", _("Clearing unexploded ordnance")


DAC_CODES = {
    Sector.EDUCATION: "11220",  # Primary education
    Sector.VOCATIONAL_TRAINING: "11330",  # Vocational training
    Sector.HEALTH: "12220",  # Basic health care
    Sector.WATER_SANITATION: "14030",  # Basic drinking water supply and basic sanitation
    Sector.AGRICULTURE: "31120",  # Agricultural development
    Sector.RURAL_DEVELOPMENT: "43040",  # Rural development
    Sector.SOCIAL_PROTECTION: "16010",  # Social protection
    Sector.WOMEN_CHILDREN: "15170",  # Women's rights organisations and movements
    Sector.ENVIRONMENT: "41010",  # Environmental policy and administrative management
    Sector.DISASTER_PREVENTION: "74020",  # Multi-hazard response preparedness
    Sector.EMERGENCY_RELIEF: "72010",  # Material relief assistance and services
    Sector.MINE_ACTION: "15250",  # Removal of land mines and explosive remnants of war
}

CURRENCIES = [
    ("VND", "VND"),
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("JPY", "JPY"),
    ("KRW", "KRW"),
    ("AUD", "AUD"),
    ("GBP", "GBP"),
    ("CHF", "CHF"),
    ("CAD", "CAD"),
    ("SEK", "SEK"),
    ("NOK", "NOK"),
    ("DKK", "DKK"),
    ("CZK", "CZK"),
    ("PLN", "PLN"),
    ("RUB", "RUB"),
    ("THB", "THB"),
    ("LAK", "LAK"),
    ("SGD", "SGD"),
    ("TWD", "TWD"),
]

DONOR_KINDS = (
    Partner.Kind.FOREIGN_NGO,
    Partner.Kind.INDIVIDUAL,
    Partner.Kind.OVERSEAS_VIETNAMESE,
    Partner.Kind.INTERNATIONAL_ORGANIZATION,
)


def vnd_equivalent(amount: Decimal | None, rate: Decimal | None) -> Decimal:
    """The VND value of `amount` at `rate` VND a unit, rounded to the đồng."""
    if amount is None or rate is None:
        return Decimal(0)
    return (Decimal(amount) * Decimal(rate)).quantize(Decimal(1))


class AidProject(SavesWithoutKeptColumns, models.Model):
    """Foreign aid: a programme, a project or non-project aid. Saving one already there never writes the
    kept column: the instance a form or a service holds may have been read before a disbursement changed it."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", pgettext_lazy("kind of aid", "Programme")
        PROJECT = "project", _("Project")
        NON_PROJECT = "non_project", _("Non-project aid")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        UNDER_APPRAISAL = "under_appraisal", _("Under appraisal")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        IMPLEMENTING = "implementing", _("Implementing")
        ADJUSTED = "adjusted", _("Adjusted")
        COMPLETED = "completed", _("Completed")
        SETTLED = "settled", _("Settled")
        REVOKED = "revoked", _("Revoked")

    EDITABLE = (Status.PROPOSED, Status.UNDER_APPRAISAL, Status.APPROVED, Status.IMPLEMENTING, Status.ADJUSTED)
    RUNNING = (Status.IMPLEMENTING, Status.ADJUSTED)
    # Disbursements are recorded while the aid runs and until it is settled.
    DISBURSING = (Status.IMPLEMENTING, Status.ADJUSTED, Status.COMPLETED)
    ENDED = (Status.REJECTED, Status.REVOKED)
    # Aid that owes no more progress reports: never ran, or settled (the partial index below lists them).
    OWES_NO_REPORTS = (Status.REJECTED, Status.REVOKED, Status.SETTLED)
    # Approved aid not started, whose approval may be revoked once its months have run (the partial index
    # below lists them).
    APPROVED_NOT_STARTED = {"status": Status.APPROVED, "actual_start__isnull": True, "decision_date__isnull": False}

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("For example VT-2025-014."))
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary (objectives and expected results)"), blank=True)
    kind = models.CharField(_("kind of aid"), max_length=20, choices=Kind.choices, default=Kind.PROJECT)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    donors = models.ManyToManyField(Partner, related_name="aid_projects", verbose_name=_("donors"))
    managing_agency = models.CharField(_("managing agency"), max_length=255)
    aid_owner = models.CharField(_("aid owner"), max_length=255)
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="aid_projects", verbose_name=_("beneficiary communes")
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    commitment_amount = models.DecimalField(
        _("commitment (in its currency)"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    exchange_rate = models.DecimalField(
        _("exchange rate (VND a unit)"),
        max_digits=14,
        decimal_places=4,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    commitment_vnd = models.DecimalField(_("commitment (VND)"), max_digits=18, decimal_places=0, default=0)
    counterpart_vnd = models.DecimalField(
        _("counterpart funds (VND)"), max_digits=18, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    decision_number = models.CharField(_("approving decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("approving decision date"), null=True, blank=True)
    decision_body = models.CharField(_("approving body"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Kept (`aid_projects.totals`): the VND disbursed to date, worked out with every write of one of its
    # disbursements, so lists, breakdowns and the dashboard read a column instead of summing them.
    KEPT_COLUMNS = ("disbursed_vnd",)
    disbursed_vnd = models.DecimalField(
        _("disbursed to date (VND)"), max_digits=20, decimal_places=0, default=0, editable=False
    )
    history = HistoricalRecords(m2m_fields=[donors, communes], excluded_fields=list(KEPT_COLUMNS))

    class Meta:
        ordering = ["-planned_start", "-pk"]
        verbose_name = _("aid project")
        verbose_name_plural = _("aid projects")
        indexes = [
            models.Index(fields=["status", "planned_start"]),
            # The aid that still owes its progress reports: the reports' alerts and the dashboard's overdue
            # count join the few reports still owed to these, not to every project ever recorded.
            models.Index(
                fields=["id"],
                condition=~Q(status__in=["rejected", "revoked", "settled"]),
                name="aid_project_owes_reports",
            ),
            # The approvals not started, by decision date: the alerts' count and page of the aid that may be
            # revoked read these few (selectors.not_started), not every project's row.
            models.Index(
                fields=["decision_date", "id"],
                condition=Q(status="approved", actual_start__isnull=True, decision_date__isnull=False),
                name="aid_project_not_started",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")), name="aid_project_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def status_style(self) -> str:
        """The badge colour of its state, as the workflow's table gives it."""
        from aid_projects.workflow import WORKFLOW  # the table reads this model

        return WORKFLOW.style_of(self.status)

    @property
    def start(self):
        return self.actual_start or self.planned_start

    @property
    def end(self):
        return self.actual_end or self.planned_end

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    # What the kept breakdowns (`aid_projects.totals`) read of a project: a save that changes none of them
    # leaves every breakdown as it is; one that does works out again the years it ran in before and after.
    BREAKDOWN_FIELDS = ("status", "sector", "commitment_vnd", "planned_start", "planned_end", "actual_end")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_breakdown()
        return instance

    def remember_breakdown(self) -> None:
        """Remember what the breakdowns read of it now (`breakdown_as_loaded`; None when a field was not
        loaded, so that the next save works out every year)."""
        state = {}
        for name in self.BREAKDOWN_FIELDS:
            if name not in self.__dict__:
                self.breakdown_as_loaded = None
                return
            try:  # a date or an amount set as text is kept as text until the record is read again
                state[name] = self._meta.get_field(name).to_python(self.__dict__[name])
            except ValidationError:
                state[name] = None
        self.breakdown_as_loaded = state

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end cannot be before the actual start.")
        if self.currency == "VND" and self.exchange_rate is not None and self.exchange_rate != 1:
            errors["exchange_rate"] = _("An amount in VND has the exchange rate 1.")
        if errors:
            raise ValidationError(errors)


def running_q(year: int | None) -> Q:
    """The aid running in `year` by its dates (planned start to actual, else planned, end), as a condition:
    aid that was rejected or revoked never ran; with `year` None, the aid not rejected or revoked. The
    list's "running in year" filter, the breakdowns and `selectors.running_in` share it."""
    live = ~Q(status__in=AidProject.ENDED)
    if year is None:
        return live
    return (
        live
        & Q(planned_start__year__lte=year)
        & (Q(actual_end__year__gte=year) | Q(actual_end__isnull=True, planned_end__year__gte=year))
    )


class AidEvent(models.Model):
    """One step of an aid record's lifecycle; rows are only ever added."""

    project = models.ForeignKey(AidProject, on_delete=models.CASCADE, related_name="events", verbose_name=_("project"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=AidProject.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=AidProject.Status.choices)
    # The role the step was taken in (separation of duties shows in the trail).
    actor_role = models.CharField(_("as"), max_length=30, choices=Role.CHOICES, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("aid event")
        verbose_name_plural = _("aid events")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_status} → {self.to_status}"


class Disbursement(models.Model):
    """Money (or goods) given to aid. Each one remembers the year and the project it was read in, so that a
    save moving it has both years' kept figures (`DisbursementYear`) and both projects' totals worked out
    again."""

    class Form(models.TextChoices):
        CASH = "cash", _("Cash")
        IN_KIND = "in_kind", _("In kind")

    project = models.ForeignKey(
        AidProject, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("project")
    )
    date = models.DateField(_("date"), db_index=True)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    exchange_rate = models.DecimalField(
        _("exchange rate (VND a unit)"),
        max_digits=14,
        decimal_places=4,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    amount_vnd = models.DecimalField(_("amount (VND)"), max_digits=18, decimal_places=0, default=0)
    form = models.CharField(_("form"), max_length=10, choices=Form.choices, default=Form.CASH)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.amount} {self.currency}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_year()
        return instance

    def remember_year(self) -> None:
        """Remember the year and the project the disbursement counts in now (`year_as_loaded`,
        `project_as_loaded`)."""
        try:  # a date set as text ("2026-02-01") is kept as text until the record is read again
            date = self._meta.get_field("date").to_python(self.__dict__.get("date"))
        except ValidationError:
            date = None
        self.year_as_loaded = date.year if date else None
        self.project_as_loaded = self.__dict__.get("project_id")

    def clean(self):
        if self.currency == "VND" and self.exchange_rate is not None and self.exchange_rate != 1:
            raise ValidationError({"exchange_rate": _("An amount in VND has the exchange rate 1.")})


class DisbursementYear(models.Model):
    """What was disbursed in a year, in all and in cash, and to how many projects, kept with every write
    of a disbursement (`aid_projects.totals`): the dashboard and the yearly page read these rows instead
    of summing every disbursement, and a count of distinct projects cannot be summed from months."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    total_vnd = models.DecimalField(_("disbursed (VND)"), max_digits=20, decimal_places=0)
    cash_vnd = models.DecimalField(_("disbursed in cash (VND)"), max_digits=20, decimal_places=0)
    projects = models.PositiveIntegerField(_("projects that received money"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("disbursements of a year")
        verbose_name_plural = _("disbursements by year")

    def __str__(self) -> str:
        return f"{self.year}: {self.total_vnd}"


class AidBreakdown(models.Model):
    """The aid of a year (or to date: `year` 0) by sector, donor, commune or state: the projects running in
    it with what they committed, and what was disbursed in it, kept with every write of a project, of its
    donors and communes, or of a disbursement (`aid_projects.totals`). The yearly page, the donors page and
    the dashboard read these rows instead of grouping every project and disbursement of the year."""

    class Dimension(models.TextChoices):
        SECTOR = "sector", _("sector")
        DONOR = "donor", _("donor")
        COMMUNE = "commune", _("commune")
        STATUS = "status", _("status")

    TO_DATE = 0

    year = models.PositiveSmallIntegerField(_("year"))
    dimension = models.CharField(_("by"), max_length=10, choices=Dimension.choices)
    code = models.CharField(_("sector or status"), max_length=30, blank=True)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, null=True, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, related_name="+")
    projects = models.PositiveIntegerField(_("projects"))
    committed_vnd = models.DecimalField(_("committed (VND)"), max_digits=20, decimal_places=0)
    disbursed_vnd = models.DecimalField(_("disbursed (VND)"), max_digits=20, decimal_places=0)

    class Meta:
        verbose_name = _("aid breakdown")
        verbose_name_plural = _("aid breakdowns")
        indexes = [
            models.Index(fields=["year", "dimension", "-disbursed_vnd", "-committed_vnd"], name="aid_breakdown_order"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.dimension} {self.code or self.partner_id or self.commune_id}"


class AidBreakdownYear(models.Model):
    """A year whose breakdowns are kept (`AidBreakdown`): every write that touches it works it out again.
    A year not listed (before `AID_SINCE_YEAR`, or far ahead) is summed when asked for."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("year of kept aid breakdowns")
        verbose_name_plural = _("years of kept aid breakdowns")

    def __str__(self) -> str:
        return str(self.year)


class ProgressReport(models.Model):
    """A report the aid owner owes: every six months, every year, and once at the end."""

    class Kind(models.TextChoices):
        SIX_MONTH = "six_month", _("6-month report")
        YEARLY = "yearly", _("Yearly report")
        COMPLETION = "completion", _("Completion report")

    project = models.ForeignKey(AidProject, on_delete=models.CASCADE, related_name="reports", verbose_name=_("project"))
    kind = models.CharField(_("kind of report"), max_length=20, choices=Kind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"), db_index=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    narrative = models.TextField(_("content"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "period_end"], name="one_report_per_period"),
        ]
        indexes = [
            # The reports still owed, by due date: the overdue count on the dashboard and the aid alerts
            # read these few among every report ever received.
            models.Index(fields=["due_on"], condition=Q(submitted_on__isnull=True), name="report_owed_due_on"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    @property
    def is_overdue(self) -> bool:
        return self.submitted_on is None and self.due_on < timezone.localdate()

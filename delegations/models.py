"""Delegations in both directions, their approval trail, post-trip reports and recovery missions.

An outbound delegation (đoàn ra) goes draft → submitted → endorsed → approved → abroad → returned
→ reported → closed; an inbound one (đoàn vào) registered → approved → hosting → completed →
reported. The states are the contract; every change of state is a function in services.py.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from associations.models import Association, LaoProvince, Partner
from friendship_portal.core.roles import Role


class Delegation(models.Model):
    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("Outbound delegation")
        INBOUND = "inbound", _("Inbound delegation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED_FOR_REVISION = "returned_for_revision", _("Returned for revision")
        ENDORSED = "endorsed", _("Endorsed by the association")
        REGISTERED = "registered", _("Registered")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ABROAD = "abroad", _("Abroad")
        RETURNED = "returned", _("Returned home")
        HOSTING = "hosting", _("Hosting")
        COMPLETED = "completed", _("Visit ended")
        REPORTED = "reported", _("Reported")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Purpose(models.TextChoices):
        EXCHANGE = "exchange", _("Friendship exchange")
        TRAINING = "training", _("Training and study")
        INVESTMENT = "investment", _("Investment and trade promotion")
        AID = "aid", _("Aid mobilization")
        REMAINS_RECOVERY = "remains_recovery", _("Remains recovery")
        ANNIVERSARY = "anniversary", _("Anniversary or ceremony")
        OTHER = "other", _("Other")

    class FundingSource(models.TextChoices):
        PROVINCIAL_BUDGET = "provincial_budget", _("Provincial budget")
        ASSOCIATION = "association", _("Association funds")
        PARTNER = "partner", _("Paid by the partner")
        MIXED = "mixed", _("Several sources")
        OTHER = "other", _("Other")

    # States in which the report is awaited, per direction.
    AWAITING_REPORT = (Status.RETURNED, Status.COMPLETED)
    EDITABLE = (Status.DRAFT, Status.RETURNED_FOR_REVISION, Status.REGISTERED)
    ENDED = (Status.REJECTED, Status.CANCELLED)

    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    purpose_detail = models.TextField(_("purpose and requirements"), blank=True)
    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("association"),
    )
    partners = models.ManyToManyField(Partner, blank=True, related_name="delegations", verbose_name=_("partners"))
    countries = CountryField(_("countries"), multiple=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    programme = models.TextField(_("programme"), blank=True)
    hosts = models.TextField(_("hosts"), blank=True, help_text=_("Who receives the guests (inbound)."))
    in_yearly_plan = models.BooleanField(_("in the yearly foreign-affairs plan"), default=True)
    funding_source = models.CharField(
        _("funding source"), max_length=30, choices=FundingSource.choices, default=FundingSource.PROVINCIAL_BUDGET
    )
    commits_no_classified_documents = models.BooleanField(
        _("members carry no classified documents (signed commitment)"), default=False
    )
    commits_host_law = models.BooleanField(_("members obey the host country's law"), default=False)
    commits_no_relatives = models.BooleanField(_("no relatives come along"), default=False)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    report_due_on = models.DateField(_("report due on"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        indexes = [models.Index(fields=["direction", "start_date"]), models.Index(fields=["association", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="delegation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(direction="inbound") | Q(association__isnull=False),
                name="outbound_delegation_has_association",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_outbound(self) -> bool:
        return self.direction == self.Direction.OUTBOUND

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def status_style(self) -> str:
        """The badge colour of its state, as the workflow's table gives it."""
        from delegations.workflow import WORKFLOW  # the table reads this model

        return WORKFLOW.style_of(self.status)

    @property
    def is_awaiting_report(self) -> bool:
        return self.status in self.AWAITING_REPORT

    @property
    def is_report_overdue(self) -> bool:
        return (
            self.status in self.AWAITING_REPORT
            and self.report_due_on is not None
            and self.report_due_on < timezone.localdate()
        )

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.direction == self.Direction.OUTBOUND and not self.association_id:
            errors["association"] = _("An outbound delegation belongs to one association, whose leader endorses it.")
        if errors:
            raise ValidationError(errors)


class DelegationMember(models.Model):
    """A member of an outbound delegation, or a foreign guest of an inbound one."""

    class ManagementLevel(models.TextChoices):
        PROVINCIAL_STANDING = "provincial_standing", _("Managed by the Provincial Party Standing Committee")
        DEPARTMENT_LEADER = "department_leader", _("Leader of a department or equivalent")
        ASSOCIATION_LEADER = "association_leader", _("Association leader")
        OFFICIAL = "official", _("Official or civil servant")
        OTHER = "other", _("Other")

    LEADER_LEVELS = (
        ManagementLevel.PROVINCIAL_STANDING,
        ManagementLevel.DEPARTMENT_LEADER,
        ManagementLevel.ASSOCIATION_LEADER,
    )

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="members", verbose_name=_("delegation")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization = models.CharField(_("organization"), max_length=255, blank=True)
    nationality = CountryField(_("nationality"), default="VN")
    management_level = models.CharField(
        _("management level"), max_length=30, choices=ManagementLevel.choices, default=ManagementLevel.OTHER
    )
    is_key_leader = models.BooleanField(
        _("key leader of the unit"), default=False, help_text=_("Head or deputy head of the member's organization.")
    )
    is_head = models.BooleanField(_("head of delegation"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["delegation", "-is_head", "pk"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        constraints = [
            models.UniqueConstraint(fields=["delegation"], condition=Q(is_head=True), name="one_head_per_delegation")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_leader(self) -> bool:
        return self.management_level in self.LEADER_LEVELS


class ItineraryItem(models.Model):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="itinerary", verbose_name=_("delegation")
    )
    day = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255)
    activity = models.CharField(_("activity"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["delegation", "day", "pk"]
        verbose_name = _("itinerary item")
        verbose_name_plural = _("itinerary")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.place}"


class BudgetLine(models.Model):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("delegation")
    )
    item = models.CharField(_("item"), max_length=255)
    amount = models.DecimalField(_("amount (VND)"), max_digits=15, decimal_places=0, validators=[MinValueValidator(0)])
    # What was spent on the line, given with the post-trip report.
    spent = models.DecimalField(
        _("spent (VND)"), max_digits=15, decimal_places=0, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["delegation", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget estimate")

    def __str__(self) -> str:
        return self.item


class DelegationEvent(models.Model):
    """One step of the approval trail; rows are only ever added."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="events", verbose_name=_("delegation")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(_("from"), max_length=30, choices=Delegation.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=Delegation.Status.choices)
    # The role the step was taken in (separation of duties shows in the trail).
    actor_role = models.CharField(_("as"), max_length=30, choices=Role.CHOICES, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("delegation event")
        verbose_name_plural = _("delegation events")

    def __str__(self) -> str:
        return f"{self.delegation_id}: {self.from_status} → {self.to_status}"


class CheckWarning(models.Model):
    """A rule of Directive 38-CT/TW a plan breaks, and the reason given for going ahead."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="warnings", verbose_name=_("delegation")
    )
    code = models.CharField(_("check"), max_length=40)
    message = models.TextField(_("warning"))
    reason = models.TextField(_("reason given"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        ordering = ["delegation", "pk"]
        verbose_name = _("check warning")
        verbose_name_plural = _("check warnings")

    def __str__(self) -> str:
        return self.message


class TripReport(models.Model):
    """The post-trip (or visit results) report."""

    delegation = models.OneToOneField(
        Delegation, on_delete=models.CASCADE, related_name="report", verbose_name=_("delegation")
    )
    results = models.TextField(_("results"))
    agreements = models.TextField(_("agreements reached"), blank=True)
    follow_up = models.TextField(_("follow-up proposals"), blank=True)
    actual_expenses = models.DecimalField(
        _("expenses actually spent (VND)"),
        max_digits=15,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("post-trip report")
        verbose_name_plural = _("post-trip reports")

    def __str__(self) -> str:
        return str(self.delegation)


class RecoveryRecord(models.Model):
    """What a remains-recovery mission in Laos found and brought home."""

    delegation = models.OneToOneField(
        Delegation, on_delete=models.CASCADE, related_name="recovery", verbose_name=_("delegation")
    )
    lao_province = models.ForeignKey(
        LaoProvince, on_delete=models.PROTECT, related_name="recovery_records", verbose_name=_("Lao province")
    )
    sites = models.TextField(_("search sites"), blank=True)
    remains_recovered = models.PositiveIntegerField(_("remains recovered"), default=0)
    remains_repatriated = models.PositiveIntegerField(_("remains repatriated"), default=0)
    handover_date = models.DateField(_("handover ceremony date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recovery record")
        verbose_name_plural = _("recovery records")
        constraints = [
            models.CheckConstraint(
                condition=Q(remains_repatriated__lte=models.F("remains_recovered")),
                name="repatriated_not_more_than_recovered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.delegation} – {self.lao_province}"

    def clean(self):
        if self.remains_repatriated > self.remains_recovered:
            raise ValidationError({"remains_repatriated": _("More remains cannot be repatriated than were recovered.")})


def attachment_path(instance, filename: str) -> str:
    today = datetime.date.today()
    return f"delegations/{instance.delegation_id}/{today:%Y%m}/{filename}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation letter")
        DECISION = "decision", _("Decision")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other document")

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("delegation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    is_classified = models.BooleanField(_("classified (mật)"), default=False)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["delegation", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReminderLog(models.Model):
    """Which report reminder went out on which day, so a rerun of the daily task sends nothing twice."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["delegation", "sent_on"], name="one_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.delegation_id} {self.sent_on:%d/%m/%Y}"

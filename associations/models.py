"""The union's member associations, their people and the partner directory.

This app is the ground the others stand on: it imports no other app of the portal.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Association(TimeStamped):
    """One of the union's member associations (hội thành viên)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=80)
    countries = CountryField(_("partner countries"), multiple=True, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("member association")
        verbose_name_plural = _("member associations")

    def __str__(self) -> str:
        return self.short_name

    @property
    def association_id_for_rules(self) -> int:
        return self.pk


def association_ranks() -> dict[int, int]:
    """Each association's place in the associations' order (display order, then name): one query."""
    ordered = Association.objects.order_by("display_order", "name").values_list("pk", flat=True)
    return {pk: rank for rank, pk in enumerate(ordered)}


class LaoProvince(models.Model):
    """The 18 province-level units of Laos (reference data loaded by migration)."""

    iso_code = models.CharField(_("ISO code"), max_length=5, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("Lao province")
        verbose_name_plural = _("Lao provinces")

    def __str__(self) -> str:
        return self.name_vi


class LeaderAccount(TimeStamped):
    """Ties a portal account holding the association-leader role to the one association it leads."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leader_account", verbose_name=_("account")
    )
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="leader_accounts", verbose_name=_("association")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leader account")
        verbose_name_plural = _("leader accounts")

    def __str__(self) -> str:
        return f"{self.user} – {self.association}"


class Branch(TimeStamped):
    """A grassroots branch (chi hội cơ sở) of an association."""

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="branches", verbose_name=_("association")
    )
    name = models.CharField(_("name"), max_length=200)
    location = models.CharField(_("location"), max_length=255, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    head_name = models.CharField(_("branch head"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["association__display_order", "name"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="branch_unique_name_per_association"),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="branch_dissolved_after_founded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None or self.dissolved_on > timezone.localdate()

    def clean(self):
        if self.founded_on and self.dissolved_on and self.dissolved_on < self.founded_on:
            raise ValidationError({"dissolved_on": _("The dissolution date cannot be before the founding date.")})


class Member(TimeStamped):
    """A member (hội viên) of an association: a person or a collective (an organization)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COLLECTIVE = "collective", _("Collective")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")
        DECEASED = "deceased", _("Deceased")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="members", verbose_name=_("association")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("branch")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    full_name = models.CharField(_("name"), max_length=200)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    representative = models.CharField(_("representative"), max_length=200, blank=True)
    headcount = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    joined_on = models.DateField(_("joined on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Kept: the place of the member's association in the associations' order, written with every save of
    # the member and again for every member when an association's order changes, so that the members of
    # every association, in that order and then by name, are read from one index.
    association_rank = models.PositiveSmallIntegerField(_("association's place"), default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["association_rank"])

    class Meta:
        ordering = ["association_rank", "full_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["association", "status"]),
            models.Index(fields=["joined_on"]),
            models.Index(fields=["association_rank", "full_name"], name="member_list_order"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.association_rank = association_ranks().get(self.association_id, 0)
        if kwargs.get("update_fields") is not None and "association" in kwargs["update_fields"]:
            kwargs["update_fields"] = [*kwargs["update_fields"], "association_rank"]
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.branch_id and self.association_id and self.branch.association_id != self.association_id:
            errors["branch"] = _("The branch belongs to another association.")
        if self.kind == self.Kind.COLLECTIVE and not self.representative:
            errors["representative"] = _("A collective member needs a representative.")
        if self.kind == self.Kind.INDIVIDUAL and self.headcount:
            errors["headcount"] = _("Only a collective member has a number of people.")
        today = timezone.localdate()
        if self.joined_on and self.joined_on > today:
            errors["joined_on"] = _("The joining date cannot be in the future.")
        if self.birth_year and not 1900 <= self.birth_year <= today.year:
            errors["birth_year"] = _("Enter a year between 1900 and this year.")
        if self.status != self.Status.ACTIVE and not self.status_changed_on:
            errors["status_changed_on"] = _("Give the date the status changed.")
        if self.status_changed_on and self.joined_on and self.status_changed_on < self.joined_on:
            errors["status_changed_on"] = _("The status cannot change before the member joined.")
        if errors:
            raise ValidationError(errors)


class LeadershipPosition(TimeStamped):
    """A seat in an association's leadership for one term, full-time or concurrent (kiêm nhiệm)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY_GENERAL = "secretary_general", _("Secretary general")
        STANDING_MEMBER = "standing_member", _("Standing committee member")
        EXECUTIVE_MEMBER = "executive_member", _("Executive committee member")

    KEY_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARY_GENERAL)

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="leadership_positions", verbose_name=_("association")
    )
    person_name = models.CharField(_("full name"), max_length=200)
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leadership_positions",
        verbose_name=_("member record"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    term_label = models.CharField(_("term"), max_length=40, help_text=_("For example: 2022–2027"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    is_concurrent = models.BooleanField(
        _("concurrent post"), default=True, help_text=_("Held beside another job (kiêm nhiệm).")
    )
    main_job = models.CharField(_("main job"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["association__display_order", "-term_start", "role", "person_name"]
        verbose_name = _("leadership position")
        verbose_name_plural = _("leadership positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=models.F("term_start")),
                name="leadership_term_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} – {self.get_role_display()}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.term_start <= today and (self.term_end is None or self.term_end >= today)

    def clean(self):
        errors = {}
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            errors["term_end"] = _("The term must end after it starts.")
        if self.member_id and self.association_id and self.member.association_id != self.association_id:
            errors["member"] = _("The member belongs to another association.")
        if self.is_concurrent and not self.main_job:
            errors["main_job"] = _("Give the main job of a leader who holds the post concurrently.")
        if errors:
            raise ValidationError(errors)


class WorkPlan(TimeStamped):
    """An association's yearly work plan (kế hoạch công tác năm)."""

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="work_plans", verbose_name=_("association")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "association__display_order"]
        verbose_name = _("yearly work plan")
        verbose_name_plural = _("yearly work plans")
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="work_plan_one_per_association_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.year and not 1990 <= self.year <= timezone.localdate().year + 5:
            raise ValidationError({"year": _("Enter a year between 1990 and five years from now.")})


class WorkPlanItem(models.Model):
    """A focus task of a yearly plan (nhiệm vụ trọng tâm) and its outcome."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("focus task"), max_length=255)
    target = models.CharField(_("target"), max_length=255, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    outcome = models.TextField(_("outcome"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("focus task")
        verbose_name_plural = _("focus tasks")

    def __str__(self) -> str:
        return self.title


class Partner(TimeStamped):
    """A foreign counterpart in the partner directory (đối tác)."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy or consulate")
        INTERNATIONAL_ORGANIZATION = "international_organization", _("International organization")
        FOREIGN_NGO = "foreign_ngo", _("Foreign non-governmental organization")
        FOREIGN_LOCALITY = "foreign_locality", _("Foreign locality")
        FRIENDSHIP_ORGANIZATION = "friendship_organization", _("Foreign friendship organization")
        OVERSEAS_VIETNAMESE = "overseas_vietnamese", _("Overseas Vietnamese community")
        INDIVIDUAL = "individual", _("Individual")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    name_local = models.CharField(_("name in the original language"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    country = CountryField(_("country"))
    lao_province = models.ForeignKey(
        LaoProvince,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("Lao province"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("association in charge"),
        help_text=_("Leave empty for a partner of the whole union."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    since = models.DateField(_("partner since"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="partner_unique_name_per_country"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.lao_province_id and self.country and self.country.code != "LA":
            raise ValidationError({"lao_province": _("A Lao province can only be given for a partner in Laos.")})


class PartnerContact(models.Model):
    """A person to contact at a partner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner"))
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.CharField(_("notes"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "full_name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.full_name


class Activity(TimeStamped):
    """Something an association held or took part in: an anniversary, Tết greetings, an exchange…"""

    class Kind(models.TextChoices):
        ANNIVERSARY = "anniversary", _("Anniversary")
        NEW_YEAR_GREETINGS = "new_year_greetings", _("New Year (Tết) greetings")
        EXCHANGE = "exchange", _("Exchange")
        TRAINING = "training", _("Training")
        MEETING = "meeting", _("Meeting or conference")
        CHARITY = "charity", _("Charity and support")
        OTHER = "other", _("Other")

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="activities", verbose_name=_("association")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    held_on = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("partner"),
    )
    plan_item = models.ForeignKey(
        WorkPlanItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("focus task of the plan"),
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["association", "held_on"])]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.plan_item_id and self.association_id and self.plan_item.plan.association_id != self.association_id:
            raise ValidationError({"plan_item": _("The focus task belongs to another association's plan.")})
        if self.plan_item_id and self.held_on and self.plan_item.plan.year != self.held_on.year:
            raise ValidationError({"plan_item": _("The focus task belongs to the plan of another year.")})

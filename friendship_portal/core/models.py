import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Notification(models.Model):
    """An in-app notice for one user (the bell in the header)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message


class OutboxMail(models.Model):
    """An e-mail waiting to go out. It is written in the same transaction as the step or the notice it
    tells of, so a saved step always has its mail and a step rolled back has none; a task sends it
    once committed, and the outbox task sends again whatever is still waiting (the broker or the mail
    server was down)."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class FormSubmission(models.Model):
    """A form sent once: the token a form carries, kept with where its first answer led. The same form
    sent again (a double click, a resend after "back") finds its token here and changes nothing."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    redirect_to = models.CharField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("form sent")
        verbose_name_plural = _("forms sent")

    def __str__(self) -> str:
        return self.token


class Job(models.Model):
    """One piece of background work, an Excel import or a report: stored, queued after its row commits,
    claimed by one worker at a time, retried, and queued again by the sweep when the broker or a
    worker lost it (friendship_portal.core.jobs).

    `family` says which machinery does the work (friendship_portal.core.imports or .reports) and
    `kind` which of the kinds an app registered there; the job keeps only their keys, so the base
    knows no app.
    """

    class Family(models.TextChoices):
        IMPORT = "import", _("Import")
        REPORT = "report", _("Report")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused: the file has errors")  # an import with bad rows; nothing written
        FAILED = "failed", _("Failed")

    FINISHED = (State.DONE, State.REFUSED, State.FAILED)

    family = models.CharField(_("family"), max_length=10, choices=Family.choices)
    kind = models.CharField(_("kind"), max_length=60)
    # A report's title as the list shows it; an import's uploaded file name.
    title = models.CharField(_("title"), max_length=255)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    upload = models.FileField(_("uploaded file"), upload_to="imports/%Y%m/", max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to="reports/", max_length=255, blank=True)
    # An import refused: every bad row, [{"line": 7, "messages": [...]}].
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Why the job failed (or, while it waits for a retry, why the last try did not finish).
    error = models.TextField(_("error"), blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [
            models.Index(fields=["state", "queued_at"]),  # the sweep
            models.Index(fields=["family", "kind"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_stuck(self) -> bool:
        """Running past the stale limit: its worker died; its page offers to try it again."""
        if self.state != self.State.RUNNING or self.started_at is None:
            return False
        limit = datetime.timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS)
        return timezone.now() - self.started_at > limit

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def file_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class IssuingBody(models.Model):
    """A body that issues documents — the union, or one of its associations — with the code its
    document numbers carry and who signs for it (kept as data, edited by the administrator)."""

    UNION = "union"

    key = models.SlugField(_("key"), max_length=40, unique=True, help_text=_("“union”, or the association's code."))
    name = models.CharField(_("name"), max_length=200)
    superior = models.CharField(_("superior body"), max_length=200, blank=True)
    code = models.CharField(
        _("document code"), max_length=20, unique=True, help_text=_("Follows the type in a number: 05/BC-LHHN.")
    )
    signer_capacity = models.CharField(
        _("signing authority"), max_length=80, blank=True, help_text=_("TM. Ban Thường trực, KT. Chủ tịch, …")
    )
    signer_position = models.CharField(_("signer's position"), max_length=80)
    signer_name = models.CharField(_("signer's full name"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")

    def __str__(self) -> str:
        return self.name


class OutgoingDocument(models.Model):
    """An entry of the register of outgoing documents (sổ đăng ký văn bản đi): one number sequence per
    issuing body and year; the file is the document as issued."""

    body = models.ForeignKey(
        IssuingBody, on_delete=models.PROTECT, related_name="documents", verbose_name=_("issuing body")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    type_code = models.CharField(_("document type"), max_length=10)
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title"), max_length=500)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    file = models.FileField(_("file"), upload_to="register/%Y/", max_length=255)
    # What the document is of ("delegation-report:12"): building it again returns the entry already made.
    source = models.CharField(_("source"), max_length=100, unique=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="one_number_per_body_and_year"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """05/BC-LHHN."""
        return f"{self.number:02d}/{self.type_code}-{self.body.code}"

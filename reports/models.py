"""The archive of generated reports: every monthly dispatch report and reward/penalty summary the
worker rendered, with the as-of time of the data it used, a version and the file's hash."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def report_path(report, filename):
    return f"reports/{report.kind}/{report.period_slug}-v{report.version}.{report.format}"


def word_path(report, filename):
    return f"reports/{report.kind}/{report.period_slug}-v{report.version}.docx"


class ReportQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(issued_at__isnull=False)

    def drafts(self):
        return self.filter(issued_at__isnull=True)


class Report(models.Model):
    class Kind(models.TextChoices):
        DISPATCH = "dispatch", _("Monthly dispatch report")
        # For the city leader, each quarter; `month` holds the quarter's last month.
        QUARTERLY = "quarterly", _("Quarterly dispatch report")
        REWARDS = "rewards", _("Reward/penalty summary")
        ASSESSMENT = "assessment", _("Assessment notice")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default="pdf")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    scheduled = models.BooleanField(_("scheduled"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    as_of = models.DateTimeField(_("data as of"))
    # When the render was last handed to the queue: the sweep sends a queued report again only
    # once this is old (a long queue is not a lost message).
    sent_at = models.DateTimeField(_("sent to the worker at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=report_path, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # A PDF's Word version: the same document from the same data, for editing before it goes out.
    word_file = models.FileField(_("Word file"), upload_to=word_path, blank=True)
    word_sha256 = models.CharField(_("Word SHA-256"), max_length=64, blank=True)
    word_size = models.PositiveIntegerField(_("Word size"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        permissions = [("issue_report", _("Can issue reports to the council"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "month", "format", "version"], name="report_version_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["rewards", "assessment"])
                | models.Q(month__isnull=False),
                name="dispatch_has_month",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period} v{self.version}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def period(self) -> str:
        if self.kind == self.Kind.QUARTERLY:
            return f"{self.year}年第{self.month // 3}季度"
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年"

    @property
    def period_slug(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def download_name(self) -> str:
        return f"{self.get_kind_display()}-{self.period}-v{self.version}.{self.format}"

    @property
    def word_download_name(self) -> str:
        return self.download_name.removesuffix(self.format) + "docx"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def is_draft(self) -> bool:
        return self.issued_at is None

    @property
    def can_be_issued(self) -> bool:
        return self.is_draft and self.status == self.Status.DONE

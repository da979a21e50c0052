"""Quarterly submissions (季度进展): one member's report for one quarter of a plan."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jituan.fields import GRACE_DAYS, NOTE_TEXT, BoundedTextField
from jituan.models import Member

from .plans import QUARTERS, Indicator, Plan, Task

DEFAULT_DUE_AFTER_QUARTER_DAYS = 10
DEFAULT_GRACE_DAYS = 10


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + quarter // 4, 3 * quarter % 12 + 1, 1) - timedelta(days=1)
    return first, last


class QuarterSchedule(models.Model):
    """When a quarter's submissions are due, and how long late ones are still accepted."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("plan")
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    due_on = models.DateField(_("due on"))
    grace_days = models.PositiveSmallIntegerField(
        _("late submissions accepted for (days)"), default=DEFAULT_GRACE_DAYS, validators=GRACE_DAYS
    )

    class Meta:
        verbose_name = _("quarter deadline")
        verbose_name_plural = _("quarter deadlines")
        ordering = ["plan", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "quarter"],
                name="schedule_one_per_quarter",
                violation_error_message=_("This quarter already has a deadline."),
            )
        ]

    def __str__(self):
        return f"{self.plan.year} {self.get_quarter_display()}"

    @property
    def closes_on(self) -> date:
        return self.due_on + timedelta(days=self.grace_days)

    @classmethod
    def default_for(cls, plan: Plan, quarter: int) -> "QuarterSchedule":
        _first, last = quarter_bounds(plan.year, quarter)
        due = last + timedelta(days=DEFAULT_DUE_AFTER_QUARTER_DAYS)
        return cls(plan=plan, quarter=quarter, due_on=due, grace_days=DEFAULT_GRACE_DAYS)


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("plan")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("member")
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic lock: every save must name the version it started from.
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When it was first submitted: on time or late is judged on it, and reports as of a date
    # count it as submitted from then on, whatever returns and resubmissions came later.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = BoundedTextField(_("review comment"), max_length=NOTE_TEXT, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-plan__year", "-quarter", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "member", "quarter"],
                name="submission_one_per_member_quarter",
                violation_error_message=_("This member already has a submission for the quarter."),
            )
        ]
        indexes = [models.Index(fields=["plan", "quarter", "status"])]
        permissions = [("review_submission", _("Can approve or return submissions"))]

    def __str__(self):
        return f"{self.member} {self.plan.year} {self.get_quarter_display()}"

    def get_absolute_url(self):
        return reverse("targets:submission-detail", args=[self.pk])

    @property
    def is_editable_by_liaison(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class TaskReport(models.Model):
    """A submission's row for one task: latest progress and status."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        ON_TRACK = "on_track", _("On track")
        BEHIND = "behind", _("Behind")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("submission")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("task")
    )
    progress = BoundedTextField(_("latest progress"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    behind_reason = BoundedTextField(_("reason for being behind"), max_length=NOTE_TEXT, blank=True)
    review_comment = BoundedTextField(_("review comment"), max_length=NOTE_TEXT, blank=True)

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["submission", "task__position", "task__pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "task"], name="task_report_once")
        ]
        # The dashboard counts task statuses per quarter from the index alone.
        indexes = [models.Index(fields=["submission", "status"], name="taskreport_status")]

    def __str__(self):
        return f"{self.submission} · {self.task.number}"

    def clean(self):
        if self.status == self.Status.BEHIND and not self.behind_reason.strip():
            raise ValidationError({"behind_reason": _("Say why the task is behind.")})


class IndicatorReport(models.Model):
    """A submission's row for one indicator: the actual value, or "not applicable" and why."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("submission"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="reports", verbose_name=_("indicator")
    )
    value = models.DecimalField(
        _("actual value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # For a rate or growth: the base the member's figure is a share of (its full-time teachers
    # for a dual-qualified share), so that the group's figure is weighted, not averaged.
    denominator = models.DecimalField(
        _("base"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    not_applicable_reason = models.CharField(_("why not applicable"), max_length=200, blank=True)
    review_comment = BoundedTextField(_("review comment"), max_length=NOTE_TEXT, blank=True)

    class Meta:
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")
        ordering = ["submission", "indicator__position", "indicator__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator"], name="indicator_report_once"
            )
        ]

    def __str__(self):
        return f"{self.submission} · {self.indicator}"

    def clean(self):
        if self.not_applicable and self.value is not None:
            raise ValidationError(
                {"value": _("Either give a value or mark it not applicable, not both.")}
            )
        if self.not_applicable and not self.not_applicable_reason.strip():
            raise ValidationError(
                {"not_applicable_reason": _("Say why the indicator does not apply.")}
            )
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": _("The value must not be negative.")})
        if self.indicator_id is None:
            return
        if self.indicator.kind == Indicator.Kind.RATE:
            self.indicator.check_target(self.value, "value")
        if self.indicator.is_share and self.value is not None and not self.denominator:
            raise ValidationError(
                {
                    "denominator": _(
                        "Give the base this rate is a share of (%(base)s): the group's rate "
                        "is weighted by it."
                    )
                    % {"base": self.indicator.denominator_label or _("the base")}
                }
            )


def evidence_path(evidence, filename: str) -> str:
    # Stored under a generated name: the user's file name is kept in original_name only.
    suffix = Path(filename).suffix.lower()
    submission = evidence.submission
    return f"evidence/{submission.plan.year}/{submission.member_id}/{evidence.token}{suffix}"


class Evidence(models.Model):
    """A file attached to a submission (or one of its rows), stored privately."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("submission")
    )
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True, blank=True)
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("targets:evidence-download", args=[self.pk])


class SubmissionVersion(models.Model):
    """Every save, submission, return and approval, with a snapshot of what the rows held."""

    class Action(models.TextChoices):
        SAVED = "saved", _("Saved as draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        EVIDENCE = "evidence", _("Evidence changed")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions", verbose_name=_("submission")
    )
    number = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    snapshot = models.JSONField(default=dict)
    changes = models.JSONField(default=list)
    note = BoundedTextField(max_length=NOTE_TEXT, blank=True)

    class Meta:
        verbose_name = _("submission version")
        verbose_name_plural = _("submission history")
        ordering = ["submission", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="version_once")
        ]

    def __str__(self):
        return f"{self.submission} v{self.number}"


class ReopenRequest(models.Model):
    """A liaison's request to report after a quarter closed, and the secretariat's answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="reopen_requests", verbose_name=_("plan")
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, verbose_name=_("member"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    reason = BoundedTextField(_("reason"), max_length=NOTE_TEXT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    until = models.DateField(_("reopened until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = BoundedTextField(_("note"), max_length=NOTE_TEXT, blank=True)

    class Meta:
        verbose_name = _("reopening request")
        verbose_name_plural = _("reopening requests")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.member} {self.plan.year} {self.get_quarter_display()}"


class MonthlyEntry(models.Model):
    """A month's progress of a task reported monthly, by the member that reports for it (its
    lead, or each responsible member when it names none); reviewed like a submission. The
    month's dispatch report reads it, and the quarter's submission shows it."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="monthly_entries", verbose_name=_("task")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="monthly_entries", verbose_name=_("member")
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    progress = BoundedTextField(_("progress this month"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Submission.Status.choices,
        default=Submission.Status.DRAFT,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = BoundedTextField(_("review comment"), max_length=NOTE_TEXT, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("monthly progress")
        verbose_name_plural = _("monthly progress")
        ordering = ["task__plan", "month", "task__position", "task__pk", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "member", "month"], name="monthly_entry_once")
        ]

    def __str__(self):
        return f"{self.task.plan.year}年{self.month}月 · {self.task.number} · {self.member}"

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1

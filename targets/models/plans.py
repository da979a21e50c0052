import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jituan.fields import NOTE_TEXT, POSITION, YEAR, BoundedTextField
from jituan.models import Member

QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]


class Plan(models.Model):
    """The council's key-work plan for one year (年度重点工作)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR)
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    summary = BoundedTextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year"]

    def __str__(self):
        # "2025 年重点任务" says its year already (a title taken from an imported sheet)
        if self.title.startswith(str(self.year)):
            return self.title
        return f"{self.year} {self.title}"

    def get_absolute_url(self):
        return reverse("targets:plan-detail", args=[self.pk])


class TaskQuerySet(models.QuerySet):
    def for_member(self, member_id: int):
        return self.filter(responsible_members=member_id).distinct()


class Task(models.Model):
    """A numbered key task (重点任务) of a plan, with one planned milestone per quarter."""

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan")
    )
    number = models.CharField(
        _("number"), max_length=30, help_text=_("As written in the plan, e.g. （一）1 or 3.")
    )
    position = models.PositiveIntegerField(_("position"), default=0, validators=POSITION)
    section = models.CharField(_("section"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = BoundedTextField(_("description"), blank=True)
    responsible_members = models.ManyToManyField(
        Member, blank=True, related_name="tasks", verbose_name=_("responsible members")
    )
    # PROTECT, as for a member's allocations and submissions: a member leading a task is not
    # deleted from under it (members leave the group by being made inactive); the secretariat
    # names another lead first.
    lead_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("lead member"),
        help_text=_(
            "One of the responsible members: it reports for the task; the others assist and "
            "send it their notes."
        ),
    )
    supervising_leader = models.CharField(_("supervising leader"), max_length=100, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # Monthly: the lead member also reports the task's progress every month (MonthlyEntry).
    reporting_frequency = models.CharField(
        _("reporting frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    latest_progress = BoundedTextField(_("latest progress"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="task_unique_number_in_plan",
                violation_error_message=_("This plan already has a task with this number."),
            )
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("targets:task-detail", args=[self.pk])

    @property
    def assisting_members(self) -> list[Member]:
        """The responsible members other than the lead (协办单位); uses prefetched members."""
        return [m for m in self.responsible_members.all() if m.pk != self.lead_member_id]

    def milestones_by_quarter(self) -> list[str]:
        """The planned text of quarters 1–4 ("" where none); uses prefetched milestones."""
        planned = {milestone.quarter: milestone.planned for milestone in self.milestones.all()}
        return [planned.get(quarter, "") for quarter in range(1, 5)]


class Milestone(models.Model):
    """The planned progress of a task in one quarter (季度形象进度)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("task")
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    planned = BoundedTextField(_("planned milestone"), max_length=NOTE_TEXT)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "quarter"],
                name="milestone_one_per_quarter",
                violation_error_message=_("A task has one milestone per quarter."),
            )
        ]

    def __str__(self):
        return f"{self.task.number} {self.get_quarter_display()}"


class Indicator(models.Model):
    """A quantified target (量化指标) of a plan."""

    class Kind(models.TextChoices):
        ABSOLUTE = "absolute", _("Absolute number")
        GROWTH = "growth", _("Growth over baseline (%)")
        RATE = "rate", _("Rate (%)")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan")
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("task"),
    )
    code = models.SlugField(_("code"), max_length=50, help_text=_("Short stable key, e.g. enroll"))
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("人, 个, 人次, % …"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ABSOLUTE)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    position = models.PositiveIntegerField(_("position"), default=0, validators=POSITION)
    source = models.CharField(
        _("source of the actual value"),
        max_length=60,
        blank=True,
        help_text=_("Computed from a register, or (empty) from the members' approved submissions."),
    )
    denominator_label = models.CharField(
        _("what the rate is a share of"),
        max_length=40,
        blank=True,
        help_text=_(
            "For a rate or growth members report: the base each member gives with its figure "
            "(e.g. full-time teachers), so the group's rate is weighted by it."
        ),
    )
    notes = BoundedTextField(_("notes"), blank=True)

    history = HistoricalRecords(
        verbose_name=_("historical indicator"), verbose_name_plural=_("historical indicators")
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="indicator_unique_code_in_plan",
                violation_error_message=_("This plan already has an indicator with this code."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("targets:indicator-detail", args=[self.pk])

    def clean(self):
        from ..sources import GROUP_FIGURE, SOURCES

        if self.source and self.source not in SOURCES and self.source != GROUP_FIGURE:
            raise ValidationError({"source": _("Unknown source.")})
        if self.kind in (self.Kind.GROWTH, self.Kind.RATE) and self.target is not None:
            if self.target < 0 or (self.kind == self.Kind.RATE and self.target > 100):
                raise ValidationError({"target": _("A percentage must be between 0 and 100.")})

    @property
    def target_display(self) -> str:
        return self.display(self.target)

    def display(self, value) -> str:
        """A target or figure of this indicator as written: 13,546人, 30%, +10%."""
        if value is None:
            return "—"
        if self.kind == self.Kind.GROWTH:
            return f"{'+' if value >= 0 else ''}{_number(value)}%"
        suffix = "%" if self.kind == self.Kind.RATE else self.unit
        return f"{_number(value)}{suffix}"

    @property
    def is_allocatable(self) -> bool:
        """Only absolute numbers are split among members and must add up to the target; a rate
        or growth target is set per member or per category, each held to its own."""
        return self.kind == self.Kind.ABSOLUTE

    @property
    def is_share(self) -> bool:
        return self.kind in (self.Kind.RATE, self.Kind.GROWTH)

    def check_target(self, value, field: str = "target") -> None:
        """A target or figure of a rate is a percentage from 0 to 100; nothing is negative."""
        if value is None:
            return
        if value < 0:
            raise ValidationError({field: _("A target or figure must not be negative.")})
        if self.kind == self.Kind.RATE and value > 100:
            raise ValidationError({field: _("A percentage must be between 0 and 100.")})


class TrajectoryPoint(models.Model):
    """One year's target of a multi-year indicator, e.g. local employment 40/42/45/50% 2024–27."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="trajectory", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    history = HistoricalRecords(
        verbose_name=_("historical trajectory point"),
        verbose_name_plural=_("historical trajectory"),
    )

    class Meta:
        verbose_name = _("trajectory point")
        verbose_name_plural = _("trajectory")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="trajectory_one_per_year",
                violation_error_message=_("This year already has a target."),
            )
        ]

    def __str__(self):
        return f"{self.year}: {_number(self.target)}"


def _evidence_path(figure, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"group-figures/{figure.year}/{uuid.uuid4().hex}{suffix}"


class GroupFigure(models.Model):
    """A figure only the secretariat knows for the whole group (research topics the council
    approved, a city statistic): entered with its basis, in force once a second secretariat
    user confirms it. A later figure for the same year replaces it from its own confirmation;
    the earlier rows stay, so the figure as of any date can be read."""

    class Status(models.TextChoices):
        ENTERED = "entered", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="group_figures",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    basis = models.CharField(
        _("basis"),
        max_length=300,
        help_text=_(
            "Where the figure comes from: a document number, meeting minutes, a statistic."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ENTERED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    evidence = models.FileField(
        _("evidence file"),
        upload_to=_evidence_path,
        max_length=200,
        blank=True,
        help_text=_("The document the figure is read from (PDF, image, Word or Excel)."),
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("group figure")
        verbose_name_plural = _("group figures")
        ordering = ["-year", "-entered_at"]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"

    def clean(self):
        if self.indicator_id:
            self.indicator.check_target(self.value, "value")


class AllocationQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(indicator__plan=plan)


class Allocation(models.Model):
    """A member's share of an indicator's target (e.g. its 2020 enrollment quota)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("indicator")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("member")
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = AllocationQuerySet.as_manager()

    history = HistoricalRecords(
        verbose_name=_("historical allocation"), verbose_name_plural=_("historical allocations")
    )

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["indicator", "-target", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "member"],
                name="allocation_one_per_member",
                violation_error_message=_("This member already has a share of this indicator."),
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.indicator}: {_number(self.target)}"

    def clean(self):
        if self.indicator_id:
            self.indicator.check_target(self.target)


class CategoryTarget(models.Model):
    """A rate or growth target for every school of a category, e.g. Lanzhou's dual-qualified
    share: county schools ≥ 30%, private schools ≥ 30%, urban public schools ≥ 50%. A member
    is held to the most specific rule that fits it (the one naming most of its kind, location
    and ownership); a member's own allocation overrides any rule."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="category_targets"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Member.Kind.choices, blank=True)
    location = models.CharField(
        _("location"), max_length=10, choices=Member.Location.choices, blank=True
    )
    ownership = models.CharField(
        _("ownership"), max_length=10, choices=Member.Ownership.choices, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    history = HistoricalRecords(
        verbose_name=_("historical category target"),
        verbose_name_plural=_("historical category targets"),
    )

    class Meta:
        verbose_name = _("category target")
        verbose_name_plural = _("category targets")
        ordering = ["indicator", "kind", "location", "ownership"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "kind", "location", "ownership"],
                name="category_target_once",
                violation_error_message=_("This category already has a target."),
            )
        ]

    def __str__(self):
        return f"{self.indicator} · {self.category_display}: {_number(self.target)}"

    @property
    def criteria(self) -> dict[str, str]:
        return {
            name: getattr(self, name)
            for name in ("kind", "location", "ownership")
            if getattr(self, name)
        }

    @property
    def category_display(self) -> str:
        parts = [str(getattr(self, f"get_{name}_display")()) for name in self.criteria]
        return "、".join(parts)

    def clean(self):
        if not self.criteria:
            raise ValidationError(
                _(
                    "Name at least one of kind, location or ownership: a target for every "
                    "member is the indicator's own target."
                )
            )
        if self.indicator_id:
            if not self.indicator.is_share:
                raise ValidationError(
                    _(
                        "Targets by category are for rates and growth; a number is split among "
                        "members so that it adds up to the group's target."
                    )
                )
            self.indicator.check_target(self.target)


class ImportBatch(models.Model):
    """An uploaded sheet: previewed first, committed only when it has no errors."""

    class Kind(models.TextChoices):
        TASKS = "tasks", _("Task breakdown sheet")
        ALLOCATIONS = "allocations", _("Allocation sheet")
        QUOTAS = "quotas", _("Enrollment quota table")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PARSING = "parsing", _("Reading")
        PREVIEWED = "previewed", _("Ready to review")
        REJECTED = "rejected", _("Has errors")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="imports", null=True)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("indicator"),
        help_text=_("For a sheet without an indicator column: the indicator all rows are for."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The current stage (reading, then importing): when it was asked for, and when a worker
    # took it up. The stalled-work sweep reads both.
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"

    def get_absolute_url(self):
        return reverse("targets:import-detail", args=[self.pk])

    WORKING = (Status.QUEUED, Status.PARSING, Status.COMMITTING)

    @property
    def working(self) -> bool:
        """The worker has this batch in hand (or will): the page polls until it is done."""
        return self.status in self.WORKING

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.QUEUED or not self.rows_total:
            return 0 if self.working else 100
        return min(100, round(100 * self.rows_done / self.rows_total))


def check_lead_member(lead: Member | None, members) -> None:
    """The lead of a task is one of its responsible members (the form and the service ask)."""
    if lead is not None and lead.pk not in {member.pk for member in members}:
        raise ValidationError(
            {
                "lead_member": _(
                    "The lead member must be one of the task's responsible members: choose "
                    "%(name)s among them too, or choose another lead."
                )
                % {"name": lead.name}
            }
        )


def tasks_reported_by(plan: Plan, member) -> models.QuerySet:
    """The tasks a member reports progress on each quarter: those naming it responsible."""
    return Task.objects.filter(plan=plan, responsible_members=member).distinct()


def _indicators_of(plan: Plan, member) -> models.QuerySet:
    """A member's indicators: allocated to it, or belonging to a task that names it."""
    concerns = models.Q(allocations__member=member) | models.Q(task__responsible_members=member)
    return Indicator.objects.filter(concerns, plan=plan).distinct()


def indicators_reported_by(plan: Plan, member) -> models.QuerySet:
    """The indicators a member reports a figure for each quarter: its own (allocated to it, or
    of a task naming it) whose value members report, never one a register computes or the
    secretariat enters."""
    return _indicators_of(plan, member).filter(source="")


def indicators_from_registers(plan: Plan, member) -> models.QuerySet:
    """The member's indicators whose value a register computes: shown beside the quarterly
    report, read-only, with a link to the records."""
    from ..sources import GROUP_FIGURE

    return _indicators_of(plan, member).exclude(source__in=["", GROUP_FIGURE])


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".")

"""Reward and deduction rules, as data per year (奖补 and 扣减), and the records they need that no
other register keeps: the students city source schools send to the group's secondary schools and
the cross-city students those schools enroll.

Amounts are whole yuan in integer fields: SQLite would store decimals as floats."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models import Grade
from jituan.fields import CLASS_SIZE, MONEY, YEAR
from jituan.models import Member


class RewardFund(models.Model):
    """One year's money: the reward fund the summary is held against, and the group's running
    budget (运转经费, shown beside it but never paid out as rewards)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR)
    reward_fund = models.PositiveIntegerField(_("annual reward fund (yuan)"), validators=MONEY)
    running_budget = models.PositiveIntegerField(
        _("annual running budget (yuan)"), default=0, validators=MONEY
    )
    scale_to_fund = models.BooleanField(
        _("scale rewards down to the fund"),
        default=False,
        help_text=_(
            "When the rewards exceed the fund, pay every payee the same share of their total."
        ),
    )

    history = HistoricalRecords(
        verbose_name=_("historical reward fund"), verbose_name_plural=_("historical reward funds")
    )

    class Meta:
        verbose_name = _("reward fund")
        verbose_name_plural = _("reward funds")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}"

    def get_absolute_url(self):
        return reverse("rewards:funds-list")


class RewardRule(models.Model):
    """One reward the policy pays in a year, e.g. ¥100,000 per class of 20 or more students."""

    class Kind(models.TextChoices):
        ORDER_CLASS = "order_class", _("Qualifying order or named class, per class")
        SOURCE_SCHOOL = "source_school", _("City source school, per student sent")
        CROSS_CITY = "cross_city", _("Group secondary school, per cross-city student")
        PROVINCIAL_CONSORTIUM = "provincial_consortium", _("Provincial consortium")
        NATIONAL_CONSORTIUM = "national_consortium", _("National consortium")
        PROVINCIAL_COLLEGE = "provincial_college", _("Provincial industry college")

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=100)
    amount = models.PositiveIntegerField(_("amount (yuan)"), validators=MONEY)
    min_students = models.PositiveSmallIntegerField(
        _("minimum students per class"),
        null=True,
        blank=True,
        help_text=_("Order and named classes only: the class size that qualifies."),
        validators=CLASS_SIZE,
    )

    history = HistoricalRecords(
        verbose_name=_("historical reward rule"), verbose_name_plural=_("historical reward rules")
    )

    class Meta:
        verbose_name = _("reward rule")
        verbose_name_plural = _("reward rules")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind"],
                name="reward_rule_once_per_year",
                violation_error_message=_("This year already has a rule of this kind."),
            )
        ]

    def __str__(self):
        return f"{self.year} {self.label}"

    def get_absolute_url(self):
        return reverse("rewards:rules-list")

    def clean(self):
        if self.kind == self.Kind.ORDER_CLASS and not self.min_students:
            raise ValidationError(
                {"min_students": _("Give the class size that qualifies for this reward.")}
            )


class DeductionRule(models.Model):
    """A deduction the secretariat sets for a year: the 2020 plan ties completion to money
    without fixing the formula."""

    class Kind(models.TextChoices):
        MISSING = "missing", _("Missing quarterly submission, per quarter")
        LATE = "late", _("Late quarterly submission, per quarter")
        BELOW_TARGET = "below_target", _("Indicator below the member's target, per indicator")

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=100)
    amount = models.PositiveIntegerField(_("amount (yuan)"), validators=MONEY)
    threshold_percent = models.PositiveSmallIntegerField(
        _("more than this % below target"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Indicators only: e.g. 10 deducts when a member reaches less than 90%."),
    )

    history = HistoricalRecords(
        verbose_name=_("historical deduction rule"),
        verbose_name_plural=_("historical deduction rules"),
    )

    class Meta:
        verbose_name = _("deduction rule")
        verbose_name_plural = _("deduction rules")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind"],
                name="deduction_rule_once_per_year",
                violation_error_message=_("This year already has a rule of this kind."),
            )
        ]

    def __str__(self):
        return f"{self.year} {self.label}"

    def get_absolute_url(self):
        return reverse("rewards:deductions-list")

    def clean(self):
        if self.kind == self.Kind.BELOW_TARGET and self.threshold_percent is None:
            raise ValidationError(
                {"threshold_percent": _("Give how far below target an indicator may fall.")}
            )


class GradeRule(models.Model):
    """How a member's grade in the year's confirmed annual assessment moves its reward: +10
    raises its total by a tenth, −100 pays it nothing."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    label = models.CharField(_("label"), max_length=100)
    percent = models.SmallIntegerField(
        _("change to the reward (%)"),
        validators=[
            # Django fills the message's %(limit_value)s: a per cent sign is written %%.
            MinValueValidator(-100, message=_("A reward cannot be cut by more than 100%%.")),
            MaxValueValidator(100, message=_("A reward can be raised by at most 100%%.")),
        ],
        help_text=_("e.g. 10 raises the member's total by 10%; −100 pays it nothing."),
    )

    history = HistoricalRecords(
        verbose_name=_("historical grade rule"), verbose_name_plural=_("historical grade rules")
    )

    class Meta:
        verbose_name = _("grade rule")
        verbose_name_plural = _("grade rules")
        ordering = ["-year", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "grade"],
                name="grade_rule_once_per_year",
                violation_error_message=_("This year already has a rule for this grade."),
            )
        ]

    def __str__(self):
        return f"{self.year} {self.label}"

    def get_absolute_url(self):
        return reverse("rewards:grade-rules-list")


class StudentIntake(models.Model):
    """Students a group secondary school enrolled in a year from one source school.

    A city source school (市内生源地学校: a junior middle school outside the group) is paid per
    student it sends; a cross-city intake earns the receiving school its own reward instead."""

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="student_intakes",
        verbose_name=_("receiving member"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    source_school = models.CharField(_("source school"), max_length=100)
    is_cross_city = models.BooleanField(_("from another city"), default=False)
    students = models.PositiveIntegerField(_("students"), validators=CLASS_SIZE)

    history = HistoricalRecords(
        verbose_name=_("historical student intake"),
        verbose_name_plural=_("historical student intakes"),
    )

    class Meta:
        verbose_name = _("student intake")
        verbose_name_plural = _("student intakes")
        ordering = ["-year", "member__name", "source_school"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "source_school"],
                name="student_intake_once",
                violation_error_message=_(
                    "This member already has a row for that year and source school."
                ),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.year} {self.source_school}"

    def get_absolute_url(self):
        return reverse("rewards:intakes-list")

    def clean(self):
        secondary = (Member.Kind.SECONDARY_VOCATIONAL, Member.Kind.TECHNICIAN)
        if self.member_id and self.member.kind not in secondary:
            raise ValidationError(
                {"member": _("Only secondary vocational schools and technician colleges enroll.")}
            )

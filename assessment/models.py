"""The annual assessment (年度考核): the year's rules as data (weighted criteria, grade
thresholds, how far the secretariat may adjust a score), and each member's score with the basis
of every point, its rank among members of its kind and its grade. Draft while the secretariat
computes and adjusts; confirmed once, after which it is what the notice and the reward summary
read."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jituan.fields import NOTE_TEXT, YEAR, BoundedTextField
from jituan.models import Member

SCORE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class Assessment(models.Model):
    """One year's assessment: its thresholds and status; its criteria and scores hang off it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR)
    excellent_from = models.DecimalField(
        _("excellent from (score)"), max_digits=4, decimal_places=1, default=90, validators=SCORE
    )
    good_from = models.DecimalField(
        _("good from (score)"), max_digits=4, decimal_places=1, default=80, validators=SCORE
    )
    pass_from = models.DecimalField(
        _("pass from (score)"), max_digits=4, decimal_places=1, default=60, validators=SCORE
    )
    max_adjustment = models.DecimalField(
        _("largest adjustment (points)"),
        max_digits=3,
        decimal_places=1,
        default=5,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(20))],
        help_text=_("The secretariat may raise or lower a computed score by at most this much."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    history = HistoricalRecords(
        verbose_name=_("historical assessment"), verbose_name_plural=_("historical assessments")
    )

    class Meta:
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s annual assessment") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("assessment:detail", args=[self.year])

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class Criterion(models.Model):
    """A weighted criterion. The weights of a year's criteria add up to 100."""

    class Kind(models.TextChoices):
        TASKS = "tasks", _("Task completion")
        INDICATORS = "indicators", _("Indicator completion against own targets")
        ON_TIME = "on_time", _("On-time submission rate")
        ACHIEVEMENTS = "achievements", _("Certified achievements")
        URGES = "urges", _("Urges received (deduction)")
        INSTRUCTIONS = "instructions", _("Leaders' instructions answered")

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("annual assessment"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=100)
    weight = models.PositiveSmallIntegerField(
        _("weight (points)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # ACHIEVEMENTS: certified records that earn full points; URGES: points deducted per urge.
    parameter = models.DecimalField(
        _("parameter"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(1000))],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords(
        verbose_name=_("historical criterion"), verbose_name_plural=_("historical criteria")
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["assessment", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind"],
                name="criterion_once_per_assessment",
                violation_error_message=_("This assessment already has a criterion of this kind."),
            )
        ]

    def __str__(self):
        return self.label


class MemberScore(models.Model):
    """A member's score in a year's assessment: computed from the criteria (with the basis of
    every point), adjusted by the secretariat with a reason, ranked within the member's kind."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("annual assessment"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="scores", verbose_name=_("member")
    )
    computed = models.DecimalField(
        _("computed score"), max_digits=4, decimal_places=1, validators=SCORE
    )
    adjustment = models.DecimalField(_("adjustment"), max_digits=3, decimal_places=1, default=0)
    adjustment_reason = BoundedTextField(
        _("reason for the adjustment"), max_length=NOTE_TEXT, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1, validators=SCORE)
    rank = models.PositiveSmallIntegerField(_("rank within kind"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    # [{"kind", "label", "weight", "points", "basis"}], one per criterion, in the criteria's order.
    basis = models.JSONField(_("basis"), default=list)

    history = HistoricalRecords(
        verbose_name=_("historical member score"),
        verbose_name_plural=_("historical member scores"),
    )

    class Meta:
        verbose_name = _("member score")
        verbose_name_plural = _("member scores")
        ordering = ["assessment", "member__kind", "rank", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "member"], name="member_score_once_per_assessment"
            )
        ]

    def __str__(self):
        return f"{self.assessment} {self.member}"

    def get_absolute_url(self):
        return reverse("assessment:score", args=[self.assessment.year, self.member_id])

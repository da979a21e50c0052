"""Enrollment, teachers and graduates per member and year: the records the headline indicators
(enrollment growth, dual-qualified teachers, local employment) are computed from."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jituan.fields import STUDENTS, TEACHERS, YEAR
from jituan.models import Member


class Enrollment(models.Model):
    """A member's enrollment quota and actual enrollment for one year, level and channel."""

    class Level(models.TextChoices):
        HIGHER = "higher", _("Higher vocational")
        SECONDARY = "secondary", _("Secondary vocational")
        TECHNICIAN = "technician", _("New technician system")

    class Channel(models.TextChoices):
        GENERAL = "general", _("General admission")
        CLASSIFIED = "classified", _("Classified admission")
        EXPANSION = "expansion", _("Social expansion")
        THREE_TWO = "three_two", _("3+2 through-training")
        FIVE_YEAR = "five_year", _("Five-year through-training")
        ALL = "all", _("All channels")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.ALL
    )
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True, validators=STUDENTS)
    actual = models.PositiveIntegerField(
        _("actual enrollment"), null=True, blank=True, validators=STUDENTS
    )

    history = HistoricalRecords(
        verbose_name=_("historical enrollment"), verbose_name_plural=_("historical enrollment")
    )

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollment")
        ordering = ["-year", "member__name", "level", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "level", "channel"],
                name="enrollment_once",
                violation_error_message=_(
                    "This member already has a row for that year, level and channel."
                ),
            )
        ]
        indexes = [models.Index(fields=["year", "member"])]

    def __str__(self):
        return f"{self.member} {self.year} {self.get_level_display()}"

    def clean(self):
        # A year's figures are either one row for all channels or a row per channel, never
        # both: the totals would count the same students twice.
        if not (self.member_id and self.year and self.level):
            return
        same = Enrollment.objects.filter(
            member_id=self.member_id, year=self.year, level=self.level
        ).exclude(pk=self.pk)
        if self.channel == self.Channel.ALL and same.exclude(channel=self.Channel.ALL).exists():
            raise ValidationError(
                {"channel": _("This year is already entered by channel: add or edit a channel.")}
            )
        if self.channel != self.Channel.ALL and same.filter(channel=self.Channel.ALL).exists():
            raise ValidationError(
                {
                    "channel": _(
                        "This year is already entered for all channels: split that row into "
                        "channels, or edit it."
                    )
                }
            )

    @property
    def completion(self):
        if not self.quota or self.actual is None:
            return None
        return round(100 * self.actual / self.quota, 1)


class StudentsOnRoll(models.Model):
    """Students on a member's roll (在校生) at a level, counted once a year."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="students_on_roll", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    level = models.CharField(_("level"), max_length=20, choices=Enrollment.Level.choices)
    students = models.PositiveIntegerField(_("students on roll"), validators=STUDENTS)

    history = HistoricalRecords(
        verbose_name=_("historical students on roll"),
        verbose_name_plural=_("historical students on roll"),
    )

    class Meta:
        verbose_name = _("students on roll")
        verbose_name_plural = _("students on roll")
        ordering = ["-year", "member__name", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "level"],
                name="students_on_roll_once",
                violation_error_message=_("This member already has a row for that year and level."),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.year} {self.get_level_display()}"


class TeacherCount(models.Model):
    """Full-time teachers and how many of them are dual-qualified (双师型), per member and year."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="teacher_counts", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    full_time = models.PositiveIntegerField(_("full-time teachers"), validators=TEACHERS)
    dual_qualified = models.PositiveIntegerField(_("dual-qualified teachers"), validators=TEACHERS)

    history = HistoricalRecords(
        verbose_name=_("historical teacher count"),
        verbose_name_plural=_("historical teacher counts"),
    )

    class Meta:
        verbose_name = _("teacher count")
        verbose_name_plural = _("teacher counts")
        ordering = ["-year", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="teacher_count_once",
                violation_error_message=_("This member already has figures for that year."),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.year}"

    def clean(self):
        if self.full_time is not None and (self.dual_qualified or 0) > self.full_time:
            raise ValidationError(
                {"dual_qualified": _("Cannot be more than the full-time teachers.")}
            )

    @property
    def share(self):
        return round(100 * self.dual_qualified / self.full_time, 1) if self.full_time else None


class GraduateCount(models.Model):
    """Graduates and how many found work locally (本地就业), per member, year and level (a
    高职-only employment rate is a target of its own)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="graduate_counts", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=Enrollment.Level.choices,
        default=Enrollment.Level.SECONDARY,
    )
    graduates = models.PositiveIntegerField(_("graduates"), validators=STUDENTS)
    employed_locally = models.PositiveIntegerField(_("employed locally"), validators=STUDENTS)

    history = HistoricalRecords(
        verbose_name=_("historical graduate count"),
        verbose_name_plural=_("historical graduate counts"),
    )

    class Meta:
        verbose_name = _("graduate count")
        verbose_name_plural = _("graduate counts")
        ordering = ["-year", "member__name", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "level"],
                name="graduate_count_once_per_level",
                violation_error_message=_("This member already has a row for that year and level."),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.year} {self.get_level_display()}"

    def clean(self):
        if self.graduates is not None and (self.employed_locally or 0) > self.graduates:
            raise ValidationError({"employed_locally": _("Cannot be more than the graduates.")})

    @property
    def rate(self):
        return round(100 * self.employed_locally / self.graduates, 1) if self.graduates else None

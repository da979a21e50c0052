"""What members build beyond enrollment: social training, teacher development, research topics
and colleges. Each record belongs to one member and one year, and feeds an indicator source
(training person-times, new teachers, research topics, secondary and professional colleges)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jituan.fields import HEAD_COUNT, TEACHERS, TOO_MANY, YEAR
from jituan.models import Member

DAYS = [MaxValueValidator(366, message=TOO_MANY)]


class TrainingCourse(models.Model):
    """A social training course (社会培训) a member ran: who it trained, how many person-times."""

    class Audience(models.TextChoices):
        WORKERS = "workers", _("Enterprise employees")
        MIGRANT = "migrant", _("Migrant workers")
        VETERANS = "veterans", _("Veterans")
        FARMERS = "farmers", _("Farmers")
        PUBLIC = "public", _("Members of the public")
        OTHER = "other", _("Other")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="training_courses", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    title = models.CharField(_("course"), max_length=200)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    enterprise = models.CharField(_("partner enterprise"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    person_times = models.PositiveIntegerField(_("person-times"), validators=HEAD_COUNT)
    days = models.PositiveSmallIntegerField(_("days"), validators=DAYS)

    history = HistoricalRecords(
        verbose_name=_("historical training course"),
        verbose_name_plural=_("historical training courses"),
    )

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-year", "member__name", "starts_on"]
        indexes = [models.Index(fields=["year", "member"])]

    def __str__(self):
        return f"{self.member} {self.title}"

    def clean(self):
        errors = {}
        if self.starts_on and self.year and self.starts_on.year != self.year:
            errors["starts_on"] = _("The course starts outside its year %(year)s.") % {
                "year": self.year
            }
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The course ends before it starts.")
        if errors:
            raise ValidationError(errors)


class TeacherDevelopment(models.Model):
    """Teachers a member recruited, placed in enterprises or brought in from industry in a year."""

    class Kind(models.TextChoices):
        RECRUITED = "recruited", _("Professional teachers recruited")
        LEADERS = "leaders", _("Subject leaders brought in")
        PLACED = "placed", _("Teachers placed in enterprises")
        CRAFTSMEN = "craftsmen", _("Craftsmen hired")
        PART_TIME = "part_time", _("Part-time teachers from industry")

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="teacher_development",
        verbose_name=_("member"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    persons = models.PositiveIntegerField(_("persons"), validators=TEACHERS)
    days = models.PositiveIntegerField(
        _("days in enterprises"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    history = HistoricalRecords(
        verbose_name=_("historical teacher development"),
        verbose_name_plural=_("historical teacher development"),
    )

    class Meta:
        verbose_name = _("teacher development")
        verbose_name_plural = _("teacher development")
        ordering = ["-year", "member__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "kind"],
                name="teacher_development_once",
                violation_error_message=_("This member already has a row for that year and kind."),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.year} {self.get_kind_display()}"


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    SCHOOL = "school", _("School")


class ResearchTopic(models.Model):
    """A research topic (课题) approved for a member in a year."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="research_topics", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year approved"), validators=YEAR)
    title = models.CharField(_("topic"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)

    history = HistoricalRecords(
        verbose_name=_("historical research topic"),
        verbose_name_plural=_("historical research topics"),
    )

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["-year", "member__name", "title"]

    def __str__(self):
        return self.title


class College(models.Model):
    """A secondary college (二级学院) or a higher-vocational professional college (高职专业学院)
    a member founded."""

    class Kind(models.TextChoices):
        SECONDARY = "secondary", _("Secondary college")
        PROFESSIONAL = "professional", _("Higher-vocational professional college")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="colleges", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    enterprise = models.CharField(_("partner enterprise"), max_length=200, blank=True)
    founded = models.PositiveSmallIntegerField(_("year founded"), validators=YEAR)

    history = HistoricalRecords(
        verbose_name=_("historical college"), verbose_name_plural=_("historical colleges")
    )

    class Meta:
        verbose_name = _("college")
        verbose_name_plural = _("colleges")
        ordering = ["-founded", "member__name", "name"]

    def __str__(self):
        return self.name

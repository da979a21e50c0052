"""School–enterprise partnerships: the registers behind order classes, training bases and the
money rules (a class of 20 or more students earns the ¥100,000 subsidy)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jituan.fields import CLASS_SIZE, HEAD_COUNT, STUDENTS, YEAR
from jituan.models import Member

AGREEMENT_DATE = [
    MinValueValidator(date(2000, 1, 1), message=_("Give a date from 2000 to 2100.")),
    MaxValueValidator(date(2100, 12, 31), message=_("Give a date from 2000 to 2100.")),
]
QUALIFYING_CLASS_SIZE = 20
EXPIRING_WITHIN_DAYS = 90


class Level(models.TextChoices):
    NONE = "none", _("Not rated")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


def level_year_check(record) -> None:
    """A rated consortium or college says when it reached its level (its award is paid in that
    year, once), and cannot have reached it before it was founded."""
    if record.level == Level.NONE:
        record.level_year = None
        return
    if not record.level_year:
        raise ValidationError({"level_year": _("Give the year the level was reached.")})
    if record.founded and record.level_year < record.founded:
        raise ValidationError(
            {"level_year": _("The level cannot have been reached before the year founded.")}
        )


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    industry = models.CharField(_("leading industry served"), max_length=50, blank=True)
    is_integration_enterprise = models.BooleanField(
        _("industry-education integration enterprise"), default=False
    )
    member = models.OneToOneField(
        Member, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("group member")
    )

    history = HistoricalRecords(
        verbose_name=_("historical enterprise"), verbose_name_plural=_("historical enterprises")
    )

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrderClass(models.Model):
    class Kind(models.TextChoices):
        ORDER = "order", _("Order class")
        NAMED = "named", _("Named class")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="order_classes", verbose_name=_("member")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, verbose_name=_("enterprise")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ORDER)
    major = models.CharField(_("major"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    students = models.PositiveIntegerField(_("students"), validators=CLASS_SIZE)

    history = HistoricalRecords(
        verbose_name=_("historical order class"), verbose_name_plural=_("historical order classes")
    )

    class Meta:
        verbose_name = _("order class")
        verbose_name_plural = _("order classes")
        ordering = ["-year", "member__name", "major"]

    def __str__(self):
        return f"{self.member} {self.major} {self.enterprise}"

    @property
    def qualifies(self) -> bool:
        return self.students >= QUALIFYING_CLASS_SIZE


class ApprenticeshipCohort(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, verbose_name=_("member"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, verbose_name=_("enterprise")
    )
    major = models.CharField(_("major"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    apprentices = models.PositiveIntegerField(_("apprentices"), validators=CLASS_SIZE)

    history = HistoricalRecords(
        verbose_name=_("historical apprenticeship cohort"),
        verbose_name_plural=_("historical apprenticeship cohorts"),
    )

    class Meta:
        verbose_name = _("apprenticeship cohort")
        verbose_name_plural = _("apprenticeship cohorts")
        ordering = ["-year", "member__name"]

    def __str__(self):
        return f"{self.member} {self.major} {self.year}"


class IndustryCollege(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, verbose_name=_("member"))
    name = models.CharField(_("name"), max_length=100)
    industry = models.CharField(_("industry"), max_length=50)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.NONE)
    level_year = models.PositiveSmallIntegerField(
        _("year the level was reached"), null=True, blank=True, validators=YEAR
    )
    enterprises = models.ManyToManyField(Enterprise, blank=True, verbose_name=_("enterprises"))
    founded = models.PositiveSmallIntegerField(_("founded"), validators=YEAR)

    history = HistoricalRecords(
        verbose_name=_("historical industry college"),
        verbose_name_plural=_("historical industry colleges"),
    )

    class Meta:
        verbose_name = _("industry college")
        verbose_name_plural = _("industry colleges")
        ordering = ["member__name", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        level_year_check(self)


class Consortium(models.Model):
    class Scope(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    name = models.CharField(_("name"), max_length=100, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.NONE)
    level_year = models.PositiveSmallIntegerField(
        _("year the level was reached"), null=True, blank=True, validators=YEAR
    )
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("member")
    )
    founded = models.PositiveSmallIntegerField(_("founded"), validators=YEAR)

    history = HistoricalRecords(
        verbose_name=_("historical consortium"), verbose_name_plural=_("historical consortia")
    )

    class Meta:
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        level_year_check(self)


class TrainingBase(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public training base")
        ENTERPRISE = "enterprise", _("Enterprise productive base")
        SHARED_LAB = "shared_lab", _("Shared school lab")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, verbose_name=_("member"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("year built"), validators=YEAR)

    history = HistoricalRecords(
        verbose_name=_("historical training base"),
        verbose_name_plural=_("historical training bases"),
    )

    class Meta:
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name


class CertificatePilot(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, verbose_name=_("member"))
    certificate = models.CharField(_("certificate"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    students = models.PositiveIntegerField(_("students"), default=0, validators=HEAD_COUNT)

    history = HistoricalRecords(
        verbose_name=_("historical “1+X” certificate pilot"),
        verbose_name_plural=_("historical “1+X” certificate pilots"),
    )

    class Meta:
        verbose_name = _("“1+X” certificate pilot")
        verbose_name_plural = _("“1+X” certificate pilots")
        ordering = ["-year", "member__name"]

    def __str__(self):
        return f"{self.member} {self.certificate}"


def in_force_during(first_year: int, last_year: int | None = None) -> Q:
    """The agreements in force at some time in a year (or from first_year to last_year): signed
    on or before its last day and not expired before its first. A Q, so that it filters the
    register and its history (jituan.history.records_as_of) alike."""
    return Q(
        starts_on__lte=date(last_year or first_year, 12, 31), ends_on__gte=date(first_year, 1, 1)
    )


class AgreementQuerySet(models.QuerySet):
    def expiring(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            ends_on__gte=today, ends_on__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS)
        )


class CooperationAgreement(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, verbose_name=_("member"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, verbose_name=_("enterprise")
    )
    major = models.CharField(_("major"), max_length=60)
    starts_on = models.DateField(_("starts on"), validators=AGREEMENT_DATE)
    ends_on = models.DateField(_("ends on"), validators=AGREEMENT_DATE)

    objects = AgreementQuerySet.as_manager()

    history = HistoricalRecords(
        verbose_name=_("historical cooperation agreement"),
        verbose_name_plural=_("historical cooperation agreements"),
    )

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["ends_on"]

    def __str__(self):
        return f"{self.member} {self.major} {self.enterprise}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The agreement cannot end before it starts.")})

    @property
    def is_expiring(self) -> bool:
        today = timezone.localdate()
        return today <= self.ends_on <= today + timedelta(days=EXPIRING_WITHIN_DAYS)


class LeadingIndustry(models.TextChoices):
    """Anqing's leading industries (主导产业), which the group's majors are to cover."""

    NONE = "none", _("No leading industry")
    AUTO = "auto", _("Automobiles and parts")
    CHEMICALS = "chemicals", _("Chemicals and new materials")
    DIGITAL = "digital", _("Digital economy and electronics")
    EQUIPMENT = "equipment", _("High-end equipment manufacturing")
    SERVICES = "services", _("Modern services")
    AGRICULTURE = "agriculture", _("Modern agriculture")


# Full-width digits, as a Chinese input method types them, read as the digits they are.
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


class Major(models.Model):
    """A major (专业) a member offers in a school year: its level, the leading industry it serves
    and its students. Matched by name to the member's cooperation agreements (each major should
    have agreements with at least two enterprises)."""

    # Enrollment.Level's choices: the same levels, and partnerships may not import enrollment.
    class Level(models.TextChoices):
        HIGHER = "higher", _("Higher vocational")
        SECONDARY = "secondary", _("Secondary vocational")
        TECHNICIAN = "technician", _("New technician system")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="majors", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    name = models.CharField(_("major"), max_length=60)
    code = models.CharField(_("major code"), max_length=12, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    leading_industry = models.CharField(
        _("leading industry served"),
        max_length=20,
        choices=LeadingIndustry.choices,
        default=LeadingIndustry.NONE,
    )
    students = models.PositiveIntegerField(_("students"), validators=STUDENTS)

    history = HistoricalRecords(
        verbose_name=_("historical major"), verbose_name_plural=_("historical majors")
    )

    class Meta:
        verbose_name = _("major")
        verbose_name_plural = _("majors")
        ordering = ["-year", "member__name", "level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "level", "name"],
                name="major_once",
                violation_error_message=_(
                    "This member already has this major at that level for that year."
                ),
            )
        ]
        indexes = [models.Index(fields=["year", "member"])]

    def __str__(self):
        return f"{self.member} {self.year} {self.name}"

    def clean(self):
        self.code = self.code.strip().translate(FULL_WIDTH_DIGITS)
        # Digits, as in the catalogue; a code under national control ends in K (570102K).
        digits = self.code.upper().removesuffix("K")
        self.code = self.code.upper()
        if self.code and not (digits.isascii() and digits.isdigit()):
            raise ValidationError(
                {
                    "code": _(
                        "A major code is digits as in the catalogue (e.g. 460702), K at the end "
                        "for a code under national control (570102K)."
                    )
                }
            )

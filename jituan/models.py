from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .fields import BoundedTextField
from .roles import Role


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def schools(self):
        return self.filter(kind__in=Member.Kind.schools())

    def in_group_order(self):
        """The order the group lists itself in: 1 lead, 2 backbone, 2 consortia, then N; schools
        before other kinds."""
        roles = [Member.GroupRole.LEAD, Member.GroupRole.BACKBONE, Member.GroupRole.CONSORTIUM]
        role_rank = models.Case(
            *[models.When(group_role=role, then=rank) for rank, role in enumerate(roles)],
            default=len(roles),
        )
        kind_rank = models.Case(
            *[models.When(kind=kind, then=rank) for rank, kind in enumerate(Member.Kind.values)],
            default=len(Member.Kind.values),
        )
        return self.order_by(role_rank, kind_rank, "location", "name")


class Member(models.Model):
    """A member unit of the group: a school, enterprise, department, association or institute."""

    class Kind(models.TextChoices):
        HIGHER_VOCATIONAL = "higher_vocational", _("Higher vocational college")
        SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational school")
        TECHNICIAN = "technician", _("Technician college")
        ENTERPRISE = "enterprise", _("Enterprise")
        GOVERNMENT = "government", _("Government department")
        ASSOCIATION = "association", _("Industry association")
        RESEARCH = "research", _("Research institute")

        @classmethod
        def schools(cls):
            return [cls.HIGHER_VOCATIONAL, cls.SECONDARY_VOCATIONAL, cls.TECHNICIAN]

    class GroupRole(models.TextChoices):
        LEAD = "lead", _("Lead")
        BACKBONE = "backbone", _("Backbone")
        CONSORTIUM = "consortium", _("Industry-education consortium")
        MEMBER = "member", _("Member")

    class Location(models.TextChoices):
        URBAN = "urban", _("Urban")
        COUNTY = "county", _("County")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    group_role = models.CharField(
        _("role in the group"), max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    location = models.CharField(_("location"), max_length=10, choices=Location.choices)
    county = models.CharField(_("county"), max_length=40, blank=True)
    ownership = models.CharField(
        _("ownership"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    is_council_member = models.BooleanField(_("council member"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = BoundedTextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "location"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("jituan:member-detail", args=[self.pk])

    def clean(self):
        if self.location == self.Location.COUNTY and not self.county.strip():
            raise ValidationError({"county": _("A county member needs the name of its county.")})
        if self.location == self.Location.URBAN and self.county:
            raise ValidationError({"county": _("An urban member has no county; leave it empty.")})

    @property
    def location_display(self):
        if self.location == self.Location.COUNTY:
            return f"{self.get_location_display()}（{self.county}）"
        return self.get_location_display()


class MemberContact(models.Model):
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("member")
    )
    name = models.CharField(_("full name"), max_length=50)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    # Escalated urges (催办 past the schedule's leadership step) also go to them by e-mail.
    is_leadership = models.BooleanField(_("member's leadership"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return f"{self.name}（{self.member}）"


class User(AbstractUser):
    """A person who signs in. Their role is their Django group; a liaison is bound to one member."""

    name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons",
        verbose_name=_("member"),
        help_text=_("Required for liaisons: the one member whose data they report."),
    )
    email_notifications = models.BooleanField(
        _("e-mail my notifications"),
        default=False,
        help_text=_("Also send each in-app notification to my e-mail address."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.name or self.username

    @property
    def role(self) -> Role | None:
        # Cached per instance; lists prefetch "groups" so that this costs no query per row.
        if not hasattr(self, "_role"):
            names = {group.name for group in self.groups.all()}
            self._role = next((role for role in Role if role.value in names), None)
        return self._role

    @property
    def is_liaison(self) -> bool:
        return self.role == Role.LIAISON


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user (站内消息): what happened to their work and where to look at it."""

    class Kind(models.TextChoices):
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REOPEN_GRANTED = "reopen_granted", _("Reopening granted")
        REOPEN_REFUSED = "reopen_refused", _("Reopening refused")
        DEADLINE_COMING = "deadline_coming", _("Deadline coming")
        REPORT_READY = "report_ready", _("Report ready")
        URGE = "urge", _("Urge")
        INSTRUCTION = "instruction", _("Leader's instruction")
        CERTIFICATION = "certification", _("Certification")
        ASSESSMENT = "assessment", _("Annual assessment")

    recipient = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Set for notices that must go out once only (the deadline reminder per member and quarter).
    key = models.CharField(_("once-only key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self):
        return self.text[:50]

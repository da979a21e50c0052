"""Supervision (督办): a traffic light for every task × responsible member, kept with its
history; urges (催办) sent by hand or on a schedule held as data, each logged per channel; the
group robots (企业微信 / 钉钉 webhooks) urges are posted to."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from jituan.models import Member, Notification
from targets.models import Submission, Task


class Light(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


# Worst first: a member's light is the worst of its tasks' lights.
SEVERITY = {Light.RED: 2, Light.YELLOW: 1, Light.GREEN: 0}


class TaskLight(models.Model):
    """The current light of one task for one of its responsible members, and why."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="lights", verbose_name=_("task")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="task_lights", verbose_name=_("member")
    )
    light = models.CharField(_("light"), max_length=10, choices=Light.choices)
    reason = models.CharField(_("reason"), max_length=300)
    # The day it turned this colour, so a page can say "red for three weeks".
    since = models.DateField(_("since"))
    # The deadline the light is about (a milestone's quarter report or the task's own
    # deadline); none once the task is done. Scheduled urges count their days from it.
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    computed_on = models.DateField(_("computed on"))

    class Meta:
        verbose_name = _("task light")
        verbose_name_plural = _("task lights")
        ordering = ["task__plan", "task__position", "task__pk", "member__name"]
        constraints = [models.UniqueConstraint(fields=["task", "member"], name="task_light_once")]
        indexes = [models.Index(fields=["light"], name="tasklight_light")]

    def __str__(self):
        return f"{self.task.number} · {self.member} · {self.get_light_display()}"

    @property
    def held_days(self) -> int:
        """For how many days it has had this colour (as of the day it was computed)."""
        return (self.computed_on - self.since).days

    @property
    def held_label(self) -> str:
        days = self.held_days
        if days >= 14:
            return gettext_now("for %(weeks)s weeks") % {"weeks": days // 7}
        if days:
            return gettext_now("for %(days)s days") % {"days": days}
        return gettext_now("since today")


class LightChange(models.Model):
    """Every change of a light, the first one included: the light's history."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="light_changes", verbose_name=_("task")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="light_changes", verbose_name=_("member")
    )
    light = models.CharField(_("light"), max_length=10, choices=Light.choices)
    previous = models.CharField(
        _("previous light"), max_length=10, choices=Light.choices, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300)
    changed_on = models.DateField(_("changed on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("light change")
        verbose_name_plural = _("light changes")
        ordering = ["-changed_on", "-pk"]

    def __str__(self):
        return f"{self.task.number} · {self.member} · {self.changed_on}"


class SupervisionPolicy(models.Model):
    """The group's supervision settings, one row (the secretariat edits it)."""

    yellow_days = models.PositiveSmallIntegerField(
        _("yellow when a milestone is this many days away"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("supervision policy")
        verbose_name_plural = _("supervision policies")

    def __str__(self):
        return str(_("supervision policy"))

    @classmethod
    def current(cls) -> "SupervisionPolicy":
        return cls.objects.order_by("pk").first() or cls()


class UrgeStep(models.Model):
    """One step of the automatic urging schedule, in days from the deadline: -7 and -3 before
    it, 1 after it and every day from then on, 7 after it to the member's leadership too."""

    days = models.SmallIntegerField(
        _("days from the deadline"),
        unique=True,
        validators=[MinValueValidator(-60), MaxValueValidator(60)],
        help_text=_("Negative: before the deadline; 0: on the day; positive: after it."),
    )
    repeat_daily = models.BooleanField(_("then every day"), default=False)
    to_leadership = models.BooleanField(_("also to the member's leadership"), default=False)

    class Meta:
        verbose_name = _("urging step")
        verbose_name_plural = _("urging steps")
        ordering = ["days"]

    def __str__(self):
        return f"{self.days:+d}"


class Urge(models.Model):
    """An urge (催办) to a member on a task or on its quarterly report: by hand with an optional
    note, or by the schedule (no user). Each channel it went out on is a Delivery."""

    class Origin(models.TextChoices):
        MANUAL = "manual", _("By hand")
        SCHEDULE = "schedule", _("On schedule")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="urges", verbose_name=_("member")
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        related_name="urges",
        null=True,
        blank=True,
        verbose_name=_("task"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="urges",
        null=True,
        blank=True,
        verbose_name=_("quarterly report"),
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    to_leadership = models.BooleanField(_("to the member's leadership"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # A scheduled urge goes out once per key (task or report, member, step, day) however often
    # the job runs.
    key = models.CharField(_("once-only key"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("urge")
        verbose_name_plural = _("urges")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="urge_key_once"
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.created_at:%Y-%m-%d}"


class Delivery(models.Model):
    """One urge on one channel: to whom, whether it went out, and when it was read."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app message")
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Group robot")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    urge = models.ForeignKey(
        Urge, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("urge")
    )
    channel = models.CharField(_("sent through"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The in-app message, whose read_at says when the urge was read.
    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )
    webhook = models.ForeignKey(
        "Webhook",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("group robot"),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["urge", "pk"]

    def __str__(self):
        return f"{self.urge} · {self.get_channel_display()}"

    @property
    def read_at(self):
        return self.notification.read_at if self.notification else None


class Webhook(models.Model):
    """A group robot (群机器人) of 企业微信 or 钉钉 that urges are posted to: a member's own, or the
    secretariat's (no member)."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name=_("member"),
        help_text=_("Leave empty for the secretariat's own group."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk's 加签 secret, when the robot has one."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["member__name", "pk"]

    def __str__(self):
        return f"{self.member or _('Secretariat')} · {self.get_kind_display()}"


class Instruction(models.Model):
    """A leader's written instruction (领导批示) on a task, a member's quarterly report or an
    issued report: leadership's only write. It goes to the members responsible, who each answer
    with what they did (InstructionReply)."""

    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("task"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("quarterly report"),
    )
    # An issued dispatch report or reward summary; named by string, as reports build on this app.
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("issued report"),
    )
    text = models.TextField(_("instruction"), max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("instructed by"),
    )
    created_at = models.DateTimeField(_("instructed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(task__isnull=False, submission__isnull=True, report__isnull=True)
                    | models.Q(task__isnull=True, submission__isnull=False, report__isnull=True)
                    | models.Q(task__isnull=True, submission__isnull=True, report__isnull=False)
                ),
                name="instruction_on_one_thing",
            )
        ]

    def __str__(self):
        return f"{self.by} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("supervision:instruction-detail", args=[self.pk])

    @property
    def subject(self) -> str:
        if self.task_id:
            return f"{_('task')} {self.task.number} {self.task.title}"
        if self.submission_id:
            return str(self.submission)
        return str(self.report)


class InstructionReply(models.Model):
    """One member's part of an instruction: what it did, when, by whom."""

    instruction = models.ForeignKey(
        Instruction, on_delete=models.CASCADE, related_name="replies", verbose_name=_("instruction")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="instruction_replies",
        verbose_name=_("member"),
    )
    answer = models.TextField(_("what was done"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reply to an instruction")
        verbose_name_plural = _("replies to instructions")
        ordering = ["instruction", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["instruction", "member"], name="instruction_reply_once")
        ]

    def __str__(self):
        return f"{self.instruction} · {self.member}"

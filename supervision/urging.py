"""Urging (催办): by hand from the task or report page, and on the schedule held as UrgeStep
rows. Each urge is logged once with one Delivery per channel: the in-app message at once, the
e-mails and the group robots through the worker once the transaction commits."""

import logging
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jituan.models import Member, MemberContact, Notification, User
from jituan.notifications import notify
from jituan.roles import Role
from targets.models import Submission, Task

from .models import Delivery, Light, SupervisionPolicy, TaskLight, Urge, UrgeStep, Webhook
from .services import live_plans

log = logging.getLogger(__name__)

NOTE_MAX = 300


@dataclass(frozen=True)
class Step:
    days: int
    repeat_daily: bool = False
    to_leadership: bool = False


# Used while no UrgeStep is stored (nothing is written for it: the schedule page shows it as
# the starting point): 7 and 3 days before, daily from the day after, leadership after a week.
DEFAULT_STEPS = (Step(-7), Step(-3), Step(1, repeat_daily=True), Step(7, to_leadership=True))


def schedule_steps() -> list[Step]:
    stored = [
        Step(step.days, step.repeat_daily, step.to_leadership)
        for step in UrgeStep.objects.order_by("days")
    ]
    return stored or list(DEFAULT_STEPS)


# --- by hand ----------------------------------------------------------------------------------


@transaction.atomic
def urge_send(
    *,
    member: Member,
    task: Task | None = None,
    submission: Submission | None = None,
    note: str = "",
    by: User,
) -> Urge:
    """The secretariat urges a member on a task it answers for, or on its quarterly report."""
    if not (by.is_superuser or by.role == Role.SECRETARIAT):
        raise ValidationError(_("Only the secretariat may urge a member."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("The note may be at most %(max)s characters (it has %(count)s).")
            % {"max": NOTE_MAX, "count": len(note)}
        )
    if (task is None) == (submission is None):
        raise ValidationError(_("Urge on a task or on a quarterly report."))
    if task is not None and not task.responsible_members.filter(pk=member.pk).exists():
        raise ValidationError(_("This member is not responsible for the task."))
    if submission is not None:
        _check_submission(submission, member)
    text = _text_for(member=member, task=task, submission=submission, note=note)
    urge = Urge(
        member=member,
        task=task,
        submission=submission,
        origin=Urge.Origin.MANUAL,
        note=note,
        text=text,
        by=by,
    )
    urge.full_clean()
    urge.save()
    _deliver(urge)
    return urge


def _check_submission(submission: Submission, member: Member) -> None:
    if submission.member_id != member.pk:
        raise ValidationError(_("This report is not the member's."))
    if submission.status == Submission.Status.APPROVED:
        raise ValidationError(_("This report has been approved; there is nothing to urge."))
    if submission.status == Submission.Status.SUBMITTED:
        raise ValidationError(_("This report has been submitted and is waiting for review."))


def _text_for(*, member, task=None, submission=None, note="", light=None, due_on=None) -> str:
    if task is not None:
        what = _("task %(number)s “%(title)s”") % {"number": task.number, "title": task.title}
    else:
        what = _("the %(year)s Q%(quarter)s progress report") % {
            "year": submission.plan.year,
            "quarter": submission.quarter,
        }
    reason = light.reason if light is not None else ""
    if due_on is not None:
        text = _("[Urge] %(member)s: %(what)s %(reason)s (due %(due)s); please report soon.") % {
            "member": member.name,
            "what": what,
            "reason": reason,
            "due": due_on.isoformat(),
        }
    else:
        text = _("[Urge] %(member)s: please move %(what)s on and report soon.") % {
            "member": member.name,
            "what": what,
        }
    if note:
        text += _(" Note: %(note)s") % {"note": note}
    return text


# --- on schedule ------------------------------------------------------------------------------


def urges_on_schedule(*, today: date) -> int:
    """Urge every member whose task light is not green, by the schedule; returns how many urges
    were sent. Each is logged under a key naming the task, member, deadline, step and day, so a
    second run on the same day (or a concurrent one) sends nothing again."""
    steps = schedule_steps()
    # Only the plans still supervised: an old plan's last lights stay stored, never urged.
    lights = (
        TaskLight.objects.exclude(light=Light.GREEN)
        .filter(due_on__isnull=False, member__is_active=True)
        .filter(task__plan__in=[plan.pk for plan in live_plans(today)])
        .select_related("task__plan", "member")
    )
    sent = 0
    for light in lights:
        step = _step_due(light, steps, today)
        if step is None:
            continue
        try:
            _urge_scheduled(light, step, today)
        except IntegrityError:  # the same urge written by another run
            continue
        sent += 1
    return sent


def _key_prefix(light: TaskLight) -> str:
    return f"sched:{light.task_id}:{light.member_id}:{light.due_on.isoformat()}:"


def _step_due(light: TaskLight, steps: list[Step], today: date) -> Step | None:
    """The step to send today, at most one a day: a leadership step first (once per deadline),
    else the latest daily or exact step. None when one went out today already."""
    prefix = _key_prefix(light)
    if Urge.objects.filter(key__startswith=prefix, key__endswith=f":{today.isoformat()}").exists():
        return None
    offset = (today - light.due_on).days
    firing = []
    for step in steps:
        if step.to_leadership and not step.repeat_daily:
            fires = offset >= step.days and not _fired(prefix, step)
        else:
            fires = offset == step.days or (step.repeat_daily and offset >= step.days)
        if fires:
            firing.append(step)
    if not firing:
        return None
    return max(firing, key=lambda step: (step.to_leadership, step.days))


def _fired(prefix: str, step: Step) -> bool:
    return Urge.objects.filter(key__startswith=f"{prefix}{step.days}:").exists()


@transaction.atomic
def _urge_scheduled(light: TaskLight, step: Step, today: date) -> Urge:
    text = _text_for(member=light.member, task=light.task, light=light, due_on=light.due_on)
    urge = Urge.objects.create(
        member=light.member,
        task=light.task,
        origin=Urge.Origin.SCHEDULE,
        text=text,
        to_leadership=step.to_leadership,
        key=f"{_key_prefix(light)}{step.days}:{today.isoformat()}",
    )
    _deliver(urge)
    return urge


# --- deliveries -------------------------------------------------------------------------------


def _liaisons(member: Member):
    return User.objects.filter(member=member, is_active=True, groups__name=Role.LIAISON)


def _deliver(urge: Urge) -> list[Delivery]:
    """One Delivery per channel and recipient; the in-app ones are written now, the others are
    sent by the worker after the commit (a broker that is down leaves them pending for the
    sweep, never failing the page)."""
    liaisons = list(_liaisons(urge.member))
    url = urge.task.get_absolute_url() if urge.task_id else urge.submission.get_absolute_url()
    now = timezone.now()
    deliveries = []
    for note in notify(liaisons, Notification.Kind.URGE, urge.text, url):
        deliveries.append(
            Delivery(
                urge=urge,
                channel=Delivery.Channel.IN_APP,
                recipient=str(note.recipient)[:200],
                status=Delivery.Status.SENT,
                attempts=1,
                sent_at=now,
                notification=note,
            )
        )
    queued = [
        Delivery(urge=urge, channel=Delivery.Channel.EMAIL, recipient=address)
        for address in _email_addresses(urge, liaisons)
    ]
    webhooks = Webhook.objects.filter(is_active=True).filter(
        Q(member=urge.member) | Q(member__isnull=True)
    )
    queued += [
        Delivery(
            urge=urge, channel=Delivery.Channel.WEBHOOK, recipient=str(hook)[:200], webhook=hook
        )
        for hook in webhooks
    ]
    deliveries = Delivery.objects.bulk_create(deliveries + queued)
    ids = [d.pk for d in deliveries if d.status == Delivery.Status.PENDING]
    if ids:
        transaction.on_commit(partial(_queue, ids))
    return deliveries


def _email_addresses(urge: Urge, liaisons) -> list[str]:
    # A liaison who asked for e-mail copies of their notifications gets this one through
    # notify() already: no second e-mail.
    addresses = [u.email for u in liaisons if u.email and not u.email_notifications]
    if urge.to_leadership:
        addresses += (
            MemberContact.objects.filter(member=urge.member, is_leadership=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    return list(dict.fromkeys(addresses))


def _queue(delivery_ids: list[int]) -> None:
    from .tasks import delivery_send_queued  # the tasks call this module's services

    delivery_send_queued(delivery_ids)


# --- the worker's side ------------------------------------------------------------------------


def delivery_sent(*, delivery: Delivery) -> Delivery:
    delivery.status = Delivery.Status.SENT
    delivery.attempts += 1
    delivery.error = ""
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "error", "sent_at"])
    return delivery


def delivery_attempt_failed(*, delivery: Delivery, error: str, final: bool) -> Delivery:
    """Count the attempt and keep its error; the last attempt leaves the delivery failed."""
    delivery.attempts += 1
    delivery.error = error[:300]
    if final:
        delivery.status = Delivery.Status.FAILED
    delivery.save(update_fields=["status", "attempts", "error"])
    return delivery


# --- the schedule and the group robots (secretariat) ------------------------------------------


@transaction.atomic
def schedule_save(*, steps: list[Step], yellow_days: int) -> list[UrgeStep]:
    """Replace the urging schedule and the policy's yellow days, all or nothing."""
    days = [step.days for step in steps]
    if len(days) != len(set(days)):
        raise ValidationError(_("Two steps have the same number of days; each day once."))
    policy = SupervisionPolicy.current()
    policy.yellow_days = yellow_days
    policy.full_clean()
    rows = [
        UrgeStep(days=s.days, repeat_daily=s.repeat_daily, to_leadership=s.to_leadership)
        for s in steps
    ]
    for row in rows:
        row.full_clean(validate_unique=False)
    policy.save()
    UrgeStep.objects.all().delete()
    return UrgeStep.objects.bulk_create(rows)


@transaction.atomic
def webhook_save(*, webhook: Webhook) -> Webhook:
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()

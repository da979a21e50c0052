"""Monthly progress (月度进展) of the tasks reported monthly: written by the member that reports
for the task, submitted, and approved or returned by the secretariat like a submission."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jituan.models import Member, User

from ..models import MonthlyEntry, Submission, Task

__all__ = [
    "monthly_entries_save",
    "monthly_entry_review",
    "monthly_reporter_ids",
    "monthly_tasks_of",
]

EDITABLE = (Submission.Status.DRAFT, Submission.Status.RETURNED)


def monthly_reporter_ids(task: Task) -> set[int]:
    """Who reports a monthly task: its lead, or each responsible member when it names none."""
    if task.lead_member_id:
        return {task.lead_member_id}
    return {member.pk for member in task.responsible_members.all()}


def monthly_tasks_of(plan, member: Member) -> list[Task]:
    tasks = plan.tasks.filter(reporting_frequency=Task.Frequency.MONTHLY).prefetch_related(
        "responsible_members"
    )
    return [task for task in tasks if member.pk in monthly_reporter_ids(task)]


def _check_month(plan, month: int, today: date) -> None:
    if not 1 <= month <= 12:
        raise ValidationError(_("A month is from 1 to 12."))
    if date(plan.year, month, 1) > today:
        raise ValidationError(
            _("%(year)s-%(month)02d has not begun; report a month once it is under way.")
            % {"year": plan.year, "month": month}
        )


@transaction.atomic
def monthly_entries_save(
    *, plan, member: Member, month: int, texts: dict[int, str], user: User, submit: bool
) -> list[MonthlyEntry]:
    """Save (and with submit, hand in) the member's month: texts maps each of its monthly
    tasks to the progress typed. Nothing is written unless every row is acceptable."""
    _check_month(plan, month, timezone.localdate())
    tasks = {task.pk: task for task in monthly_tasks_of(plan, member)}
    unknown = set(texts) - set(tasks)
    if unknown:
        raise ValidationError(_("One of the tasks is not one your member reports monthly."))
    stored = {
        entry.task_id: entry
        for entry in MonthlyEntry.objects.select_for_update().filter(
            task__in=tasks.values(), member=member, month=month
        )
    }
    errors, saved = {}, []
    for task_id, task in tasks.items():
        entry = stored.get(task_id) or MonthlyEntry(task=task, member=member, month=month)
        text = (texts.get(task_id) or "").strip()
        if entry.status not in EDITABLE:
            if text and text != entry.progress:
                errors[task_id] = _("Already handed in; it can be changed once it is returned.")
            continue
        entry.progress = text
        if submit:
            if not text:
                errors[task_id] = _("Write this month's progress before handing it in.")
                continue
            entry.status = Submission.Status.SUBMITTED
            entry.submitted_by, entry.submitted_at = user, timezone.now()
        try:
            entry.full_clean()
        except ValidationError as error:
            errors[task_id] = " ".join(error.messages)
            continue
        saved.append(entry)
    if errors:
        raise ValidationError({f"task-{task_id}": message for task_id, message in errors.items()})
    for entry in saved:
        entry.save()
    return saved


@transaction.atomic
def monthly_entry_review(
    *, entry: MonthlyEntry, approve: bool, comment: str, user: User
) -> MonthlyEntry:
    entry = MonthlyEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Only a handed-in month can be reviewed."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError(_("Say what to fix when returning it."))
    entry.status = Submission.Status.APPROVED if approve else Submission.Status.RETURNED
    entry.review_comment = comment
    entry.reviewed_by, entry.reviewed_at = user, timezone.now()
    entry.full_clean()
    entry.save()
    return entry

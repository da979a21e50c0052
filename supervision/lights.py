"""The traffic light (红黄绿灯) of a task for one responsible member: one rule, from the milestone
and deadline calendar and the member's reports, computed by a daily job and stored with its
history (services.lights_compute).

- green: done (an approved report says so), or on track with no deadline near;
- yellow: the next milestone's report or the task's deadline is within the policy's days and
  nothing is reported yet, or the member's latest approved report says 滞后 (behind);
- red: a quarter's report is overdue (its due date passed with nothing submitted), or the task's
  own deadline passed without a report of completion."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from targets.deadlines import schedules_for
from targets.models import Plan, Submission, Task, TaskReport

from .models import Light

REPORTED = (Submission.Status.SUBMITTED, Submission.Status.APPROVED)


@dataclass(frozen=True)
class Verdict:
    light: str
    reason: str
    due_on: date | None


@dataclass(frozen=True)
class Report:
    quarter: int
    submission_status: str
    status: str  # the task report's: done / on_track / behind / ""
    behind_reason: str


def verdict(
    *,
    task: Task,
    milestone_quarters: set[int],
    due_dates: dict[int, date],
    reports: dict[int, Report],
    today: date,
    yellow_days: int,
) -> Verdict:
    """The light of one task for one member. reports: the member's report of the task per
    quarter; due_dates: each quarter's report due date."""
    quarters = sorted(milestone_quarters or due_dates)
    approved = [r for q, r in sorted(reports.items()) if r.submission_status == "approved"]
    if any(report.status == TaskReport.Status.DONE for report in approved):
        return Verdict(Light.GREEN, _("Task done"), None)

    def reported(quarter: int) -> bool:
        report = reports.get(quarter)
        return report is not None and report.submission_status in REPORTED

    overdue = [q for q in quarters if due_dates[q] < today and not reported(q)]
    if overdue:
        due = due_dates[overdue[0]]
        return Verdict(
            Light.RED,
            # Kept in the history as written the day it turned red: no count of days late,
            # which a later report would print stale (pages show how long it has been red).
            _("Quarter %(q)s report overdue (due %(date)s)") % {"q": overdue[0], "date": _day(due)},
            due,
        )
    if task.deadline and task.deadline < today:
        return Verdict(
            Light.RED,
            _("Deadline %(date)s passed without a report of completion")
            % {"date": _day(task.deadline)},
            task.deadline,
        )
    upcoming = [q for q in quarters if due_dates[q] >= today and not reported(q)]
    next_due = due_dates[upcoming[0]] if upcoming else None
    if approved and approved[-1].status == TaskReport.Status.BEHIND:
        reason = approved[-1].behind_reason.strip() or _("no reason given")
        return Verdict(
            Light.YELLOW,
            _("Reported behind in quarter %(q)s: %(reason)s")
            % {"q": approved[-1].quarter, "reason": reason[:200]},
            next_due or task.deadline,
        )
    if next_due and (next_due - today).days <= yellow_days:
        return Verdict(
            Light.YELLOW,
            _("Quarter %(q)s report due %(date)s, in %(days)s days, not yet submitted")
            % {"q": upcoming[0], "date": _day(next_due), "days": (next_due - today).days},
            next_due,
        )
    if task.deadline and (task.deadline - today).days <= yellow_days:
        return Verdict(
            Light.YELLOW,
            _("Deadline %(date)s in %(days)s days")
            % {
                "date": _day(task.deadline),
                "days": (task.deadline - today).days,
            },
            task.deadline,
        )
    return Verdict(Light.GREEN, _("Progressing as planned"), next_due or task.deadline)


def plan_verdicts(plan: Plan, today: date, yellow_days: int) -> dict[tuple[int, int], Verdict]:
    """(task id, member id) → the light, for every task of the plan and each of its
    responsible members."""
    due_dates = {q: schedule.due_on for q, schedule in schedules_for(plan).items()}
    milestones: dict[int, set[int]] = defaultdict(set)
    for task_id, quarter in plan.tasks.values_list("pk", "milestones__quarter"):
        if quarter:
            milestones[task_id].add(quarter)
    reports: dict[tuple[int, int], dict[int, Report]] = defaultdict(dict)
    rows = TaskReport.objects.filter(submission__plan=plan).values_list(
        "task_id",
        "submission__member_id",
        "submission__quarter",
        "submission__status",
        "submission__first_submitted_at",
        "submission__reviewed_at",
        "status",
        "behind_reason",
    )
    for task_id, member_id, quarter, current, submitted_at, reviewed_at, status, reason in rows:
        submission_status = _status_on(current, submitted_at, reviewed_at, today)
        reports[(task_id, member_id)][quarter] = Report(quarter, submission_status, status, reason)
    result = {}
    tasks = plan.tasks.prefetch_related("responsible_members")
    for task in tasks:
        for member in task.responsible_members.all():
            result[(task.pk, member.pk)] = verdict(
                task=task,
                milestone_quarters=milestones[task.pk],
                due_dates=due_dates,
                reports=reports[(task.pk, member.pk)],
                today=today,
                yellow_days=yellow_days,
            )
    return result


def _status_on(current: str, submitted_at, reviewed_at, today: date) -> str:
    """A submission's status as it was at the end of `today`, so that lights worked out for a
    past day (the demo's replay of a year) see only what was in by then."""
    if submitted_at is None or timezone.localdate(submitted_at) > today:
        return Submission.Status.DRAFT
    if current == Submission.Status.APPROVED and (
        reviewed_at is None or timezone.localdate(reviewed_at) > today
    ):
        return Submission.Status.SUBMITTED
    return current


def _day(value: date) -> str:
    return f"{value:%Y-%m-%d}"

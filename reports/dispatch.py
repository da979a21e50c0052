"""The monthly dispatch report (月调度通报): what the council reads about the year each month.

A report speaks for its month and reads only what was known by its data cut-off (the month's
end plus JITUAN_DISPATCH_CUTOFF_DAYS, or the moment it was asked for if that is earlier): the
submissions approved by then, the registers as recorded by then, and task statuses judged on the
report's day. The cut-off is stored with the report, so rendering it again gives the same figures
whatever was approved since. Gathered in a fixed number of queries, whatever the number of
members or tasks."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from jituan.models import Member
from supervision.selectors import instructions_on, lights_on
from targets.board import board_rows, members_reporting_on
from targets.figures import Mark, TaskStatus, Timeliness, expected_completion, mark, task_status
from targets.models import (
    Indicator,
    Milestone,
    MonthlyEntry,
    Plan,
    Submission,
    Task,
    TaskReport,
)
from targets.selectors import IndicatorProgress, plan_progress

NAMES_SHOWN = 8


def names_label(names: list[str]) -> str:
    """ "甲、乙、丙", or for a long list "甲、乙 … 等 40 个单位" (a task of the whole group
    would otherwise fill pages with school names)."""
    if len(names) <= NAMES_SHOWN:
        return "、".join(names)
    return f"{'、'.join(names[:NAMES_SHOWN])}等 {len(names)} 个单位"


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def dispatch_cutoff(year: int, month: int, now: datetime | None = None) -> datetime:
    """The data cut-off of a month's report: the end of the configured day after the month
    (the 5th of the next month by default), or now if that is earlier."""
    last_day = month_end(year, month) + timedelta(days=settings.JITUAN_DISPATCH_CUTOFF_DAYS)
    cutoff = timezone.make_aware(datetime.combine(last_day, time.max))
    return min(cutoff, now or timezone.now())


def report_date(year: int, month: int, as_of: datetime) -> date:
    """The day the report speaks for: the month's last day, or the as-of day within the month."""
    return min(month_end(year, month), timezone.localdate(as_of))


@dataclass
class TaskLine:
    task: Task
    members: list[str]
    milestone: str
    progress: list[tuple[str, str]]  # (member short name, latest approved progress)
    status: str
    behind_reasons: list[str] = field(default_factory=list)
    # A task reported monthly: its month's approved progress (member short name, text).
    month_progress: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label

    @property
    def members_label(self) -> str:
        return names_label(self.members)


@dataclass
class IndicatorLine:
    progress: IndicatorProgress
    expected: Decimal

    @property
    def indicator(self) -> Indicator:
        return self.progress.indicator

    @property
    def target(self) -> Decimal:
        return self.progress.target

    @property
    def actual(self) -> Decimal | None:
        return self.progress.actual.group

    @property
    def completion(self) -> Decimal | None:
        return self.progress.completion

    @property
    def target_display(self) -> str:
        return self.indicator.display(self.target)

    @property
    def mark(self) -> str:
        return mark(self.completion, self.expected)

    @property
    def mark_label(self) -> str:
        return Mark(self.mark).label

    @property
    def is_behind(self) -> bool:
        return self.mark == Mark.BEHIND


@dataclass
class MemberLine:
    member: Member
    on_time: int = 0
    late: int = 0
    missing: int = 0
    missing_quarters: list[int] = field(default_factory=list)
    # how the member's own tasks stand on the report's day: status -> count
    task_statuses: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(TaskStatus.values, 0)
    )

    @property
    def label(self) -> str:
        return self.member.short_name or self.member.name

    @property
    def task_count(self) -> int:
        return sum(self.task_statuses.values())


@dataclass
class Dispatch:
    plan: Plan
    year: int
    month: int
    quarter: int
    on: date
    as_of: datetime
    tasks: list[TaskLine]
    indicators: list[IndicatorLine]
    members: list[MemberLine]
    # The supervision lights as they stood on the report's date (their history), reds first.
    lights: list = field(default_factory=list)
    # Leaders' instructions given by the cut-off, with the members' answers as they stood then.
    instructions: list = field(default_factory=list)

    @property
    def light_counts(self) -> dict[str, int]:
        counts = {"red": 0, "yellow": 0, "green": 0}
        for change in self.lights:
            counts[change.light] += 1
        return counts

    @property
    def red_lights(self) -> list:
        return [change for change in self.lights if change.light == "red"]

    @property
    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(TaskStatus.values, 0)
        for line in self.tasks:
            counts[line.status] += 1
        return counts

    @property
    def overdue_tasks(self) -> list[TaskLine]:
        return [
            line
            for line in self.tasks
            if line.status != TaskStatus.DONE
            and line.task.deadline
            and line.task.deadline < self.on
        ]

    @property
    def missing_submissions(self) -> list[MemberLine]:
        return [line for line in self.members if line.missing]


class NoPlan(Exception):
    """There is no plan for the year asked for."""


def dispatch_report(year: int, month: int, as_of: datetime | None = None) -> Dispatch:
    """The report of a month as known at as_of (by default its cut-off as of now)."""
    as_of = as_of or dispatch_cutoff(year, month)
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        raise NoPlan(year)
    quarter = quarter_of(month)
    on = report_date(year, month, as_of)
    reports = _latest_reports(plan, quarter, as_of)
    tasks = _task_lines(plan, quarter, on, reports)
    _add_month_progress(tasks, plan, month, as_of)
    return Dispatch(
        plan=plan,
        year=year,
        month=month,
        quarter=quarter,
        on=on,
        as_of=as_of,
        tasks=tasks,
        indicators=_indicator_lines(plan, on, as_of),
        members=_member_lines(plan, on, as_of, tasks, reports),
        lights=lights_on(plan, on),
        instructions=instructions_on(plan, as_of),
    )


def _latest_reports(plan: Plan, quarter: int, as_of: datetime) -> dict[int, dict[int, tuple]]:
    """task -> member -> (name, status, progress, reason) of the member's latest report on the
    task approved by as_of, up to the report's quarter."""
    reports = (
        TaskReport.objects.filter(
            submission__plan=plan,
            submission__status=Submission.Status.APPROVED,
            submission__reviewed_at__lte=as_of,
            submission__quarter__lte=quarter,
        )
        .order_by("submission__quarter")
        .values_list(
            "task_id",
            "submission__member_id",
            "submission__member__short_name",
            "submission__member__name",
            "status",
            "progress",
            "behind_reason",
        )
    )
    latest: dict[int, dict[int, tuple]] = {}
    for task_id, member_id, short_name, name, status, progress, reason in reports:
        latest.setdefault(task_id, {})[member_id] = (short_name or name, status, progress, reason)
    return latest


def _task_lines(plan: Plan, quarter: int, on: date, latest: dict) -> list[TaskLine]:
    tasks = plan.tasks.order_by("position", "pk").prefetch_related(
        Prefetch("responsible_members", queryset=Member.objects.only("pk", "name", "short_name")),
        Prefetch("milestones", queryset=Milestone.objects.filter(quarter=quarter)),
    )
    lines = []
    for task in tasks:
        by_member = latest.get(task.pk, {})
        responsible = list(task.responsible_members.all())
        milestones = list(task.milestones.all())
        lines.append(
            TaskLine(
                task=task,
                members=[m.short_name or m.name for m in responsible],
                milestone=milestones[0].planned if milestones else "",
                progress=_grouped_progress(by_member.values()),
                status=task_status(
                    {m: v[1] for m, v in by_member.items()},
                    [m.pk for m in responsible],
                    task.deadline,
                    on,
                ),
                behind_reasons=[f"{name}：{r}" for name, s, _t, r in by_member.values() if r],
            )
        )
    return lines


def _add_month_progress(lines: list[TaskLine], plan: Plan, month: int, as_of: datetime) -> None:
    """The month's approved entries of the tasks reported monthly (approved by the cut-off)."""
    entries = MonthlyEntry.objects.filter(
        task__plan=plan,
        month=month,
        status=Submission.Status.APPROVED,
        reviewed_at__lte=as_of,
    ).values_list("task_id", "member__short_name", "member__name", "progress")
    by_task: dict[int, list[tuple[str, str]]] = {}
    for task_id, short_name, name, progress in entries.order_by("member__name"):
        by_task.setdefault(task_id, []).append((short_name or name, progress))
    for line in lines:
        line.month_progress = by_task.get(line.task.pk, [])


def _grouped_progress(reports) -> list[tuple[str, str]]:
    """Members reporting the same words share one line: "安庆工校、安庆技院：…"."""
    names_by_text: dict[str, list[str]] = {}
    for name, _status, text, _reason in reports:
        if text.strip():
            names_by_text.setdefault(text.strip(), []).append(name)
    return [(names_label(names), text) for text, names in names_by_text.items()]


def _indicator_lines(plan: Plan, on: date, as_of: datetime) -> list[IndicatorLine]:
    indicators = plan.indicators.select_related("plan").prefetch_related("trajectory")
    return [
        IndicatorLine(progress, expected_completion(progress.indicator, plan.year, on))
        for progress in plan_progress(indicators.order_by("position", "pk"), as_of=as_of)
    ]


def _member_lines(
    plan: Plan, on: date, as_of: datetime, tasks: list[TaskLine], reports: dict
) -> list[MemberLine]:
    members = members_reporting_on(plan, Member.objects.all())
    responsible: dict[int, list[TaskLine]] = {}
    for line in tasks:
        for member in line.task.responsible_members.all():
            responsible.setdefault(member.pk, []).append(line)
    lines = []
    for row in board_rows(plan, members, on):
        line = MemberLine(row.member)
        for cell in row.cells:
            code = cell.timeliness(as_of)
            if code == Timeliness.ON_TIME:
                line.on_time += 1
            elif code == Timeliness.LATE:
                line.late += 1
            elif code == Timeliness.MISSING:
                line.missing += 1
                line.missing_quarters.append(cell.quarter)
        member_id = row.member.pk
        for task in (task_line.task for task_line in responsible.get(member_id, [])):
            own = reports.get(task.pk, {}).get(member_id)
            status = task_status({member_id: own[1] if own else ""}, [member_id], task.deadline, on)
            line.task_statuses[status] += 1
        lines.append(line)
    return lines

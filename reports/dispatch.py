"""The monthly dispatch report (月调度通报): what the council reads about the year each month.

Everything is gathered from approved submissions reviewed up to the report's as-of time (so a
report can be rendered again from the same data) in a fixed number of queries, whatever the
number of members or tasks."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from jituan.models import Member
from targets.board import board_rows, members_reporting_on
from targets.models import Indicator, Milestone, Plan, Submission, Task, TaskReport
from targets.selectors import indicator_progress

DONE, ON_TRACK, BEHIND, MISSING = "done", "on_track", "behind", "missing"
STATUS_LABELS = {DONE: "完成", ON_TRACK: "正常", BEHIND: "滞后", MISSING: "未报"}


NAMES_SHOWN = 8


def names_label(names: list[str]) -> str:
    """ "甲、乙、丙", or for a long list "甲、乙 … 等 40 个单位" (a task of the whole group
    would otherwise fill pages with school names)."""
    if len(names) <= NAMES_SHOWN:
        return "、".join(names)
    return f"{'、'.join(names[:NAMES_SHOWN])}等 {len(names)} 个单位"


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def report_date(year: int, month: int, as_of: datetime) -> date:
    """The day the report speaks for: the month's last day, or the as-of day within the month."""
    month_end = date(year, month, calendar.monthrange(year, month)[1])
    return min(month_end, timezone.localdate(as_of))


def task_status(latest: dict[int, str], responsible: list[int], deadline: date | None, on: date):
    """完成 / 正常 / 滞后 / 未报 for a task, from each member's latest approved status.

    latest: member id -> status of that member's latest approved report ("" if it gave none).
    Not reported: nobody concerned has an approved report yet. Done: every responsible member
    (or, for the secretariat's own tasks, everyone who reported) says done. Behind: someone says
    behind, or the task's deadline has passed without it being done. Otherwise on track."""
    concerned = responsible or list(latest)
    statuses = [latest[m] for m in concerned if latest.get(m)]
    if not statuses:
        return MISSING
    if len(statuses) == len(concerned) and all(s == DONE for s in statuses):
        return DONE
    if BEHIND in statuses or (deadline is not None and deadline < on):
        return BEHIND
    return ON_TRACK


@dataclass
class TaskLine:
    task: Task
    members: list[str]
    milestone: str
    progress: list[tuple[str, str]]  # (member short name, latest approved progress)
    status: str
    behind_reasons: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def members_label(self) -> str:
        return names_label(self.members)


@dataclass
class IndicatorLine:
    indicator: Indicator
    actual: Decimal | None
    completion: Decimal | None

    @property
    def is_behind(self) -> bool:
        return self.completion is not None and self.completion < 100


@dataclass
class MemberLine:
    member: Member
    on_time: int = 0
    late: int = 0
    missing: int = 0
    missing_quarters: list[int] = field(default_factory=list)


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

    @property
    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for line in self.tasks:
            counts[line.status] += 1
        return counts

    @property
    def overdue_tasks(self) -> list[TaskLine]:
        return [
            line
            for line in self.tasks
            if line.status != DONE and line.task.deadline and line.task.deadline < self.on
        ]

    @property
    def missing_submissions(self) -> list[MemberLine]:
        return [line for line in self.members if line.missing]


class NoPlan(Exception):
    """There is no plan for the year asked for."""


def dispatch_report(year: int, month: int, as_of: datetime | None = None) -> Dispatch:
    as_of = as_of or timezone.now()
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        raise NoPlan(year)
    quarter = quarter_of(month)
    on = report_date(year, month, as_of)
    return Dispatch(
        plan=plan,
        year=year,
        month=month,
        quarter=quarter,
        on=on,
        as_of=as_of,
        tasks=_task_lines(plan, quarter, on, as_of),
        indicators=_indicator_lines(plan),
        members=_member_lines(plan, on, as_of),
    )


def _task_lines(plan: Plan, quarter: int, on: date, as_of: datetime) -> list[TaskLine]:
    tasks = plan.tasks.order_by("position", "pk").prefetch_related(
        Prefetch("responsible_members", queryset=Member.objects.only("pk", "name", "short_name")),
        Prefetch("milestones", queryset=Milestone.objects.filter(quarter=quarter)),
    )
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


def _grouped_progress(reports) -> list[tuple[str, str]]:
    """Members reporting the same words share one line: "安庆工校、安庆技院：…"."""
    names_by_text: dict[str, list[str]] = {}
    for name, _status, text, _reason in reports:
        if text.strip():
            names_by_text.setdefault(text.strip(), []).append(name)
    return [(names_label(names), text) for text, names in names_by_text.items()]


def _indicator_lines(plan: Plan) -> list[IndicatorLine]:
    lines = []
    for indicator in plan.indicators.order_by("position", "pk"):
        progress = indicator_progress(indicator)
        lines.append(IndicatorLine(indicator, progress.actual.group, progress.completion))
    return lines


def _member_lines(plan: Plan, on: date, as_of: datetime) -> list[MemberLine]:
    members = members_reporting_on(plan, Member.objects.all())
    lines = []
    for row in board_rows(plan, members, on):
        line = MemberLine(row.member)
        for cell in row.cells:
            if not cell.deadline.today > cell.deadline.due_on:
                continue  # not due yet on the report's day
            submitted = cell.submission and cell.submission.submitted_at
            if submitted and cell.submission.submitted_at <= as_of and cell.code != "missing":
                if cell.is_late:
                    line.late += 1
                else:
                    line.on_time += 1
            else:
                line.missing += 1
                line.missing_quarters.append(cell.quarter)
        lines.append(line)
    return lines

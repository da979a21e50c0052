"""What members reported on a task and on the plan's indicators, cut to what the user may see.

Task.latest_progress joins every member's approved text (the export's 最新进展), and a plan's
indicator figures add up the whole group: a liaison reads neither, only their own member's
lines and figures, read here from the approved reports themselves."""

from decimal import Decimal
from typing import NamedTuple

from jituan.models import Member, User
from jituan.selectors import members_for, scope_to_member

from . import figures
from .models import Indicator, Submission, Task, TaskReport
from .selectors import IndicatorProgress


class MemberProgress(NamedTuple):
    member: Member
    text: str
    status: str  # a TaskReport.Status, or "" when the member gave none
    quarter: int

    def get_status_display(self) -> str:
        return TaskReport.Status(self.status).label if self.status else ""


def approved_progress(**filters):
    """Approved task reports with some progress text, earliest quarter first: keyed by task or
    member, the last one read is each one's latest."""
    reports = TaskReport.objects.filter(submission__status=Submission.Status.APPROVED, **filters)
    return reports.exclude(progress="").order_by("submission__quarter", "pk")


def member_progress_by_task(plan, member_id: int) -> dict[int, str]:
    """{task id: the member's latest approved progress} over the plan's tasks."""
    reports = approved_progress(task__plan=plan, submission__member_id=member_id)
    return dict(reports.values_list("task_id", "progress"))


def task_progress_for(user: User, task: Task) -> list[MemberProgress]:
    """Each member's latest approved progress on the task, in the group's order: a liaison their
    own member's only, other roles every member's."""
    reports = scope_to_member(
        approved_progress(task=task).select_related("submission"),
        user,
        member_field="submission__member",
    )
    latest = {report.submission.member_id: report for report in reports}
    members = members_for(user).filter(pk__in=latest).in_group_order()
    return [
        MemberProgress(
            member, latest[member.pk].progress, latest[member.pk].status, _quarter(latest, member)
        )
        for member in members
    ]


def _quarter(latest: dict[int, TaskReport], member: Member) -> int:
    return latest[member.pk].submission.quarter


class MemberFigures(NamedTuple):
    """One indicator's target, actual and completion for one member."""

    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None
    completion: Decimal | None

    @property
    def target_display(self) -> str:
        return self.indicator.display(self.target)


def member_figures(progress: list[IndicatorProgress], member: Member) -> list[MemberFigures]:
    """The plan's indicators as one member sees them: its own target, actual and completion,
    never the group's figures or the other members' allocations."""
    rows = []
    for item in progress:
        target = item.member_target(member.pk)
        actual = item.actual.per_member.get(member.pk)
        rows.append(
            MemberFigures(item.indicator, target, actual, figures.completion(actual, target))
        )
    return rows

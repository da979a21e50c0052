"""The completeness board: every member × quarter of a plan, with one state each, in a fixed
number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from jituan.models import Member

from .deadlines import DeadlineState, deadline_state, grants_for, schedules_for
from .models import Plan, Submission


@dataclass
class BoardCell:
    quarter: int
    deadline: DeadlineState
    submission: Submission | None

    @property
    def code(self) -> str:
        """approved / submitted / returned / late / missing / open (not due yet) / draft."""
        if self.submission and self.submission.status != Submission.Status.DRAFT:
            return self.submission.status
        if self.deadline.code in ("not_started", "open", "due_soon"):
            return "draft" if self.submission else "open"
        return "missing"

    @property
    def is_late(self) -> bool:
        return bool(self.submission and self.submission.is_late)


@dataclass
class BoardRow:
    member: Member
    cells: list[BoardCell] = field(default_factory=list)

    @property
    def on_time_rate(self) -> int | None:
        """Share of the quarters already due that were submitted on time, in %."""
        due = [c for c in self.cells if c.deadline.today > c.deadline.due_on]
        if not due:
            return None
        on_time = [
            c for c in due if c.code in ("submitted", "approved", "returned") and not c.is_late
        ]
        return round(100 * len(on_time) / len(due))


def board_rows(plan: Plan, members, today: date) -> list[BoardRow]:
    schedules = schedules_for(plan)
    grants = grants_for(plan, today)
    submissions = {
        (s.member_id, s.quarter): s
        for s in Submission.objects.filter(plan=plan, member__in=members)
    }
    rows = []
    for member in members:
        row = BoardRow(member)
        for quarter, schedule in schedules.items():
            state = deadline_state(
                schedule=schedule, today=today, reopened_until=grants.get((member.pk, quarter))
            )
            row.cells.append(BoardCell(quarter, state, submissions.get((member.pk, quarter))))
        rows.append(row)
    return rows


def members_reporting_on(plan: Plan, members):
    """Members with a task or an allocation in the plan: the ones who owe submissions."""
    concerned = Q(tasks__plan=plan) | Q(allocations__indicator__plan=plan)
    return members.filter(concerned).distinct().in_group_order()

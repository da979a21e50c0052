"""Reads of plans, tasks, indicators and allocations, cut to what the user may see."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from jituan.models import User
from jituan.roles import Role
from jituan.selectors import scope_to_member

from .models import (
    Allocation,
    Evidence,
    ImportBatch,
    Indicator,
    Plan,
    ReopenRequest,
    Submission,
    Task,
)
from .sources import Actual, completion, indicator_actual


def _liaison_member(user: User) -> int | None:
    return user.member_id if user.is_authenticated and user.role == Role.LIAISON else None


def plans_for(user: User) -> QuerySet[Plan]:
    """Every role reads plan headers; their tasks and indicators are cut by the selectors below."""
    has_role = user.is_authenticated and (user.is_superuser or user.role is not None)
    return Plan.objects.all() if has_role else Plan.objects.none()


def plan_get_for(user: User, pk: int) -> Plan:
    return get_object_or_404(plans_for(user), pk=pk)


def tasks_for(user: User) -> QuerySet[Task]:
    tasks = Task.objects.select_related("plan")
    tasks = scope_to_member(tasks, user, member_field="responsible_members")
    return tasks.distinct() if _liaison_member(user) else tasks


def task_get_for(user: User, pk: int) -> Task:
    return get_object_or_404(tasks_for(user), pk=pk)


def indicators_for(user: User) -> QuerySet[Indicator]:
    indicators = Indicator.objects.select_related("plan", "task")
    member_id = _liaison_member(user)
    if member_id is not None:
        concerns = Q(allocations__member=member_id) | Q(task__responsible_members=member_id)
        return indicators.filter(concerns).distinct()
    return scope_to_member(indicators, user, member_field="allocations__member")


def indicator_get_for(user: User, pk: int) -> Indicator:
    return get_object_or_404(indicators_for(user), pk=pk)


def allocations_for(user: User) -> QuerySet[Allocation]:
    allocations = Allocation.objects.select_related("indicator__plan", "member")
    return scope_to_member(allocations, user)


def imports_for(user: User) -> QuerySet[ImportBatch]:
    if not user.has_perm("targets.add_importbatch"):
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("plan", "uploaded_by", "committed_by")


def import_get_for(user: User, pk: int) -> ImportBatch:
    return get_object_or_404(imports_for(user), pk=pk)


@dataclass
class AllocationTotal:
    indicator: Indicator
    allocated: Decimal
    count: int

    @property
    def difference(self) -> Decimal:
        return self.allocated - self.indicator.target

    @property
    def adds_up(self) -> bool:
        return self.difference == 0

    def as_dict(self):
        return {
            "indicator": self.indicator.name,
            "target": _plain(self.indicator.target),
            "allocated": _plain(self.allocated),
            "difference": _plain(self.difference),
            "adds_up": self.adds_up,
            "count": self.count,
        }


def allocation_sums(indicators, overrides: dict | None = None) -> list[AllocationTotal]:
    """What each indicator's allocations add up to; overrides {(indicator, member): target}
    replace stored values (to show the totals an import would give before it is committed)."""
    overrides = overrides or {}
    stored = {
        (a["indicator_id"], a["member_id"]): a["target"]
        for a in Allocation.objects.filter(indicator__in=indicators).values(
            "indicator_id", "member_id", "target"
        )
    }
    merged = {**stored, **overrides}
    totals = []
    for indicator in indicators:
        values = [v for (i, _m), v in merged.items() if i == indicator.pk]
        totals.append(AllocationTotal(indicator, sum(values, Decimal(0)), len(values)))
    return totals


def allocated_total(indicator: Indicator) -> Decimal:
    return indicator.allocations.aggregate(total=Sum("target"))["total"] or Decimal(0)


def _plain(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def submissions_for(user: User) -> QuerySet[Submission]:
    submissions = Submission.objects.select_related("plan", "member", "reviewed_by")
    return scope_to_member(submissions, user)


def submission_get_for(user: User, pk: int) -> Submission:
    return get_object_or_404(submissions_for(user), pk=pk)


def evidence_get_for(user: User, pk: int) -> Evidence:
    evidence = Evidence.objects.select_related("submission")
    return get_object_or_404(
        scope_to_member(evidence, user, member_field="submission__member"), pk=pk
    )


def reopen_requests_for(user: User) -> QuerySet[ReopenRequest]:
    return scope_to_member(ReopenRequest.objects.select_related("plan", "member"), user)


def approved_reports(plan: Plan):
    """What dashboards and reports read: approved submissions only, never drafts."""
    return Submission.objects.filter(plan=plan, status=Submission.Status.APPROVED)


@dataclass
class IndicatorProgress:
    """Target, actual and completion of an indicator, for the group and per member."""

    indicator: Indicator
    actual: "Actual"
    member_targets: dict[int, Decimal]

    @property
    def completion(self) -> Decimal | None:
        return completion(self.indicator, self.actual.group)

    def member_target(self, member_pk: int) -> Decimal | None:
        """A member's own allocation; for rates and growth without one, the group's target
        (every member is held to 30%), but never a share of an absolute total it was not given."""
        if member_pk in self.member_targets:
            return self.member_targets[member_pk]
        return None if self.indicator.is_allocatable else self.indicator.target

    def member_rows(self, members) -> list[dict]:
        rows = []
        for member in members:
            if member.pk not in self.member_targets and member.pk not in self.actual.per_member:
                continue
            target = self.member_target(member.pk)
            actual = self.actual.per_member.get(member.pk)
            rows.append(
                {
                    "member": member,
                    "target": target,
                    "actual": actual,
                    "completion": None
                    if target is None
                    else completion(self.indicator, actual, target),
                }
            )
        return rows


def indicator_progress(indicator: Indicator) -> IndicatorProgress:
    targets = dict(indicator.allocations.values_list("member_id", "target"))
    return IndicatorProgress(indicator, indicator_actual(indicator), targets)

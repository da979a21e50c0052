"""Reads of plans, tasks, indicators and allocations, cut to what the user may see."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum, prefetch_related_objects
from django.shortcuts import get_object_or_404

from jituan.history import records_as_of
from jituan.models import Member, User
from jituan.roles import Role
from jituan.selectors import scope_to_member

from . import figures
from .deadlines import schedules_for
from .models import (
    Allocation,
    CategoryTarget,
    Evidence,
    ImportBatch,
    Indicator,
    MonthlyEntry,
    Plan,
    ReopenRequest,
    Submission,
    Task,
    TaskReport,
)
from .sources import Actual, actuals_for


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


def assisting_notes_for(user: User, *, plan: Plan, quarter: int) -> dict[int, list[TaskReport]]:
    """task id -> the assisting members' notes for the quarter (their saved or submitted
    progress on a task another member leads), each report with its submission's member. A
    liaison reads the notes on the tasks its member leads, and only those."""
    tasks = tasks_for(user).filter(plan=plan, lead_member__isnull=False)
    member_id = _liaison_member(user)
    if member_id is not None:
        tasks = tasks.filter(lead_member=member_id)
    reports = (
        TaskReport.objects.filter(
            task__in=tasks.values("pk"),
            submission__plan=plan,
            submission__quarter=quarter,
            # an assisting member: responsible for the task, and not its lead
            task__responsible_members=F("submission__member"),
        )
        .exclude(submission__member=F("task__lead_member"))
        .exclude(progress="")
        .select_related("submission__member")
        .order_by("task_id", "submission__member__name")
    )
    notes: dict[int, list[TaskReport]] = {}
    for report in reports:
        notes.setdefault(report.task_id, []).append(report)
    return notes


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
    # The preview (up to the row limit's worth of JSON) is read only by the batch's own page.
    return ImportBatch.objects.select_related("plan", "uploaded_by", "committed_by").defer(
        "preview", "error"
    )


def import_get_for(user: User, pk: int, *, with_preview: bool = False) -> ImportBatch:
    batches = imports_for(user)
    if with_preview:
        batches = batches.defer(None)
    return get_object_or_404(batches, pk=pk)


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
    """Target, actual and completion of an indicator in its plan's year, for the group and per
    member, by the rules of targets.figures."""

    indicator: Indicator
    actual: Actual
    allocations: dict[int, Decimal]  # member -> its own target (allocation or category)

    @property
    def year(self) -> int:
        return self.indicator.plan.year

    @property
    def target(self) -> Decimal:
        return figures.year_target(self.indicator, self.year)

    @property
    def target_display(self) -> str:
        return self.indicator.display(self.target)

    @property
    def completion(self) -> Decimal | None:
        return figures.completion(self.actual.group, self.target)

    def member_target(self, member_pk: int) -> Decimal | None:
        return figures.member_target(self.indicator, member_pk, self.allocations, self.year)

    def member_rows(self, members) -> list[dict]:
        """The members with a target or a figure, each with its target, actual and completion."""
        rows = []
        for member in members:
            target = self.member_target(member.pk)
            actual = self.actual.per_member.get(member.pk)
            if member.pk not in self.allocations and actual is None:
                continue
            rows.append(
                {
                    "member": member,
                    "target": target,
                    "actual": actual,
                    "completion": figures.completion(actual, target),
                }
            )
        return rows


def member_targets(indicators, as_of: datetime | None = None) -> dict[int, dict[int, Decimal]]:
    """indicator -> member -> the member's own target, as recorded by as_of (None: now): its
    allocation, else (rates and growth) the target of its category. Members held to the year's
    target only are not listed (figures.member_target gives it)."""
    indicators = list(indicators)
    rows = (
        records_as_of(Allocation, as_of)
        .filter(indicator_id__in=[i.pk for i in indicators])
        .order_by()
        .values_list("indicator_id", "member_id", "target")
    )
    result: dict[int, dict[int, Decimal]] = {i.pk: {} for i in indicators}
    for indicator_id, member_id, target in rows:
        result[indicator_id][member_id] = target
    rules: dict[int, list] = {}
    shares = [i.pk for i in indicators if i.is_share]
    category_rows = (
        records_as_of(CategoryTarget, as_of)
        .filter(indicator_id__in=shares)
        .values_list("indicator_id", "kind", "location", "ownership", "target")
    )
    for indicator_id, kind, location, ownership, target in category_rows:
        given = {"kind": kind, "location": location, "ownership": ownership}
        criteria = {name: value for name, value in given.items() if value}
        rules.setdefault(indicator_id, []).append((criteria, target))
    if rules:
        members = list(Member.objects.active().only("pk", "kind", "location", "ownership"))
        for indicator_id, indicator_rules in rules.items():
            allocated = result[indicator_id]
            for member in members:
                if member.pk in allocated:
                    continue
                target = figures.category_target(indicator_rules, member)
                if target is not None:
                    allocated[member.pk] = target
    return result


def targets_of_member(indicators, member: Member) -> dict[int, Decimal | None]:
    """indicator -> the one member's target, by figures.member_target."""
    indicators = list(indicators)
    prefetch_related_objects(indicators, "plan", "trajectory")
    own = member_targets(indicators)
    return {i.pk: figures.member_target(i, member.pk, own[i.pk], i.plan.year) for i in indicators}


def plan_progress(indicators, *, as_of: datetime | None = None) -> list[IndicatorProgress]:
    """Every indicator's progress in its plan's year, as known at as_of: one query per source
    and one for the allocations, whatever the number of indicators."""
    indicators = list(indicators)
    actuals = actuals_for(((i, i.plan.year) for i in indicators), as_of=as_of)
    allocations = member_targets(indicators, as_of)
    return [
        IndicatorProgress(i, actuals[(i.pk, i.plan.year)], allocations[i.pk]) for i in indicators
    ]


def indicator_progress(indicator: Indicator, *, as_of: datetime | None = None) -> IndicatorProgress:
    return plan_progress([indicator], as_of=as_of)[0]


def plan_has_work(plan: Plan, today: date) -> bool:
    """The plan's work is under way: an approved submission, a quarter's report already due on
    its tasks, or a task past its deadline."""
    if approved_reports(plan).exists():
        return True
    if plan.tasks.exists():
        first_due = schedules_for(plan)[1].due_on
        if first_due <= today or plan.tasks.filter(deadline__lte=today).exists():
            return True
    return False


def plan_has_indicator_figures(plan: Plan) -> bool:
    indicators = plan.indicators.select_related("plan").prefetch_related("trajectory")
    return any(p.actual.group is not None for p in plan_progress(indicators))


def default_plan(plans, today: date) -> Plan | None:
    """The plan a screen opens on: the latest one, up to this year, whose work is under way;
    else the latest with an indicator figure (a plan of targets only, its registers filling);
    else the latest up to this year; else the latest. A plan just imported, still empty, never
    opens as "all on track"."""
    plans = sorted(plans, key=lambda p: -p.year)
    current = [p for p in plans if p.year <= today.year]
    for has_something in (lambda p: plan_has_work(p, today), plan_has_indicator_figures):
        for plan in current:
            if has_something(plan):
                return plan
    return (current or plans or [None])[0]


def monthly_entries_for(user: User) -> QuerySet[MonthlyEntry]:
    """Monthly progress: a liaison reads their own member's, everyone else all."""
    entries = MonthlyEntry.objects.select_related("task__plan", "member", "submitted_by")
    return scope_to_member(entries, user)


def monthly_entries_of_quarter(user: User, plan, member, quarter: int) -> dict[int, list]:
    """task → a member's monthly entries of the quarter's three months (the tasks it reports
    monthly), so that the quarter's form shows what was written each month."""
    months = range(3 * quarter - 2, 3 * quarter + 1)
    entries = monthly_entries_for(user).filter(task__plan=plan, member=member, month__in=months)
    found: dict[int, list[MonthlyEntry]] = {}
    for entry in entries.order_by("month"):
        found.setdefault(entry.task_id, []).append(entry)
    return found

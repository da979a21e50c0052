"""The leadership dashboard's figures: headline indicators with an on-track mark, the member ×
indicator heatmap, member × quarter completeness and the trends, for the members a user may see
(a liaison: their own member) cut by the filters.

Everything is aggregated in the database in a fixed number of queries, whatever the number of
members, tasks, submissions or years. Nothing is cached: an approval shows on the next request."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse

from assessment.notice import assessment_notice, confirmed_assessment
from jituan.models import Member, User
from jituan.selectors import members_for
from targets import figures as rules
from targets.board import CellState, board_rows, members_reporting_on
from targets.models import Allocation, Indicator, Plan, Submission, TaskReport
from targets.selectors import indicators_for, member_targets
from targets.sources import SOURCES, Actual, actuals_for

QUARTER_NUMBERS = (1, 2, 3, 4)


State = rules.Mark  # the dashboard's marks are the indicators' marks


@dataclass
class Scope:
    """Whose figures the dashboard shows: the plan of the year, and the members in view."""

    plan: Plan
    members: QuerySet[Member]  # role scope and filters; lazy, used as a subquery
    member_ids: set[int]  # only for a subset: the group needs no list
    is_subset: bool  # a liaison, or a kind/location filter: group figures are re-added
    today: date

    def restrict(self, actual: Actual) -> Actual:
        return actual.restricted_to(self.member_ids) if self.is_subset else actual


def dashboard_scope(user: User, plan: Plan, *, kind="", location="", today: date) -> Scope:
    members = members_for(user)
    if kind:
        members = members.filter(kind=kind)
    if location:
        members = members.filter(location=location)
    is_subset = bool(kind or location or user.is_liaison)
    member_ids = set(members.order_by().values_list("pk", flat=True)) if is_subset else set()
    return Scope(plan, members, member_ids, is_subset, today)


@dataclass
class Headline:
    indicator: Indicator
    target: Decimal | None
    actual: Actual
    expected: Decimal

    @property
    def completion(self) -> Decimal | None:
        return rules.completion(self.actual.group, self.target)

    @property
    def state(self) -> str:
        return rules.mark(self.completion, self.expected)

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def is_rate(self) -> bool:
        return self.indicator.kind != Indicator.Kind.ABSOLUTE

    def as_dict(self) -> dict:
        indicator = self.indicator
        return {
            "id": indicator.pk,
            "code": indicator.code,
            "name": indicator.name,
            "unit": "%" if self.is_rate else indicator.unit,
            "kind": indicator.kind,
            "target": _number(self.target),
            "actual": _number(self.actual.group),
            "completion": _number(self.completion),
            "expected": _number(self.expected),
            "state": self.state,
            "state_label": str(self.state_label),
        }


@dataclass
class PlanFigures:
    """The plan's indicators with their actuals and the members' targets, read once."""

    indicators: list[Indicator]
    actuals: dict[int, Actual]  # indicator -> actual, cut to the scope
    member_targets: dict[int, dict[int, Decimal]] = field(default_factory=dict)

    def member_target(self, indicator: Indicator, member_id: int) -> Decimal | None:
        allocations = self.member_targets.get(indicator.pk, {})
        return rules.member_target(indicator, member_id, allocations)

    def target_for(self, indicator: Indicator, scope: Scope) -> Decimal | None:
        """The group's target, or for a subset of members what their allocations add up to."""
        if not scope.is_subset or not indicator.is_allocatable:
            return rules.year_target(indicator)
        allocated = self.member_targets.get(indicator.pk)
        if not allocated:
            return None
        return sum((t for m, t in allocated.items() if m in scope.member_ids), Decimal(0))


def plan_indicators(user: User, plan: Plan) -> list[Indicator]:
    indicators = indicators_for(user).filter(plan=plan).prefetch_related("trajectory")
    return sorted(indicators.order_by(), key=lambda i: (i.position, i.pk))


def plan_figures(user: User, scope: Scope) -> PlanFigures:
    indicators = plan_indicators(user, scope.plan)
    actuals = actuals_for((i, scope.plan.year) for i in indicators)
    return PlanFigures(
        indicators,
        {i.pk: scope.restrict(actuals[(i.pk, scope.plan.year)]) for i in indicators},
        member_targets(indicators),
    )


def headlines(figures: PlanFigures, scope: Scope) -> list[Headline]:
    return [
        Headline(
            indicator,
            figures.target_for(indicator, scope),
            figures.actuals[indicator.pk],
            rules.expected_completion(indicator, scope.plan.year, scope.today),
        )
        for indicator in figures.indicators
    ]


class MemberRow(NamedTuple):
    """A member as the dashboard's rows need it (hundreds of them: no model instances)."""

    pk: int
    name: str
    short_name: str

    @property
    def label(self) -> str:
        return self.short_name or self.name


def reporting_members(scope: Scope) -> list[MemberRow]:
    """The members in view that owe the plan submissions: a task or an allocation in it."""
    members = members_reporting_on(scope.plan, scope.members)
    return [MemberRow(*row) for row in members.values_list("pk", "name", "short_name")]


def heatmap(figures: PlanFigures, members: list[MemberRow]) -> dict:
    """Completion of each member on each indicator it has a target and a figure for."""
    cells, shown = [], []
    member_ids = [member.pk for member in members]
    for indicator in figures.indicators:
        per_member = figures.actuals[indicator.pk].per_member
        column = []
        for y, member_id in enumerate(member_ids):
            value = per_member.get(member_id)
            if value is None:
                continue
            done = rules.completion(value, figures.member_target(indicator, member_id))
            if done is not None:
                column.append([len(shown), y, float(done)])
        if column:  # an indicator no member has a figure and a target for has no column
            shown.append(indicator)
            cells.extend(column)
    return {
        "indicators": [{"id": i.pk, "name": i.name, "url": _drill_url(i)} for i in shown],
        "members": [{"id": m.pk, "name": m.label} for m in members],
        "cells": cells,
    }


def completeness(scope: Scope, members: list[MemberRow]) -> dict:
    """Each member's state in each quarter (approved, submitted, late, missing …), and per
    quarter the share of members that reported on time among those already due."""
    rows = board_rows(scope.plan, members, scope.today)
    cells = []
    per_quarter: dict[int, Counter] = {q: Counter() for q in QUARTER_NUMBERS}
    timeliness: dict[int, list[str]] = {q: [] for q in QUARTER_NUMBERS}
    reported = (CellState.SUBMITTED, CellState.APPROVED)
    for y, row in enumerate(rows):
        for cell in row.cells:
            code = "late" if cell.is_late and cell.code in reported else str(cell.code)
            shown = cell.submission and cell.code != CellState.DRAFT
            cells.append([cell.quarter - 1, y, code, cell.submission.pk if shown else None])
            per_quarter[cell.quarter][code] += 1
            timeliness[cell.quarter].append(cell.timeliness())
    return {
        "members": [{"id": m.pk, "name": m.label} for m in members],
        "cells": cells,
        "quarters": [
            {
                "quarter": q,
                **per_quarter[q],
                "on_time_rate": rules.on_time_rate(timeliness[q]),
            }
            for q in QUARTER_NUMBERS
        ],
        "submission_url": reverse("targets:submission-detail", args=[0]).replace("/0/", "/{id}/"),
    }


def task_status_by_quarter(scope: Scope) -> list[dict]:
    """How many task reports were done, on track or behind, per quarter (approved only)."""
    reports = TaskReport.objects.filter(
        submission__plan=scope.plan, submission__status=Submission.Status.APPROVED
    )
    if scope.is_subset:
        reports = reports.filter(submission__member__in=scope.members.values("pk"))
    counts = (
        reports.exclude(status="")
        .values("status", quarter=F("submission__quarter"))
        .annotate(n=Count("*"))  # not Count("pk"): the index alone answers it
        .order_by()
    )
    by_quarter: dict[int, dict[str, int]] = {q: {} for q in QUARTER_NUMBERS}
    for row in counts:
        by_quarter[row["quarter"]][row["status"]] = row["n"]
    submissions = reverse("targets:submission-list")
    return [
        {
            "quarter": q,
            **{s: by_quarter[q].get(s, 0) for s in TaskReport.Status.values},
            "url": f"{submissions}?year={scope.plan.year}&quarter={q}",
        }
        for q in QUARTER_NUMBERS
    ]


def year_trends(user: User, scope: Scope, plan_indicators: list[Indicator]) -> list[dict]:
    """Each indicator across the years: the same code in other years' plans and the points of a
    multi-year trajectory, with the target and the actual of every year."""
    codes = [i.code for i in plan_indicators]
    related = (
        indicators_for(user)
        .filter(code__in=codes)
        .select_related("plan")
        .prefetch_related("trajectory")
        .order_by("plan__year")
    )
    by_code: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in related:
        by_code[indicator.code].append(indicator)
    wanted = {}  # (code, year) -> (indicator that year's figure comes from, target)
    for code, indicators in by_code.items():
        trajectory = {}
        for indicator in indicators:
            for point in indicator.trajectory.all():
                trajectory.setdefault(point.year, (indicator, point.target))
        for year, point in trajectory.items():
            wanted[(code, year)] = point
        for indicator in indicators:  # a plan of that very year wins over another's trajectory
            year = indicator.plan.year
            target = trajectory[year][1] if year in trajectory else indicator.target
            wanted[(code, year)] = (indicator, target)
    if scope.is_subset:
        wanted = _subset_targets(wanted, scope)
    actuals = actuals_for((indicator, year) for (_c, year), (indicator, _t) in wanted.items())
    trends = []
    for indicator in plan_indicators:
        points = sorted((year, v) for (code, year), v in wanted.items() if code == indicator.code)
        if len(points) < 2:
            continue
        trends.append(
            {
                "id": indicator.pk,
                "name": indicator.name,
                "unit": "%" if indicator.kind != Indicator.Kind.ABSOLUTE else indicator.unit,
                "points": [
                    {
                        "year": year,
                        "target": _number(target),
                        "actual": _number(scope.restrict(actuals[(source.pk, year)]).group),
                        "has_plan": source.plan.year == year,
                    }
                    for year, (source, target) in points
                ],
            }
        )
    # Indicators with actual figures in more years first: they say the most.
    trends.sort(key=lambda t: -sum(p["actual"] is not None for p in t["points"]))
    return trends


def _subset_targets(wanted: dict, scope: Scope) -> dict:
    """For some members only, an absolute target is what their allocations add up to, and
    unknown where the year's target was never split (or is only a trajectory point)."""
    indicators = {indicator.pk: indicator for indicator, _t in wanted.values()}
    in_scope = Q(member__in=scope.members.values("pk"))
    sums = {
        row["indicator_id"]: row["total"] or Decimal(0)
        for row in Allocation.objects.filter(indicator__in=list(indicators))
        .values("indicator_id")
        .annotate(total=Sum("target", filter=in_scope))
        .order_by()
    }
    result = {}
    for (code, year), (indicator, target) in wanted.items():
        if indicator.is_allocatable:
            split = indicator.plan.year == year and indicator.pk in sums
            target = sums[indicator.pk] if split else None
        result[(code, year)] = (indicator, target)
    return result


@dataclass
class DrillRow:
    member: Member
    target: Decimal | None
    actual: Decimal | None
    completion: Decimal | None
    state: str
    records_url: str

    @property
    def state_label(self):
        return State(self.state).label


def drill_rows(figures: PlanFigures, indicator: Indicator, scope: Scope, members) -> list:
    """The members behind one indicator, furthest behind first, each with a link to the
    register records or the approved submission its figure comes from."""
    actual = figures.actuals[indicator.pk]
    source = SOURCES.get(indicator.source)
    expected = rules.expected_completion(indicator, scope.plan.year, scope.today)
    rows = []
    for member in members:
        target = figures.member_target(indicator, member.pk)
        value = actual.per_member.get(member.pk)
        if target is None and value is None:
            continue
        done = rules.completion(value, target)
        if source:
            url = source.records_url(scope.plan.year, member.pk)
        elif member.pk in actual.submissions:
            url = reverse("targets:submission-detail", args=[actual.submissions[member.pk]])
        else:
            url = ""
        rows.append(DrillRow(member, target, value, done, rules.mark(done, expected), url))
    order = {State.BEHIND: 0, State.NO_DATA: 1, State.ON_TRACK: 2, State.REACHED: 3}
    rows.sort(key=lambda r: (order[r.state], r.completion if r.completion is not None else 0))
    return rows


def _drill_url(indicator: Indicator) -> str:
    return reverse("dashboard:indicator", args=[indicator.pk])


def _number(value) -> float | None:
    return None if value is None else float(value)


def assessment_ranking(user: User, year: int):
    """The year's confirmed annual assessment ranked within each member kind, cut to the members
    the user may see (a liaison: their own line only); None before it is confirmed."""
    if confirmed_assessment(year) is None:
        return None
    notice = assessment_notice(year)
    visible = set(members_for(user).values_list("pk", flat=True))
    groups = [
        replace(group, lines=[line for line in group.lines if line.member.pk in visible])
        for group in notice.groups
    ]
    return replace(notice, groups=[group for group in groups if group.lines])

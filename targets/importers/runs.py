"""One import run, shared by the upload screens, the Celery task and the management commands:
parse, compare, and (only when asked and only when there is no error at all) write."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Indicator, Plan
from . import allocation_sheet, task_sheet
from .preview import summarise
from .sheets import Problem, SheetRejected

Progress = Callable[[int, int | None], None]


@dataclass
class ImportRun:
    preview: dict
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.preview["problems"]


def rejected(problem: Problem) -> ImportRun:
    return ImportRun(summarise([], [problem]))


def run_task_import(
    *, path: Path, year: int, commit: bool, on_progress: Progress | None = None
) -> ImportRun:
    from ..services import plan_apply_tasks

    try:
        parsed = task_sheet.parse_task_sheet(path, on_progress=on_progress)
    except SheetRejected as error:
        return rejected(error.problem)
    plan = Plan.objects.filter(year=year).first()
    stored = {} if plan is None else _stored_tasks(plan)
    rows = task_sheet.compare_tasks(parsed, stored)
    extra = {"sheet": parsed.sheet, "title_lines": parsed.title_lines, "new_plan": plan is None}
    run = ImportRun(summarise(rows, parsed.problems, extra))
    if commit and run.ok:
        plan_apply_tasks(year=year, parsed=parsed, stored=stored, rows=rows)
        run.applied = True
    return run


def _stored_tasks(plan: Plan) -> dict:
    return {task.number: task for task in plan.tasks.prefetch_related("milestones")}


def run_allocation_import(
    *, path: Path, year: int, indicator: Indicator | None, commit: bool
) -> ImportRun:
    from ..services import plan_apply_allocations

    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        return rejected(Problem(_("There is no plan for %(year)s yet.") % {"year": year}))
    try:
        parsed = allocation_sheet.parse_allocation_sheet(path, plan=plan, indicator=indicator)
    except SheetRejected as error:
        return rejected(error.problem)
    rows = allocation_sheet.compare_allocations(parsed)
    run = ImportRun(summarise(rows, parsed.problems, {"sheet": parsed.sheet}))
    if commit and run.ok:
        with transaction.atomic():
            plan_apply_allocations(parsed=parsed, rows=rows)
        run.applied = True
    run.preview["totals"] = allocation_totals(plan, parsed, rows)
    return run


def allocation_totals(plan: Plan, parsed, rows) -> list[dict]:
    """Per indicator: its target, what the allocations add up to once this sheet is applied,
    and the difference."""
    from ..selectors import allocation_sums

    sheet_values = {
        (item.indicator.pk, item.member.pk): item.target
        for item in parsed.allocations
        if not item.errors
    }
    indicator_ids = {indicator_id for indicator_id, _member in sheet_values}
    return [
        total.as_dict()
        for total in allocation_sums(plan.indicators.filter(pk__in=indicator_ids), sheet_values)
    ]


# Import kinds other apps add (the enrollment quota table): kind -> run(path=, year=, commit=,
# indicator=, on_progress=). Registered when those apps load; targets cannot import them.
EXTRA_RUNNERS: dict = {}


def run_import(
    *,
    kind: str,
    path: Path,
    year: int,
    commit: bool,
    indicator=None,
    on_progress: Progress | None = None,
) -> ImportRun:
    if kind == "tasks":
        return run_task_import(path=path, year=year, commit=commit, on_progress=on_progress)
    if kind == "allocations":
        return run_allocation_import(path=path, year=year, indicator=indicator, commit=commit)
    return EXTRA_RUNNERS[kind](path=path, year=year, commit=commit, indicator=indicator)

"""One import's preview, shared by the upload screens, the Celery task and the management
commands: parse the sheet and compare it with what is stored. Nothing here writes: the services
(`targets.services.plan_import_commit`) apply a previewed run, exactly as it was compared."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ..models import Indicator, Plan
from ..selectors import allocation_sums
from . import allocation_sheet, task_sheet
from .preview import summarise
from .sheets import Problem, SheetRejected

Progress = Callable[[int, int | None], None]


@dataclass
class ImportRun:
    preview: dict
    applied: bool = False
    # What the preview was made from, for the service that applies it; never serialised.
    parsed: Any = None
    rows: list = field(default_factory=list)
    stored: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.preview["problems"]


def rejected(problem: Problem) -> ImportRun:
    return ImportRun(summarise([], [problem]))


def task_import_preview(*, path: Path, year: int, on_progress: Progress | None = None) -> ImportRun:
    try:
        parsed = task_sheet.parse_task_sheet(path, on_progress=on_progress)
    except SheetRejected as error:
        return rejected(error.problem)
    plan = Plan.objects.filter(year=year).first()
    stored = {} if plan is None else _stored_tasks(plan)
    rows = task_sheet.compare_tasks(parsed, stored)
    extra = {
        "sheet": parsed.sheet,
        "skipped_sheets": parsed.skipped_sheets,
        "title_lines": parsed.title_lines,
        "new_plan": plan is None,
        "title_year": task_sheet.title_year(parsed.title_lines, year),
    }
    # The first few named, the rest counted: a preview stays small whatever the sheet.
    without = _without_members(parsed, stored)
    extra["without_members"], extra["without_members_total"] = without[:20], len(without)
    return ImportRun(
        summarise(rows, parsed.problems, extra), parsed=parsed, rows=rows, stored=stored
    )


def _stored_tasks(plan: Plan) -> dict:
    tasks = plan.tasks.select_related("lead_member").prefetch_related(
        "milestones", "responsible_members"
    )
    return {task.number: task for task in tasks}


def _without_members(parsed, stored: dict) -> list[str]:
    """The sheet's tasks that will have no responsible member once imported (their 牵头单位 and
    协办单位 cells are blank, or the sheet has no such columns): nobody can report on them until
    one is named on the task's page."""
    return [
        f"{task.number} {task.title}"
        for task in parsed.tasks
        if task.lead is None
        and not task.assisting
        and (task.number not in stored or not stored[task.number].responsible_members.all())
    ]


def allocation_import_preview(*, path: Path, year: int, indicator: Indicator | None) -> ImportRun:
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        return rejected(Problem(_("There is no plan for %(year)s yet.") % {"year": year}))
    try:
        parsed = allocation_sheet.parse_allocation_sheet(path, plan=plan, indicator=indicator)
    except SheetRejected as error:
        return rejected(error.problem)
    rows = allocation_sheet.compare_allocations(parsed)
    extra = {"sheet": parsed.sheet, "skipped_sheets": parsed.skipped_sheets}
    run = ImportRun(summarise(rows, parsed.problems, extra), parsed=parsed)
    run.rows = rows
    run.preview["totals"] = allocation_totals(plan, parsed)
    return run


def allocation_totals(plan: Plan, parsed) -> list[dict]:
    """Per indicator: its target, what the allocations add up to once this sheet is applied,
    and the difference."""
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
# indicator=, user=) returning an ImportRun, writing through that app's own services (as user,
# None outside a request) when commit is true. Registered when those apps load
# (enrollment/apps.py); targets cannot import them.
EXTRA_RUNNERS: dict[str, Callable[..., ImportRun]] = {}

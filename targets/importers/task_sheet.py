"""The task-breakdown sheet (任务分解一览表) as secretariats exchange it.

序号 / 目标任务 / 季度 / 形象进度 / 最新进展 / 主管领导 / 责任人员 / 联系电话, one row per task per
quarter, the task's cells merged over its quarter rows. A row with an empty 序号 and 目标任务
continues the task above (merged or simply left blank); the task's other cells, when merged (a
leader merged over several tasks), give their value to every row they cover.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from ..models import Milestone, Task
from .preview import CHANGED, ERROR, NEW, UNCHANGED, RowPreview, changes_between
from .reader import read_table
from .sheets import (
    Column,
    Header,
    Problem,
    clean_text,
    is_formula,
    normalise,
)

COLUMNS = [
    Column("number", "序号", ("序号", "编号", "No", "No.")),
    Column("title", "目标任务", ("目标任务", "重点任务", "任务", "任务名称")),
    Column("quarter", "季度", ("季度", "时间节点", "季度节点")),
    Column("planned", "形象进度", ("形象进度", "季度形象进度", "计划进度", "进度安排")),
    Column("latest_progress", "最新进展", ("最新进展", "进展情况", "完成情况"), required=False),
    Column("supervising_leader", "主管领导", ("主管领导", "分管领导"), required=False),
    Column("responsible_person", "责任人员", ("责任人员", "责任人"), required=False),
    Column("phone", "联系电话", ("联系电话", "电话", "联系方式"), required=False),
]
TASK_FIELDS = ("latest_progress", "supervising_leader", "responsible_person", "phone")
MAX_LENGTHS = {
    **{
        key: Task._meta.get_field(key).max_length
        for key in (
            "number",
            "title",
            "latest_progress",
            "supervising_leader",
            "responsible_person",
            "phone",
        )
    },
    "planned": Milestone._meta.get_field("planned").max_length,
}
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年")
PROGRESS_EVERY = 1000


def title_year(title_lines: list[str], year: int) -> int | None:
    """The year the sheet's title names ("… 2020 年职业教育…"), when it is not `year`: the
    preview warns before a 2020 sheet goes into the 2021 plan."""
    for line in title_lines:
        found = YEAR_IN_TITLE.search(line)
        if found:
            named = int(found.group(1))
            return named if named != year else None
    return None


@dataclass(slots=True)  # one per task of a sheet that may hold 25,000
class ParsedTask:
    number: str
    title: str
    first_row: int
    milestones: dict[int, str] = field(default_factory=dict)
    latest_progress: str = ""
    supervising_leader: str = ""
    responsible_person: str = ""
    phone: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ParsedSheet:
    sheet: str
    title_lines: list[str]
    tasks: list[ParsedTask]
    problems: list[Problem]
    rows_read: int
    skipped_sheets: list[str] = field(default_factory=list)  # before it, without the header


def parse_quarter(value) -> int | None:
    """1季度, 第一季度, 一季度, Q1, 1 and 1.0 all mean 1; anything outside 1–4 is None."""
    if isinstance(value, bool):  # TRUE equals 1 in Python, and would share its cache entry
        return None
    return _parse_quarter(value)


@functools.lru_cache(maxsize=256)
def _parse_quarter(value) -> int | None:
    text = normalise(clean_text(value)).upper().replace("第", "").replace("季度", "")
    text = text.replace("Q", "")
    text = CHINESE_DIGITS.get(text, text)
    try:
        quarter = int(text)
    except (TypeError, ValueError):
        return None
    return quarter if 1 <= quarter <= 4 else None


def parse_task_sheet(
    path: Path, *, on_progress: Callable[[int, int | None], None] | None = None
) -> ParsedSheet:
    table = read_table(path, COLUMNS, carry=TASK_FIELDS)
    header = table.header
    reader = _TaskRows(header)
    number = header.row
    for number, row in enumerate(table.rows, start=header.row + 1):
        reader.read(number, row)
        if on_progress and number % PROGRESS_EVERY == 0:
            on_progress(number, table.total)
    if not reader.tasks and not reader.problems:
        reader.problems.append(
            Problem(_("The sheet has no tasks below its header."), sheet=table.sheet)
        )
    return ParsedSheet(
        table.sheet, header.title_lines, reader.tasks, reader.problems, number, table.skipped
    )


class _TaskRows:
    def __init__(self, header: Header):
        self.header = header
        self.tasks: list[ParsedTask] = []
        self.problems: list[Problem] = []
        self.numbers: dict[str, int] = {}
        self.positions = list(header.positions.items())
        self.current: ParsedTask | None = None

    def problem(self, row: int, key: str, message: str) -> None:
        """Listed for the file, and on the task being read so that its row shows as an error."""
        column = self.header.letter(key) if key else ""
        self.problems.append(Problem(message, self.header.sheet, row, column))
        if self.current is not None:
            self.current.errors.append(message)

    def read(self, number: int, row: list) -> None:
        # One pass over the row's cells (run for every row of a 100,000-row sheet): the values,
        # their text, and the formula cells, whose text counts as blank.
        width, blank = len(row), True
        values, text, formulas = {}, {}, []
        for key, index in self.positions:
            value = values[key] = row[index] if index < width else None
            if value is None or value == "":
                text[key] = ""
                continue
            blank = False
            if is_formula(value):
                formulas.append(key)
                text[key] = ""
            else:
                text[key] = clean_text(value)
        if blank:
            return  # blank rows, trailing or between tasks
        if text["number"] or text["title"] or {"number", "title"} & set(formulas):
            self._start_task(number, text)
        elif self.current is None:
            self.problem(number, "number", _("A row continues a task, but no task is above it."))
            return
        for key in formulas:
            self.problem(number, key, _("This cell is a formula; paste it as a value."))
        self._check_lengths(number, text)
        self._read_quarter(number, text, values["quarter"])
        self._fill_down(text)

    def _start_task(self, number: int, text: dict) -> None:
        task_number = re.sub(r"[.、．]$", "", text["number"])
        self.current = ParsedTask(number=task_number, title=text["title"], first_row=number)
        self.tasks.append(self.current)
        if not task_number:
            self.problem(number, "number", _("The task has no number."))
        elif task_number in self.numbers:
            self.problem(
                number,
                "number",
                _("Task number %(n)s appears twice (first on row %(row)s).")
                % {"n": task_number, "row": self.numbers[task_number]},
            )
        else:
            self.numbers[task_number] = number
        if not text["title"]:
            self.problem(number, "title", _("The task has no title."))

    def _check_lengths(self, number: int, text: dict) -> None:
        for key, value in text.items():
            limit = MAX_LENGTHS.get(key)
            if limit is not None and len(value) > limit:
                self.problem(number, key, _("Longer than %(limit)s characters.") % {"limit": limit})

    def _read_quarter(self, number: int, text: dict, raw_quarter) -> None:
        if not text["quarter"]:
            if text["planned"]:
                self.problem(number, "quarter", _("The milestone has no quarter."))
            return
        quarter = parse_quarter(raw_quarter)
        if quarter is None:
            self.problem(
                number,
                "quarter",
                _("“%(q)s” is not a quarter; write 1季度 to 4季度.") % {"q": text["quarter"]},
            )
            return
        if quarter in self.current.milestones:
            self.problem(
                number,
                "quarter",
                _("Task %(n)s has quarter %(q)s twice.") % {"n": self.current.number, "q": quarter},
            )
            return
        if text["planned"]:
            self.current.milestones[quarter] = text["planned"]

    def _fill_down(self, text: dict) -> None:
        """Merged task cells: the first non-empty value holds; 最新进展 keeps the latest one."""
        if self.current is None:
            return
        for key in TASK_FIELDS:
            if key not in text or not text[key]:
                continue
            if key == "latest_progress" or not getattr(self.current, key):
                setattr(self.current, key, text[key])


FIELD_LABELS = {
    "title": "目标任务",
    "latest_progress": "最新进展",
    "supervising_leader": "主管领导",
    "responsible_person": "责任人员",
    "phone": "联系电话",
    **{f"q{quarter}": f"{quarter}季度形象进度" for quarter in range(1, 5)},
}


def task_values(task) -> dict:
    """The comparable values of a parsed or stored task (stored: milestones prefetched)."""
    if isinstance(task, ParsedTask):
        milestones = task.milestones
    else:
        milestones = {m.quarter: m.planned for m in task.milestones.all()}
    values = {key: getattr(task, key) for key in ("title", *TASK_FIELDS)}
    values.update({f"q{quarter}": text for quarter, text in milestones.items()})
    return values


def compare_tasks(parsed: ParsedSheet, stored: dict) -> list[RowPreview]:
    rows = []
    for task in parsed.tasks:
        label = task.title
        if task.errors:
            rows.append(RowPreview(task.first_row, task.number, label, ERROR, errors=task.errors))
        elif task.number not in stored:
            rows.append(RowPreview(task.first_row, task.number, label, NEW))
        else:
            old = task_values(stored[task.number])
            changes = changes_between(old, task_values(task), FIELD_LABELS)
            rows.append(
                RowPreview(
                    task.first_row,
                    task.number,
                    label,
                    CHANGED if changes else UNCHANGED,
                    changes=changes,
                )
            )
    return rows

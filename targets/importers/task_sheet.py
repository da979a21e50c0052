"""The task-breakdown sheet (任务分解一览表) as secretariats exchange it.

序号 / 目标任务 / 季度 / 形象进度 / 最新进展 / 主管领导 / 责任人员 / 联系电话, and optionally
牵头单位 / 协办单位 (member names separated by 、), one row per task per quarter, the task's cells
merged over its quarter rows. A row with an empty 序号 and 目标任务
continues the task above (merged or simply left blank); the task's other cells, when merged (a
leader merged over several tasks), give their value to every row they cover.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from jituan.models import Member

from ..models import Milestone, Task
from .allocation_sheet import members_by_name, unknown_member
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
    Column("lead", "牵头单位", ("牵头单位", "牵头部门"), required=False),
    Column("assisting", "协办单位", ("协办单位", "配合单位", "协办部门"), required=False),
]
TASK_FIELDS = ("latest_progress", "supervising_leader", "responsible_person", "phone")
MEMBER_COLUMNS = ("lead", "assisting")  # names, resolved to members once per task
NAME_SEPARATORS = re.compile(r"[、，,;；\s]+")
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
    # None: the cell is blank (or the sheet has no such column), the stored members stay.
    lead: Member | None = None
    assisting: list[Member] | None = None
    assisting_cell: tuple[int, str] = (0, "")
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
    table = read_table(path, COLUMNS, carry=(*TASK_FIELDS, *MEMBER_COLUMNS))
    header = table.header
    has_members = any(key in header.positions for key in MEMBER_COLUMNS)
    reader = _TaskRows(header, members=members_by_name() if has_members else {})
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
    def __init__(self, header: Header, members: dict[str, Member] | None = None):
        self.header = header
        self.tasks: list[ParsedTask] = []
        self.problems: list[Problem] = []
        self.numbers: dict[str, int] = {}
        self.positions = list(header.positions.items())
        self.current: ParsedTask | None = None
        self.members = members or {}  # normalised name or short name -> member
        self.members_of: ParsedTask | None = None  # the task whose member cells were read
        self.members_read: set[str] = set()

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
        self._read_members(number, text)

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

    def _read_members(self, number: int, text: dict) -> None:
        """牵头单位 and 协办单位 of the task: read from the first row that names them (merged
        cells give their value to every row)."""
        task = self.current
        if task is None:
            return
        if self.members_of is not task:
            self.members_of, self.members_read = task, set()
        if text.get("lead") and "lead" not in self.members_read:
            self.members_read.add("lead")
            found = self._names(number, "lead", text["lead"])
            if len(found) > 1:
                self.problem(number, "lead", _("Name one lead member (牵头单位) only."))
            task.lead = found[0] if len(found) == 1 else None
        if text.get("assisting") and task.assisting is None:
            task.assisting = self._names(number, "assisting", text["assisting"])
            task.assisting_cell = (number, self.header.letter("assisting"))
        if task.lead is not None and task.lead in (task.assisting or []):
            self.problem(number, "assisting", lead_also_assisting(task.lead))
            task.assisting = [m for m in task.assisting if m != task.lead]

    def _names(self, number: int, key: str, text: str) -> list[Member]:
        found: list[Member] = []
        for name in NAME_SEPARATORS.split(text):
            if not name:
                continue
            member = self.members.get(normalise(name))
            if member is None:
                self.problem(number, key, unknown_member(name))
            elif member not in found:
                found.append(member)
        return found


def lead_also_assisting(member: Member) -> str:
    return _(
        "%(name)s is the lead member (牵头单位); do not list it among the assisting members "
        "(协办单位) too."
    ) % {"name": member.name}


FIELD_LABELS = {
    "title": "目标任务",
    "latest_progress": "最新进展",
    "supervising_leader": "主管领导",
    "responsible_person": "责任人员",
    "phone": "联系电话",
    "lead": "牵头单位",
    "assisting": "协办单位",
    **{f"q{quarter}": f"{quarter}季度形象进度" for quarter in range(1, 5)},
}


def members_after(task: ParsedTask, stored=None) -> tuple[Member | None, list[Member]] | None:
    """The lead and assisting members a task has once the sheet is applied; None when the sheet
    names neither. A blank cell keeps what is stored: a lead the sheet replaces stays among the
    assisting members unless the sheet lists them, so no member is dropped unwritten."""
    if task.lead is None and task.assisting is None:
        return None
    old_lead = stored.lead_member if stored is not None else None
    lead = task.lead or old_lead
    if task.assisting is not None:
        return lead, task.assisting
    assisting = list(stored.assisting_members) if stored is not None else []
    if old_lead is not None:
        assisting.append(old_lead)
    return lead, [member for member in assisting if member != lead]


def task_values(task, stored=None) -> dict:
    """The comparable values of a parsed task (compared with `stored`) or of a stored one
    (milestones, members prefetched)."""
    if isinstance(task, ParsedTask):
        milestones = task.milestones
        lead, assisting = members_after(task, stored) or (None, None)
    else:
        milestones = {m.quarter: m.planned for m in task.milestones.all()}
        lead, assisting = task.lead_member, task.assisting_members
    values = {key: getattr(task, key) for key in ("title", *TASK_FIELDS)}
    values["lead"] = lead.name if lead is not None else ""
    # compared as sets: the order a sheet lists them in is no change
    values["assisting"] = "、".join(sorted(m.name for m in assisting or []))
    values.update({f"q{quarter}": text for quarter, text in milestones.items()})
    return values


def compare_tasks(parsed: ParsedSheet, stored: dict) -> list[RowPreview]:
    rows = []
    for task in parsed.tasks:
        label = task.title
        if task.number in stored and not task.errors:
            _check_stored_lead(task, stored[task.number], parsed)
        if task.errors:
            rows.append(RowPreview(task.first_row, task.number, label, ERROR, errors=task.errors))
        elif task.number not in stored:
            rows.append(RowPreview(task.first_row, task.number, label, NEW))
        else:
            old = task_values(stored[task.number])
            new = task_values(task, stored[task.number])
            changes = changes_between(old, new, FIELD_LABELS)
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


def _check_stored_lead(task: ParsedTask, stored, parsed: ParsedSheet) -> None:
    """A sheet that leaves 牵头单位 blank keeps the stored lead: listing it as assisting is an
    error on the 协办单位 cell, as when both cells name it."""
    lead = stored.lead_member
    if task.lead is None and lead is not None and lead in (task.assisting or []):
        row, column = task.assisting_cell
        message = lead_also_assisting(lead)
        parsed.problems.append(Problem(message, parsed.sheet, row, column))
        task.errors.append(message)

"""The year's enrollment quota table (招生计划分解表), as .xlsx or .csv: member, level, quota
(channel and year optional), e.g. fixtures/reference/anqing-2020-enrollment-quotas.csv. Same
rules as every import: a preview labelling each row, every problem by row in Chinese, and nothing
written unless the whole file is clean. Writing is enrollment.services.quotas_apply."""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jituan.models import Member, User
from targets.importers.preview import CHANGED, ERROR, NEW, UNCHANGED, RowPreview, summarise
from targets.importers.reader import read_table
from targets.importers.runs import ImportRun, rejected
from targets.importers.sheets import (
    Column,
    Problem,
    SheetRejected,
    clean_text,
    is_formula,
    normalise,
)
from targets.models import Indicator

from .models import Enrollment
from .services import quotas_apply

COLUMNS = [
    Column("member", "成员单位", ("成员单位", "学校", "单位", "学校名称", "member")),
    Column("level", "层次", ("层次", "办学层次", "类别", "level")),
    Column("quota", "招生计划", ("招生计划", "计划数", "招生任务", "quota")),
    Column("channel", "渠道", ("渠道", "招生渠道", "channel"), required=False),
    Column("year", "年度", ("年度", "年份", "year"), required=False),
]
# The names sheets use (the model's choice labels are translated, so not stable to match on).
LEVEL_NAMES = {
    Enrollment.Level.HIGHER: "高职",
    Enrollment.Level.SECONDARY: "中职",
    Enrollment.Level.TECHNICIAN: "新技工",
}
CHANNEL_NAMES = {
    Enrollment.Channel.GENERAL: "普招",
    Enrollment.Channel.CLASSIFIED: "分类招生",
    Enrollment.Channel.EXPANSION: "社会扩招",
    Enrollment.Channel.THREE_TWO: "3+2",
    Enrollment.Channel.FIVE_YEAR: "五年一贯制",
}
LEVELS = {normalise(name): level for level, name in LEVEL_NAMES.items()} | {
    normalise("技工"): Enrollment.Level.TECHNICIAN
}
CHANNELS = {normalise(name): channel for channel, name in CHANNEL_NAMES.items()} | {
    normalise("普通招生"): Enrollment.Channel.GENERAL,
    normalise("全部"): Enrollment.Channel.ALL,
    normalise("合计"): Enrollment.Channel.ALL,
}


@dataclass
class QuotaRow:
    row: int
    member_name: str
    member: Member | None = None
    level: str = ""
    channel: str = Enrollment.Channel.ALL
    quota: int | None = None
    errors: list[str] = field(default_factory=list)


def run_quota_import(
    *, path: Path, year: int, commit: bool, user: User | None = None, **_options
) -> ImportRun:
    """Preview the table and, when asked and only if it has no error at all, apply it through
    enrollment.services (the import itself only reads and compares)."""
    run, rows = quota_import_preview(path=path, year=year)
    if commit and run.ok:
        quotas_apply(rows=rows, year=year, user=user)
        run.applied = True
    return run


def quota_import_preview(*, path: Path, year: int) -> tuple[ImportRun, list[QuotaRow]]:
    """Parse and compare: the preview, and the rows a commit would write."""
    try:
        table, rows = _parse(path, year)
    except SheetRejected as error:
        return rejected(error.problem), []
    sheet = table.sheet
    problems = [Problem(message, sheet, row.row) for row in rows for message in row.errors]
    if not rows:
        problems.append(Problem(_("The sheet has no rows below its header."), sheet=sheet))
    extra = {"sheet": sheet, "skipped_sheets": table.skipped}
    run = ImportRun(summarise(_compare(rows, year), problems, extra))
    if run.ok:
        run.preview["totals"] = [_total_against_plan(sum(row.quota for row in rows), year)]
    return run, rows


def _total_against_plan(total: int, year: int) -> dict:
    """The file's total against the year's plan target for enrollment, when the plan has one."""
    indicator = Indicator.objects.filter(plan__year=year, source="enrollment.total").first()
    if indicator is None or indicator.target is None:
        return {
            "indicator": _("Quotas in the file"),
            "target": "—",
            "allocated": total,
            "difference": 0,
            "adds_up": True,
        }
    difference = total - int(indicator.target)
    return {
        "indicator": indicator.name,
        "target": int(indicator.target),
        "allocated": total,
        "difference": difference,
        "adds_up": difference == 0,
    }


def _parse(path: Path, year: int):
    table = read_table(path, COLUMNS, allow_csv=True, carry=("member", "level", "year"))
    header = table.header
    members = {}
    for member in Member.objects.all():
        members.setdefault(normalise(member.name), member)
        if member.short_name:
            members.setdefault(normalise(member.short_name), member)
    parsed, seen = [], {}
    for number, values in enumerate(table.rows, start=header.row + 1):
        cells = {k: values[i] if i < len(values) else None for k, i in header.positions.items()}
        if all(value in (None, "") for value in cells.values()):
            continue
        row = _row(number, cells, members, year)
        key = (row.member and row.member.pk, row.level, row.channel)
        if not row.errors and key in seen:
            row.errors.append(
                _("Same member, level and channel as row %(row)s.") % {"row": seen[key]}
            )
        seen.setdefault(key, number)
        parsed.append(row)
    return table, parsed


def _row(number: int, cells: dict, members: dict, year: int) -> QuotaRow:
    row = QuotaRow(number, clean_text(cells.get("member")))
    if any(is_formula(value) for value in cells.values()):
        row.errors.append(_("This row has a formula; paste it as values."))
        return row
    row.member = members.get(normalise(row.member_name))
    if row.member is None:
        row.errors.append(
            _("No member is called “%(name)s”. Check the name, or add the member first.")
            % {"name": row.member_name or "—"}
        )
    row.level = LEVELS.get(normalise(clean_text(cells.get("level"))), "")
    if not row.level:
        row.errors.append(_("The level must be 高职, 中职 or 新技工."))
    if clean_text(cells.get("channel")):
        row.channel = CHANNELS.get(normalise(clean_text(cells["channel"])), "")
        if not row.channel:
            row.errors.append(_("Unknown enrollment channel “%(c)s”.") % {"c": cells["channel"]})
    if clean_text(cells.get("year")) and clean_text(cells["year"]) != str(year):
        row.errors.append(
            _("The row is for %(row)s, the import for %(year)s.")
            % {"row": clean_text(cells["year"]), "year": year}
        )
    text = clean_text(cells.get("quota")).replace(",", "")
    if text.isascii() and text.isdigit():
        # Past the bound in digits already: no int() of a number thousands of digits long.
        row.quota = int(text) if len(text) <= 9 else 10**9
        try:  # the same bounds as a quota typed on screen
            Enrollment._meta.get_field("quota").run_validators(row.quota)
        except ValidationError as error:
            row.errors.extend(error.messages)
    elif not text:
        row.errors.append(_("The quota is empty."))
    else:
        row.errors.append(_("The quota “%(v)s” is not a whole number.") % {"v": text})
    return row


def _compare(rows: list[QuotaRow], year: int) -> list[RowPreview]:
    stored = {
        (e.member_id, e.level, e.channel): e.quota for e in Enrollment.objects.filter(year=year)
    }
    previews = []
    for row in rows:
        label = " · ".join(
            filter(
                None, [row.member_name, LEVEL_NAMES.get(row.level), CHANNEL_NAMES.get(row.channel)]
            )
        )
        if row.errors:
            previews.append(RowPreview(row.row, row.member_name, label, ERROR, errors=row.errors))
            continue
        old = stored.get((row.member.pk, row.level, row.channel), "missing")
        if old == "missing":
            previews.append(RowPreview(row.row, row.member_name, label, NEW))
        elif old != row.quota:
            change = {"field": "招生计划", "old": old, "new": row.quota}
            previews.append(RowPreview(row.row, row.member_name, label, CHANGED, changes=[change]))
        else:
            previews.append(RowPreview(row.row, row.member_name, label, UNCHANGED))
    return previews

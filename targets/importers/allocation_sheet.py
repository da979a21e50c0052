"""The per-member allocation sheet: member, indicator, target — one row per member and indicator.

Members are matched by name or short name, indicators by code or name. The indicator column may be
left out when the import is made for one indicator (e.g. the enrollment quota table)."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jituan.models import Member

from ..models import Allocation, Indicator, Plan
from .preview import CHANGED, ERROR, NEW, UNCHANGED, RowPreview
from .reader import read_table
from .sheets import Column, Problem, SheetRejected, clean_text, is_formula, normalise

TARGET_FIELD = Allocation._meta.get_field("target")
COLUMNS = [
    Column("member", "成员单位", ("成员单位", "单位", "学校", "单位名称", "学校名称", "member")),
    Column("indicator", "指标", ("指标", "指标名称", "量化指标", "indicator"), required=False),
    Column("target", "目标", ("目标", "目标值", "任务数", "计划数", "招生计划", "quota", "target")),
]


@dataclass
class ParsedAllocation:
    row: int
    member_name: str
    indicator_name: str
    target: Decimal | None
    member: Member | None = None
    indicator: Indicator | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ParsedAllocations:
    sheet: str
    allocations: list[ParsedAllocation]
    problems: list[Problem]
    skipped_sheets: list[str] = field(default_factory=list)


def parse_allocation_sheet(
    path: Path, *, plan: Plan, indicator: Indicator | None = None
) -> ParsedAllocations:
    table = read_table(path, COLUMNS, allow_csv=True, carry=("member", "indicator"))
    sheet, header = table.sheet, table.header
    if indicator is None and "indicator" not in header.positions:
        raise_missing_indicator(sheet, header.row)
    resolver = _Resolver(plan, indicator)
    parsed = ParsedAllocations(sheet, [], [], table.skipped)
    seen: dict[tuple, int] = {}
    for number, row in enumerate(table.rows, start=header.row + 1):
        values = {k: row[i] if i < len(row) else None for k, i in header.positions.items()}
        if all(value in (None, "") for value in values.values()):
            continue
        item = _read_row(number, values, resolver)
        key = (item.member and item.member.pk, item.indicator and item.indicator.pk)
        if all(key) and key in seen:
            item.errors.append(_("Same member and indicator as row %(row)s.") % {"row": seen[key]})
        seen.setdefault(key, number)
        for message in item.errors:
            parsed.problems.append(Problem(message, sheet, number))
        parsed.allocations.append(item)
    if not parsed.allocations:
        parsed.problems.append(Problem(_("The sheet has no rows below its header."), sheet=sheet))
    return parsed


def raise_missing_indicator(sheet, row):
    raise SheetRejected(
        Problem(_("Required columns are missing: %(names)s.") % {"names": "指标"}, sheet, row)
    )


def _read_row(number: int, values: dict, resolver: "_Resolver") -> ParsedAllocation:
    errors = [
        _("Column “%(c)s” is a formula; paste it as a value.") % {"c": key}
        for key, value in values.items()
        if is_formula(value)
    ]
    member_name = clean_text(values.get("member"))
    indicator_name = clean_text(values.get("indicator"))
    item = ParsedAllocation(number, member_name, indicator_name, None, errors=errors)
    if errors:
        return item
    item.member = resolver.member(member_name, item.errors)
    item.indicator = resolver.indicator(indicator_name, item.errors)
    raw = values.get("target")
    if item.indicator is not None and item.indicator.is_share and isinstance(raw, str):
        raw = raw.strip().removesuffix("%").removesuffix("％")  # a rate written as 30%
    item.target = _number(raw, item.errors)
    if item.indicator is not None and item.target is not None:
        try:
            item.indicator.check_target(item.target)
        except ValidationError as error:
            item.errors.extend(error.messages)
    return item


def _number(value, errors: list[str]) -> Decimal | None:
    text = clean_text(value).replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        errors.append(_("The target “%(v)s” is not a number.") % {"v": clean_text(value)})
        return None
    if not number.is_finite():
        errors.append(_("The target “%(v)s” is not a number.") % {"v": clean_text(value)})
        return None
    if number < 0:
        errors.append(_("The target must not be negative."))
        return None
    try:  # the same bounds as a target typed on screen: what the column holds
        TARGET_FIELD.run_validators(number)
    except ValidationError as error:
        errors.extend(error.messages)
        return None
    return number


def members_by_name() -> dict[str, Member]:
    """Every member under its name and its short name, normalised as sheets are read."""
    members: dict[str, Member] = {}
    for member in Member.objects.all():
        members.setdefault(normalise(member.name), member)
        if member.short_name:
            members.setdefault(normalise(member.short_name), member)
    return members


def unknown_member(name: str) -> str:
    return _("No member is called “%(name)s”. Check the name, or add the member first.") % {
        "name": name
    }


class _Resolver:
    def __init__(self, plan: Plan, indicator: Indicator | None):
        self.members = members_by_name()
        self.fixed = indicator
        self.indicators = {}
        for candidate in plan.indicators.all():
            self.indicators[normalise(candidate.code)] = candidate
            self.indicators[normalise(candidate.name)] = candidate

    def member(self, name: str, errors: list[str]) -> Member | None:
        if not name:
            errors.append(_("The member name is empty."))
            return None
        member = self.members.get(normalise(name))
        if member is None:
            errors.append(unknown_member(name))
        return member

    def indicator(self, name: str, errors: list[str]) -> Indicator | None:
        if self.fixed is not None and (not name or normalise(name) in self._fixed_names()):
            return self.fixed
        found = self.indicators.get(normalise(name)) if name else None
        if found is None:
            errors.append(_("The plan has no indicator “%(name)s”.") % {"name": name or "—"})
        return found

    def _fixed_names(self):
        return {normalise(self.fixed.code), normalise(self.fixed.name)}


def compare_allocations(parsed: ParsedAllocations) -> list[RowPreview]:
    indicator_ids = {item.indicator.pk for item in parsed.allocations if item.indicator}
    stored = {
        (a.indicator_id, a.member_id): a.target
        for a in Allocation.objects.filter(indicator__in=indicator_ids)
    }
    rows = []
    for item in parsed.allocations:
        label = (
            f"{item.member_name} · {item.indicator.name if item.indicator else item.indicator_name}"
        )
        key = item.member_name
        if item.errors:
            rows.append(RowPreview(item.row, key, label, ERROR, errors=item.errors))
            continue
        old = stored.get((item.indicator.pk, item.member.pk))
        if old is None:
            rows.append(RowPreview(item.row, key, label, NEW))
        elif old != item.target:
            change = {"field": "目标", "old": _plain(old), "new": _plain(item.target)}
            rows.append(RowPreview(item.row, key, label, CHANGED, changes=[change]))
        else:
            rows.append(RowPreview(item.row, key, label, UNCHANGED))
    return rows


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"

"""What every import shares once a sheet is read (targets.importers.reader): problems in Chinese
with their sheet, row and column, header detection, cell normalisation."""

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Problem:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self):
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{'，'.join(where)}：{self.message}" if where else self.message

    def as_dict(self):
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


class SheetRejected(Exception):
    """The file cannot be read at all (wrong format, corrupt, too big, no header …)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Column:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = True


@dataclass
class Header:
    sheet: str
    row: int
    positions: dict[str, int]  # column key -> 0-based index
    title_lines: list[str] = field(default_factory=list)

    def letter(self, key: str) -> str:
        return get_column_letter(self.positions[key] + 1)


def normalise(text) -> str:
    """Full-width to half-width, no spaces of any width: how headers and names are compared."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def clean_text(value) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return value.strip()  # keeps the user's full-width punctuation; strips U+3000 too
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()  # keeps the user's full-width punctuation; strips U+3000 too


def is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def find_header(sheet: str, rows: Iterator, columns: list[Column]) -> Header:
    """Read rows until the header (its row number is header.row); keep the title lines above
    it."""
    aliases = {normalise(alias): column.key for column in columns for alias in column.aliases}
    title_lines: list[str] = []
    for number, row in enumerate(rows, start=1):
        positions: dict[str, int] = {}
        for index, value in enumerate(row):
            key = aliases.get(normalise(value)) if value is not None else None
            if key and key not in positions:
                positions[key] = index
        if len(positions) >= 2:
            _require_columns(sheet, number, positions, columns)
            return Header(sheet, number, positions, title_lines)
        text = " ".join(clean_text(value) for value in row if value not in (None, ""))
        if text:
            title_lines.append(text)
        if number >= HEADER_SEARCH_ROWS:
            break
    raise SheetRejected(
        Problem(
            _("No header row found in the first %(n)s rows. The header must name: %(names)s.")
            % {
                "n": HEADER_SEARCH_ROWS,
                "names": "、".join(c.label for c in columns if c.required),
            },
            sheet=sheet,
        )
    )


def _require_columns(sheet, number, positions, columns):
    missing = [c.label for c in columns if c.required and c.key not in positions]
    if missing:
        raise SheetRejected(
            Problem(
                _("Required columns are missing: %(names)s.") % {"names": "、".join(missing)},
                sheet=sheet,
                row=number,
            )
        )

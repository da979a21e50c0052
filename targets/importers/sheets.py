"""Reading uploaded sheets safely and as a stream: size and format checks, header detection,
cell normalisation. Every problem is reported in Chinese with its sheet, row and column."""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

HEADER_SEARCH_ROWS = 20
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls


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


def check_size(path: Path) -> None:
    limit = settings.JITUAN_IMPORT_MAX_BYTES
    if path.stat().st_size > limit:
        raise SheetRejected(
            Problem(
                _("The file is larger than the %(limit)s MB limit.")
                % {"limit": limit // (1024 * 1024)}
            )
        )
    if path.stat().st_size == 0:
        raise SheetRejected(Problem(_("The file is empty.")))


def open_rows(path: Path, *, allow_csv: bool = False) -> tuple[str, Iterator[tuple], int | None]:
    """(sheet title, iterator of row tuples, row count if the file says) of the first sheet."""
    check_size(path)
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(ZIP_MAGIC):
        return _open_xlsx(path)
    if magic.startswith(OLE_MAGIC):
        raise SheetRejected(
            Problem(
                _(
                    "The file is password protected or in the old .xls format. Save it in Excel "
                    "as an .xlsx workbook without a password, then upload it again."
                )
            )
        )
    if allow_csv and path.suffix.lower() == ".csv":
        return _open_csv(path)
    raise SheetRejected(Problem(_("This is not an Excel .xlsx file.")))


def _open_xlsx(path: Path):
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        total = sheet.max_row  # from the sheet's <dimension>, read when the sheet was opened
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise SheetRejected(
            Problem(_("The file is damaged and cannot be read (%(error)s).") % {"error": error})
        ) from error
    return sheet.title, _close_after(workbook, sheet.iter_rows(values_only=True)), total


def _close_after(workbook, rows):
    try:
        yield from rows
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise SheetRejected(
            Problem(_("The file is damaged and cannot be read (%(error)s).") % {"error": error})
        ) from error
    finally:
        workbook.close()


def _open_csv(path: Path):
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetRejected(Problem(_("The CSV file is neither UTF-8 nor GBK encoded.")))
    rows = [tuple(row) for row in csv.reader(io.StringIO(text))]
    return "", iter(rows), len(rows)  # a CSV has no sheets: problems name only the row


def find_header(
    sheet: str, rows: Iterator[tuple], columns: list[Column]
) -> tuple[Header, Callable[[], int]]:
    """Read rows until the header; keep the title lines above it. Returns the header and a
    function giving the row number of the last row read."""
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
            return Header(sheet, number, positions, title_lines), number
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

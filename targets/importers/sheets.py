"""Reading uploaded sheets safely and as a stream: size and format checks, header detection,
cell normalisation. Every problem is reported in Chinese with its sheet, row and column."""

import csv
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

log = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 20
# Excel's own limit for one cell; anything longer was not typed into Excel.
MAX_CELL_CHARS = 32767
# The worksheet's <dimension> sits in the first bytes of its XML.
DIMENSION_PROBE_BYTES = 4096
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
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
        check_archive(path)
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


def _damaged(error: Exception) -> SheetRejected:
    # The library's own text is English and may name the stored file's path: logged, not shown.
    log.warning("unreadable workbook: %s: %s", type(error).__name__, error)
    return SheetRejected(
        Problem(
            _(
                "The file is damaged and cannot be read. Open it in Excel, save it again as an "
                ".xlsx workbook and upload that copy."
            )
        )
    )


def check_archive(path: Path) -> None:
    """Refuse a workbook by what its archive declares, before any of it is decompressed: too
    many entries, too much once uncompressed (a zip bomb), or a sheet larger than the row and
    cell limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > settings.JITUAN_IMPORT_MAX_ENTRIES:
                raise SheetRejected(
                    Problem(_("The workbook holds too many parts to be a task or quota sheet."))
                )
            uncompressed = sum(entry.file_size for entry in entries)
            if uncompressed > settings.JITUAN_IMPORT_MAX_UNCOMPRESSED_BYTES:
                raise SheetRejected(
                    Problem(
                        _(
                            "Unpacked, the workbook would take %(size)s MB, more than the "
                            "%(limit)s MB limit. Keep only the sheet to import and upload it again."
                        )
                        % {
                            "size": uncompressed // (1024 * 1024),
                            "limit": settings.JITUAN_IMPORT_MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
                        }
                    )
                )
            for entry in entries:
                if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                    with archive.open(entry) as handle:
                        _check_dimension(handle.read(DIMENSION_PROBE_BYTES))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        raise _damaged(error) from error


def _check_dimension(head: bytes) -> None:
    match = DIMENSION.search(head)
    if not match:
        return  # no dimension declared: the row limit is enforced while reading
    first_column, first_row, last_column, last_row = match.groups()
    rows = int(last_row or first_row)
    columns = column_index_from_string((last_column or first_column).decode())
    _check_rows(rows)
    if rows * columns > settings.JITUAN_IMPORT_MAX_CELLS:
        raise SheetRejected(
            Problem(
                _(
                    "The sheet spans %(rows)s rows × %(columns)s columns, more than the "
                    "%(limit)s cells an import may hold. Delete the empty rows and columns "
                    "after the data and upload it again."
                )
                % {
                    "rows": f"{rows:,}",
                    "columns": columns,
                    "limit": f"{settings.JITUAN_IMPORT_MAX_CELLS:,}",
                }
            )
        )


def _check_rows(rows: int) -> None:
    if rows > settings.JITUAN_IMPORT_MAX_ROWS:
        raise SheetRejected(
            Problem(
                _(
                    "The sheet has %(rows)s rows, more than the %(limit)s rows an import may "
                    "hold. Delete the empty rows after the data, or split the sheet."
                )
                % {"rows": f"{rows:,}", "limit": f"{settings.JITUAN_IMPORT_MAX_ROWS:,}"}
            )
        )


def _open_xlsx(path: Path):
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        total = sheet.max_row  # from the sheet's <dimension>, read when the sheet was opened
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise _damaged(error) from error
    return sheet.title, _close_after(workbook, _bounded(sheet.iter_rows(values_only=True))), total


def _close_after(workbook, rows):
    try:
        yield from rows
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as error:
        raise _damaged(error) from error
    finally:
        workbook.close()


def _bounded(rows):
    """The rows, refused once past the row limit or at a cell longer than Excel allows (a sheet
    need not declare its dimension, and a declared one may lie)."""
    for number, row in enumerate(rows, start=1):
        if number > settings.JITUAN_IMPORT_MAX_ROWS:
            _check_rows(number)
        for index, value in enumerate(row):
            if type(value) is str and len(value) > MAX_CELL_CHARS:
                raise SheetRejected(
                    Problem(
                        _("The cell holds more than %(limit)s characters, Excel's own limit.")
                        % {"limit": f"{MAX_CELL_CHARS:,}"},
                        row=number,
                        column=get_column_letter(index + 1),
                    )
                )
        yield row


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
    try:
        rows = [tuple(row) for row in _bounded(csv.reader(io.StringIO(text)))]
    except csv.Error as error:
        raise _damaged(error) from error
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

"""The one reader of every uploaded workbook (task sheets, allocation sheets, quota tables and
every later import), built on python-calamine: it parses in Rust about fifteen times faster than
openpyxl's read-only mode and reports merged ranges, which that mode cannot. openpyxl stays for
writing (templates and exports).

Before anything is decompressed the file is refused by what it declares: its size, the archive's
entry count and uncompressed size (a zip bomb), each sheet's dimension. Calamine returns a
formula's cached value, so formula cells are found in the sheet's XML: a byte scan for `<f`
(which expands no entity), and only when one is there a streaming parse that refuses entity
declarations (defusedxml) to place them. The sheet read is the first visible one with the header
row: a workbook may open on its instructions (填表说明)."""

import csv
import io
import logging
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from .sheets import HEADER_SEARCH_ROWS, Column, Header, Problem, SheetRejected, find_header

log = logging.getLogger(__name__)

# Excel's own limit for one cell; anything longer was not typed into Excel.
MAX_CELL_CHARS = 32767
# The worksheet's <dimension> sits in the first bytes of its XML.
DIMENSION_PROBE_BYTES = 4096
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
# A formula element: <f>, <f t="shared" …/>, <x:f>; not <font>, <fill>, <filterColumn>.
FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
SCAN_CHUNK = 1 << 20
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class Table:
    """The rows of the sheet that has the header, read below it."""

    sheet: str  # "" for a CSV file, which has no sheets
    header: Header
    rows: Iterator[list]  # the rows below the header, in order; row numbers follow header.row
    total: int | None  # rows in the sheet, for progress
    sheet_names: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # the sheets before it without the header


def read_table(
    path: Path, columns: list[Column], *, allow_csv: bool = False, carry: Iterable[str] = ()
) -> Table:
    """The table of an uploaded file. `carry`: the columns whose merged cells give their value
    to every row they cover (a school's name merged over its rows, a leader over several tasks)."""
    check_size(path)
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(ZIP_MAGIC):
        return _read_xlsx(path, columns, tuple(carry))
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
        rows = _csv_rows(path)
        header = find_header("", rows, columns)
        return Table("", header, rows, None)
    raise SheetRejected(Problem(_("This is not an Excel .xlsx file.")))


# --- guards -----------------------------------------------------------------------------------


def check_size(path: Path) -> None:
    limit = settings.JITUAN_IMPORT_MAX_BYTES
    size = path.stat().st_size
    if size > limit:
        raise SheetRejected(
            Problem(
                _("The file is larger than the %(limit)s MB limit.")
                % {"limit": limit // (1024 * 1024)}
            )
        )
    if size == 0:
        raise SheetRejected(Problem(_("The file is empty.")))


def damaged(error: Exception) -> SheetRejected:
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


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook by what its archive declares, before any of it is decompressed: too
    many entries, too much once uncompressed (a zip bomb), or a sheet larger than the row and
    cell limits."""
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
                head = handle.read(DIMENSION_PROBE_BYTES)
            match = DIMENSION.search(head)
            if match:  # none declared: the limits hold on what calamine reads
                first_column, first_row, last_column, last_row = match.groups()
                columns = column_index_from_string((last_column or first_column).decode())
                check_shape(int(last_row or first_row), columns)


def check_shape(rows: int, columns: int) -> None:
    check_rows(rows)
    check_cells(rows, columns)


def check_cells(rows: int, columns: int) -> None:
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


def check_rows(rows: int) -> None:
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


def _bounded(rows: Iterable[list], first: int = 1) -> Iterator[list]:
    """The rows, refused once past the row limit or at a cell longer than Excel allows (a sheet
    need not declare its dimension, and a declared one may lie)."""
    limit = settings.JITUAN_IMPORT_MAX_ROWS
    for number, row in enumerate(rows, start=first):
        if number > limit:
            check_rows(number)
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


# --- .xlsx ------------------------------------------------------------------------------------


def _read_xlsx(path: Path, columns: list[Column], carry: tuple[str, ...]) -> Table:
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive)
            parts = _sheet_parts(archive)
        workbook = CalamineWorkbook.from_path(str(path))
    except SheetRejected:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        KeyError,
        ValueError,
        CalamineError,
        DefusedXmlException,
        SyntaxError,  # ElementTree's ParseError
    ) as error:
        raise damaged(error) from error
    try:
        return _first_table(path, workbook, parts, columns, carry)
    except BaseException:
        workbook.close()
        raise


def _first_table(path, workbook, parts: dict, columns, carry) -> Table:
    names = [
        sheet.name
        for sheet in workbook.sheets_metadata
        if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible
    ]
    refusals: list[Problem] = []
    for position, name in enumerate(names):
        if name not in parts:
            raise damaged(KeyError(f"no part for sheet {name!r}"))
        # Calamine builds a sheet as one block from its first to its last cell: one cell at
        # XFD150000 in a 5 KB file would be a 78 GB block, and an allocation that fails aborts
        # the process. The extent is read from the XML first, whatever <dimension> says.
        scan = scan_sheet(path, parts[name])
        if scan.rows is not None:
            check_cells(scan.rows, scan.columns)
        try:
            sheet = workbook.get_sheet_by_name(name)
        except CalamineError as error:
            raise damaged(error) from error
        rows = _bounded(_absolute_rows(sheet))
        try:
            header = find_header(name, rows, columns)
        except SheetRejected as refusal:
            refusals.append(refusal.problem)
            continue
        formulas = _formula_cells(path, parts[name]) if scan.formulas else {}
        body = _body(rows, header, formulas, sheet.merged_cell_ranges or [], carry)
        return Table(
            sheet=name,
            header=header,
            rows=_closing(workbook, body),
            total=(sheet.end[0] + 1) if sheet.end else 0,
            sheet_names=names,
            skipped=names[:position],
        )
    raise SheetRejected(_no_table(names, refusals, columns))


def _no_table(names: list[str], refusals: list[Problem], columns: list[Column]) -> Problem:
    """One sheet: why it was refused, as before. Several: which were searched, and the first
    sheet that had a header missing a column, which is most likely the one meant."""
    if len(refusals) == 1:
        return refusals[0]
    partial = [problem for problem in refusals if problem.row]
    if partial:
        return partial[0]
    return Problem(
        _(
            "None of the sheets (%(sheets)s) has a header row in its first %(n)s rows. The "
            "header must name: %(names)s."
        )
        % {
            "n": HEADER_SEARCH_ROWS,
            "sheets": "、".join(f"“{name}”" for name in names) or "—",
            "names": "、".join(c.label for c in columns if c.required),
        }
    )


def _absolute_rows(sheet) -> Iterator[list]:
    """Rows as lists indexed from column A. iter_rows() starts at row 1 but at the first used
    column (python-calamine #177), so a sheet starting in column C is shifted back into place."""
    offset = sheet.start[1] if sheet.start else 0
    if not offset:
        yield from sheet.iter_rows()
        return
    width = sheet.end[1] + 1
    padding = [""] * offset
    for row in sheet.iter_rows():
        yield row if len(row) >= width else padding + row


def _closing(workbook, rows: Iterator[list]) -> Iterator[list]:
    try:
        yield from rows
    except CalamineError as error:
        raise damaged(error) from error
    finally:
        workbook.close()


def _body(
    rows: Iterator[list], header: Header, formulas: dict, merged: list, carry: tuple[str, ...]
) -> Iterator[list]:
    """The rows below the header: formula cells shown as their formula ("=…"), and the carried
    columns' merged cells filled with the value of the range's first cell."""
    carried = [header.positions[key] for key in carry if key in header.positions]
    spans = _carried_spans(merged, carried)
    active: dict[int, tuple[int, object]] = {}  # column -> (last row, value)
    for index, row in enumerate(rows, start=header.row):  # 0-based row index
        cells = formulas.get(index)
        if cells:
            row = list(row)
            for column, text in cells.items():
                if column >= len(row):
                    row.extend([""] * (column + 1 - len(row)))
                row[column] = text
        starting = spans.get(index)
        if starting:
            for column, last, source in starting:
                if cells and source in cells:
                    continue  # a formula is reported once, at its own cell
                active[column] = (last, row[source] if source < len(row) else "")
        if active:
            for column, (last, value) in list(active.items()):
                if index > last:
                    del active[column]
                elif column < len(row) and row[column] in ("", None):
                    row[column] = value
        yield row


def _carried_spans(merged: list, columns: list[int]) -> dict[int, list[tuple[int, int, int]]]:
    """First row of each merged range over a carried column -> [(column, last row, source
    column)], 0-based."""
    spans: dict[int, list] = {}
    wanted = set(columns)
    for (first_row, first_column), (last_row, last_column) in merged:
        for column in wanted:
            if first_column <= column <= last_column:
                spans.setdefault(first_row, []).append((column, last_row, first_column))
    return spans


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the archive (xl/worksheets/sheetN.xml)."""
    workbook = fromstring(archive.read("xl/workbook.xml"))
    try:
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{RELS_NS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{MAIN_NS}sheet"):
        target = targets.get(sheet.get(RELATIONSHIP_ID), "")
        if target:
            parts[sheet.get("name")] = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
    return parts


@dataclass
class SheetScan:
    formulas: bool  # whether the XML holds a formula element
    # The last row and column a cell is placed on, when measured: None for the usual sheet,
    # whose columns A–Z and rows within NEAR_ROWS cannot exceed the cell limit.
    rows: int | None = None
    columns: int | None = None


NEAR_ROWS = 200_000
# The usual sheet writes every cell as <c r="A1" …> (r first, as Excel, WPS, LibreOffice and
# openpyxl do), in columns A–Z and rows below NEAR_ROWS: at most 5.2 million cells.
USUAL_CELL = b'<c r="'
FAR_CELL = re.compile(rb'<c r="(?![A-Z]?(?:1\d{5}|[1-9]\d{0,4})")')
ANY_CELL = re.compile(rb"<c[\s>/]")
PREFIXED = re.compile(rb":[cf][\s>/]")  # <x:c …>, <x:f>: measured exactly
FORMULA = re.compile(rb"<f[\s>/]")
REFERENCE = re.compile(rb"""\sr\s*=\s*["']([A-Z]{0,3})(\d+)["']""")
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def scan_sheet(path: Path, part: str) -> SheetScan:
    """One streaming pass over a sheet's XML, expanding no entity. The usual sheet is settled by
    byte counts and two searches per chunk; any other is measured exactly in a second pass."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as handle:
            return _scan(handle)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as error:
        raise damaged(error) from error


def _scan(handle) -> SheetScan:
    formulas, usual = False, NEAR_ROWS * 26 <= settings.JITUAN_IMPORT_MAX_CELLS
    for chunk in _chunks(handle):
        formulas = formulas or FORMULA.search(chunk) is not None
        usual = usual and _usual(chunk)
    if usual:
        return SheetScan(formulas)
    handle.seek(0)
    extent = _Extent()
    for chunk in _chunks(handle):
        extent.add(chunk)
        formulas = formulas or FORMULA_TAG.search(chunk) is not None
    return SheetScan(formulas, extent.rows, extent.columns + extent.unplaced())


def _usual(chunk: bytes) -> bool:
    """Every "<c" of the chunk opens a cell placed near with r first. A CDATA section can
    only add to both counts alike, so a cell written any other way always shows."""
    placed = chunk.count(USUAL_CELL)
    if chunk.count(b"<c") != placed and len(ANY_CELL.findall(chunk)) != placed:
        return False  # <col>, <cfRule> … are no cells; ANY_CELL tells them apart
    return FAR_CELL.search(chunk) is None and PREFIXED.search(chunk) is None


class _Extent:
    """The last row and column any r="…" names, and, when some cells name none (calamine
    places those after the cell before them), the most cells one row holds."""

    def __init__(self):
        self.rows = self.columns = self.cells = self.placed = self.widest = self.in_row = 0

    def add(self, chunk: bytes) -> None:
        for found in REFERENCE.finditer(chunk):
            letters, digits = found.groups()
            self.rows = max(self.rows, int(digits) if len(digits) <= 9 else 10**9)
            if letters:
                self.placed += 1
                self.columns = max(self.columns, column_index_from_string(letters.decode()))
        for index, piece in enumerate(ROW_TAG.split(chunk)):
            if index:
                self.in_row = 0
            cells = len(CELL_TAG.findall(piece))
            self.cells += cells
            self.in_row += cells
            self.widest = max(self.widest, self.in_row)

    def unplaced(self) -> int:
        return self.widest if self.cells > self.placed else 0


def _chunks(handle) -> Iterator[bytes]:
    """The XML in pieces cut before a "<", so that no tag is split between two pieces."""
    rest = b""
    while chunk := handle.read(SCAN_CHUNK):
        chunk = rest + chunk
        cut = chunk.rfind(b"<")
        if cut <= 0:
            rest = chunk
            continue
        rest = chunk[cut:]
        yield chunk[:cut]
    if rest:
        yield rest


def _formula_cells(path: Path, part: str) -> dict[int, dict[int, str]]:
    """0-based row -> {column: "=formula"} for every formula cell of the sheet."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as handle:
            return _locate_formulas(handle)
    except KeyError:
        return {}
    except (zipfile.BadZipFile, OSError, DefusedXmlException, SyntaxError) as error:
        raise damaged(error) from error


def _locate_formulas(handle) -> dict[int, dict[int, str]]:
    found: dict[int, dict[int, str]] = {}
    row_index, column_index = -1, -1
    for event, element in iterparse(handle, events=("start", "end")):
        tag = element.tag.rsplit("}", 1)[-1]
        if event == "start":
            if tag == "row":
                number = element.get("r")
                row_index = int(number) - 1 if number else row_index + 1
                column_index = -1
            elif tag == "c":
                reference = CELL_REFERENCE.fullmatch(element.get("r") or "")
                if reference:
                    column_index = column_index_from_string(reference.group(1)) - 1
                    row_index = int(reference.group(2)) - 1
                else:
                    column_index += 1
            continue
        if tag == "f":
            text = (element.text or "").strip()
            found.setdefault(row_index, {})[column_index] = f"={text or '…'}"
        elif tag == "row":
            element.clear()
    return found


# --- .csv -------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[list]:
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
        rows = list(_bounded(csv.reader(io.StringIO(text))))
    except csv.Error as error:
        raise damaged(error) from error
    return iter(rows)

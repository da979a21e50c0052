"""The one rule for writing cells of every Excel export, normal or write-only workbooks alike:
numbers stay numbers and dates dates, and every str is written as text, never as a formula or an
error code (a field "=HYPERLINK(…)" must not become a live formula: CSV/formula injection), with
the characters XML cannot hold replaced (see jituan.text).

openpyxl turns any str starting with "=" into a formula cell and "#N/A" & co. into error cells;
setting the cell's data_type to "s" after its value is bound writes it as an inline string."""

from django.utils.functional import Promise
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .text import clean_text


def text_cell(sheet, value: str) -> Cell:
    """A cell holding value as text, for sheet.append in either kind of workbook."""
    cell = Cell(sheet, row=1, column=1, value=clean_text(value))  # placed by append
    cell.data_type = "s"
    return cell


def cells(sheet, values) -> list:
    """A row of Python values ready for sheet.append: str values as text cells."""
    return [
        text_cell(sheet, str(value)) if isinstance(value, str | Promise) else value
        for value in values
    ]


def append(sheet, values) -> None:
    """sheet.append(values), every str written as text."""
    sheet.append(cells(sheet, values))


def put(cell: Cell, value) -> Cell:
    """cell.value = value, a str written as text (normal workbooks: sheet.cell(...))."""
    if isinstance(value, str | Promise):
        cell.value = clean_text(str(value))
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def write(sheet, row: int, column: int, value) -> Cell:
    """sheet.cell(row, column, value), a str written as text."""
    return put(sheet.cell(row=row, column=column), value)


def titled_table(sheet, title: str, headers: list[str], *, freeze: str = "A3") -> None:
    """A report sheet's first two rows: the title merged over the columns, then the bold,
    shaded headers; both stay in view when scrolling."""
    append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    cell = sheet.cell(1, 1)
    cell.font = Font(bold=True, size=14)
    cell.alignment = Alignment(horizontal="center")
    append(sheet, headers)
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.freeze_panes = freeze


def column_widths(sheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

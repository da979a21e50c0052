"""The assessment notice as an Excel workbook, from the same data as its PDF: the results sheet
ranked within each member kind, and the basis of every point."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from jituan import xlsx

from .notice import Notice

SCORE = "0.0"


def assessment_workbook(notice: Notice) -> Workbook:
    workbook = Workbook()
    _results_sheet(workbook.active, notice)
    _basis_sheet(workbook.create_sheet(_("Basis of the scores")), notice)
    return workbook


def _results_sheet(sheet, notice: Notice) -> None:
    sheet.title = _("Assessment results")
    criteria = [f"{c.label}（{c.weight}）" for c in notice.criteria]
    headers = [
        _("Member kind"),
        _("Rank within kind"),
        _("Member"),
        *criteria,
        _("Computed score"),
        _("Adjustment"),
        _("Final score"),
        _("Grade"),
        _("Reason for the adjustment"),
    ]
    title = _("%(year)s annual assessment results of the members") % {"year": notice.year}
    xlsx.titled_table(sheet, title, headers, freeze="D3")
    first_score = 4
    for group in notice.groups:
        for line in group.lines:
            points = [_number(item.get("points")) for item in line.basis]
            xlsx.append(
                sheet,
                [
                    group.label,
                    line.rank,
                    line.member.name,
                    *points,
                    line.computed,
                    line.adjustment,
                    line.score,
                    line.grade_label,
                    line.adjustment_reason,
                ],
            )
            for cell in sheet[sheet.max_row][first_score - 1 : first_score + len(criteria) + 2]:
                cell.number_format = SCORE
    xlsx.column_widths(sheet, [16, 10, 32, *[14] * len(criteria), 12, 10, 12, 10, 40])


def _basis_sheet(sheet, notice: Notice) -> None:
    headers = [_("Member"), _("Criterion"), _("Weight"), _("Points"), _("Basis")]
    xlsx.titled_table(
        sheet, _("%(year)s basis of every point") % {"year": notice.year}, headers, freeze="D3"
    )
    for line in notice.lines:
        for item in line.basis:
            xlsx.append(
                sheet,
                [
                    line.member.name,
                    item.get("label", ""),
                    item.get("weight"),
                    _number(item.get("points")),
                    item.get("basis", ""),
                ],
            )
            sheet.cell(sheet.max_row, 4).number_format = SCORE
    xlsx.column_widths(sheet, [32, 24, 8, 10, 70])


def _number(value):
    """Points are stored as text ("18.5") so that JSON keeps them exact; a sheet wants numbers."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return value

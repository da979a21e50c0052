"""The yearly summary as an Excel workbook: a summary sheet per payee, a detail sheet per line."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jituan import xlsx

from .services import RewardSummary

YUAN = '"¥"#,##0'
BOLD = Font(bold=True)


def reward_workbook(summary: RewardSummary) -> Workbook:
    workbook = Workbook()
    _summary_sheet(workbook.active, summary)
    _detail_sheet(workbook.create_sheet(_("Details")), summary)
    if summary.pending:
        _pending_sheet(workbook.create_sheet(_("Awaiting certification")), summary)
    return workbook


def _summary_sheet(sheet, summary: RewardSummary) -> None:
    sheet.title = _("Summary")
    headers = [_("No."), _("Payee"), _("Rewards"), _("Deductions"), _("Total"), _("Scaled total")]
    xlsx.titled_table(
        sheet, _("%(year)s reward and deduction summary") % {"year": summary.year}, headers
    )
    for number, row in enumerate(summary.members, start=1):
        scaled = row.scaled_total if summary.scaled else None
        cells = [number, row.name, row.rewards_total, row.deductions_total, row.total, scaled]
        _money_row(sheet, cells)
    if summary.outside_payees:
        xlsx.append(sheet, [None, _("Payees outside the group")])
        sheet.cell(sheet.max_row, 2).font = BOLD
        for payee in summary.outside_payees:
            scaled = payee.scaled_total if summary.scaled else None
            _money_row(sheet, [None, payee.name, payee.total, 0, payee.total, scaled])
    if not summary.partial:
        _group_rows(sheet, summary)
    xlsx.column_widths(sheet, [6, 34, 14, 14, 14, 14])


def _group_rows(sheet, summary: RewardSummary) -> None:
    scaled = summary.payable_total if summary.scaled else None
    _money_row(sheet, [None, _("Group total"), None, None, summary.group_total, scaled], bold=True)
    if summary.fund:
        _money_row(sheet, [None, _("Annual reward fund"), None, None, summary.reward_fund])
        _money_row(sheet, [None, _("Annual running budget"), None, None, summary.running_budget])
    if summary.exceeds_fund:
        _money_row(sheet, [None, _("Exceeds the fund by"), None, None, summary.excess], bold=True)
    if summary.scaled:
        share = _("Scaled to the fund: every payee receives %(percent)s%% of their total.")
        xlsx.append(sheet, [None, share % {"percent": summary.scale_percent}])


def _detail_sheet(sheet, summary: RewardSummary) -> None:
    headers = [_("Payee"), _("Rule"), _("Basis"), _("Amount")]
    title = _("%(year)s reward and deduction details") % {"year": summary.year}
    xlsx.titled_table(sheet, title, headers)
    for payee, line in summary.lines:
        _money_row(sheet, [payee, line.rule, line.basis, line.amount], money_from=4)
    xlsx.column_widths(sheet, [34, 28, 60, 14])


def _pending_sheet(sheet, summary: RewardSummary) -> None:
    headers = [_("Payee"), _("Rule"), _("Basis"), _("Certification"), _("Would earn")]
    title = _("%(year)s rewards awaiting certification (not in the totals)") % {
        "year": summary.year
    }
    xlsx.titled_table(sheet, title, headers)
    for row in summary.pending:
        status = f"{row.status}：{row.reason}" if row.reason else row.status
        cells = [row.payee, row.line.rule, row.line.basis, status, row.line.amount]
        _money_row(sheet, cells, money_from=5)
    _money_row(
        sheet, [_("Total"), None, None, None, summary.pending_total], money_from=5, bold=True
    )
    xlsx.column_widths(sheet, [30, 24, 56, 24, 14])


def _money_row(sheet, values: list, *, money_from: int = 3, bold: bool = False) -> None:
    """Append a row whose columns from money_from on hold yuan."""
    xlsx.append(sheet, values)
    for cell in sheet[sheet.max_row]:
        if cell.column >= money_from:
            cell.number_format = YUAN
        if bold:
            cell.font = BOLD

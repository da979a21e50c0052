"""Excel files: the task-breakdown sheet written back in the format secretariats exchange, and its
blank template (title and 填报单位 lines, the header, one row per task per quarter, task cells
merged over the quarter rows; importing an exported sheet changes nothing); the submission list."""

import io
from datetime import date
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jituan import xlsx

from .models import Plan
from .progress import member_progress_by_task

HEADER = [
    "序号",
    "目标任务",
    "季度",
    "形象进度",
    "最新进展",
    "主管领导",
    "责任人员",
    "联系电话",
    "牵头单位",
    "协办单位",
]
WIDTHS = [8, 28, 9, 48, 40, 12, 12, 16, 20, 28]
MERGED_COLUMNS = [1, 2, 5, 6, 7, 8, 9, 10]  # everything but 季度 and 形象进度
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def task_sheet_workbook(
    plan: Plan | None, *, tasks=None, organisation: str = "", user=None
) -> Workbook:
    """The plan's tasks (or the given subset of them); a blank template when plan is None.
    Given a liaison as user, 最新进展 is their own member's latest approved progress only
    (Task.latest_progress holds every member's)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务分解一览表"
    title = f"{plan.title}任务分解一览表" if plan else "任务分解一览表"
    _write_heading(sheet, title, organisation)
    row = 4
    if plan is not None and tasks is None:
        tasks = plan.tasks.all()
    own_progress = None
    if plan is not None and user is not None and user.is_liaison:
        own_progress = member_progress_by_task(plan, user.member_id)
    if plan is not None:
        tasks = tasks.select_related("lead_member").prefetch_related(
            "milestones", "responsible_members"
        )
    for task in tasks if plan else []:
        milestones = {m.quarter: m.planned for m in task.milestones.all()}
        progress = task.latest_progress if own_progress is None else own_progress.get(task.pk, "")
        values = [
            task.number,
            task.title,
            None,
            None,
            progress,
            task.supervising_leader,
            task.responsible_person,
            task.phone,
            task.lead_member.name if task.lead_member else "",
            "、".join(member.name for member in task.assisting_members),
        ]
        _write_task(sheet, row, values, milestones)
        row += 4
    if plan is None:
        _write_task(sheet, row, [None] * len(HEADER), {})
        _write_instructions(workbook)
    return workbook


INSTRUCTIONS = [
    "填表说明",
    "1. 在「任务分解一览表」工作表中填写：每项任务占四行（1季度至4季度），"
    "序号、目标任务、最新进展、主管领导、责任人员、联系电话、牵头单位、协办单位按任务合并单元格。",
    "2. 季度可写作 1季度、第一季度 或 1；形象进度写该季度计划完成的工作。",
    "3. 请勿使用公式：从别处复制时请选择“只粘贴数值”。",
    "4. 导入时读取第一张带有表头（序号、目标任务、季度、形象进度）的工作表，本说明页会被跳过。",
    "5. 再次导入同一序号的任务会更新原任务，不会重复；空白单元格保留系统中已有的内容。",
    "6. 牵头单位填一家成员单位，协办单位可填多家，用顿号（、）分隔；"
    "单位名称须与系统中的全称或简称一致。牵头单位负责填报该任务的进展，协办单位向牵头单位提供协办说明；"
    "未定牵头单位的任务，其责任单位都列在协办单位一栏。",
]


def _write_instructions(workbook: Workbook) -> None:
    """The instructions page secretariats put first; the import skips it. Excel still opens
    on the table, which stays the active sheet."""
    sheet = workbook.create_sheet("填表说明", 0)
    sheet.column_dimensions["A"].width = 100
    for text in INSTRUCTIONS:
        xlsx.append(sheet, [text])
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.active = 1


def _write_heading(sheet, title: str, organisation: str) -> None:
    xlsx.append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = CENTER
    xlsx.append(
        sheet,
        [
            f"填报单位（加盖公章）：{organisation}",
            None,
            None,
            None,
            f"上报时间：{date.today():%Y年%m月%d日}",
        ],
    )
    xlsx.append(sheet, HEADER)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=3, column=index)
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.border = BORDER
    sheet.freeze_panes = "A4"


def _write_task(sheet, first_row: int, values: list, milestones: dict) -> None:
    for quarter in range(1, 5):
        row = first_row + quarter - 1
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            if quarter == 1 and value not in (None, ""):
                xlsx.put(cell, value)
            cell.border = BORDER
            cell.alignment = CENTER if column in (1, 3) else WRAP
            cell.number_format = "@"
        xlsx.write(sheet, row, 3, f"{quarter}季度")
        xlsx.write(sheet, row, 4, milestones.get(quarter) or None)
    for column in MERGED_COLUMNS:
        sheet.merge_cells(
            start_row=first_row, start_column=column, end_row=first_row + 3, end_column=column
        )


SUBMISSION_HEADER = ["年度", "季度", "成员单位", "状态", "逾期", "提交时间", "审核人", "审核时间"]


def submissions_workbook(submissions) -> Workbook:
    """One row per submission (plan, member and reviewer selected with it)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("季度进展")
    xlsx.append(sheet, SUBMISSION_HEADER)
    for submission in submissions:
        xlsx.append(
            sheet,
            [
                submission.plan.year,
                submission.quarter,
                submission.member.name,
                submission.get_status_display(),
                "是" if submission.is_late else "否",
                _local(submission.submitted_at),
                str(submission.reviewed_by or ""),
                _local(submission.reviewed_at),
            ],
        )
    return workbook


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

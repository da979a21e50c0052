"""Building task-breakdown and allocation sheets for tests, the way secretariats lay them out."""

from pathlib import Path

from openpyxl import Workbook

HEADER = ["序号", "目标任务", "季度", "形象进度", "最新进展", "主管领导", "责任人员", "联系电话"]


def task_rows(number, title, milestones, *, leader="王进", person="张玉国", phone=13800000000):
    """Four rows of one task, its cells blank below the first (as a merged range streams)."""
    rows = []
    for quarter, planned in enumerate(milestones, start=1):
        first = quarter == 1
        rows.append(
            [
                number if first else None,
                title if first else None,
                f"{quarter}季度",
                planned,
                None,
                leader if first else None,
                person if first else None,
                phone if first else None,
            ]
        )
    return rows


def task_sheet(
    path: Path, rows, *, header=HEADER, title="2020 年任务分解一览表", merge=True
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.append(
        [
            "填报单位（加盖公章）：安庆职业教育集团秘书处",
            None,
            None,
            None,
            "上报时间：2020年3月31日",
        ]
    )
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if merge:
        _merge_task_cells(sheet, rows)
    workbook.save(path)
    return path


def _merge_task_cells(sheet, rows):
    start = None
    for offset, row in enumerate(rows + [["end"]], start=4):
        if row and row[0] is not None:
            if start is not None and offset - 1 > start:
                for column in (1, 2, 6, 7, 8):
                    sheet.merge_cells(
                        start_row=start, start_column=column, end_row=offset - 1, end_column=column
                    )
            start = offset


def allocation_sheet(path: Path, rows, header=("成员单位", "指标", "目标")) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


FOUR = ["制定方案。", "组织实施。", "中期推进。", "总结验收。"]

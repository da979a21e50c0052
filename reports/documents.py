"""What each report kind is made of: the data, the template, the file. One path used by the
worker, the render_report command and the benchmark."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .charts import horizontal_bars, stacked_bars
from .dispatch import STATUS_LABELS, Dispatch, NoPlan, dispatch_report
from .pdf import html_to_pdf, render_html

Progress = Callable[[int, str], None]


@dataclass
class Built:
    content: bytes
    pages: int | None = None


def _silent(percent: int, step: str) -> None:
    pass


def build(
    kind: str,
    *,
    year: int,
    month: int | None,
    format: str,
    as_of: datetime,
    on_progress: Progress = _silent,
) -> Built:
    on_progress(10, _("Gathering the data"))
    if kind == "dispatch":
        try:
            data = dispatch_report(year, month, as_of)
        except NoPlan:
            raise ValidationError(_("There is no plan for %(year)s.") % {"year": year}) from None
        if format == "xlsx":
            return Built(_workbook_bytes(dispatch_workbook(data)))
        html = render_html("reports/dispatch.html", dispatch_context(data))
    elif kind == "rewards":
        from rewards.exports import reward_workbook
        from rewards.services import reward_summary

        summary = reward_summary(year)
        if format == "xlsx":
            return Built(_workbook_bytes(reward_workbook(summary)))
        html = render_html("reports/rewards.html", rewards_context(summary, year, as_of))
    else:
        raise ValidationError(_("Unknown report kind “%(kind)s”.") % {"kind": kind})
    on_progress(40, _("Typesetting the PDF"))
    pdf = html_to_pdf(html)
    on_progress(90, _("Storing the file"))
    return Built(pdf.content, pdf.pages)


def _frame(title: str, document_number: str, as_of: datetime, dateline: str) -> dict:
    stamp = timezone.localtime(as_of).strftime("%Y-%m-%d %H:%M")
    return {
        "issuer": f"{settings.JITUAN_GROUP_NAME}秘书处",
        "title": title,
        "document_number": document_number,
        "dateline": dateline,
        "header_note": title,
        "colophon": f"数据截至 {stamp}，由集团通生成。",
    }


def _number_prefix(document_number: str) -> str:
    return document_number.split("〔")[0] if "〔" in document_number else settings.JITUAN_GROUP_NAME


def dispatch_context(data: Dispatch) -> dict:
    frame = _frame(
        f"{data.year}年{data.month}月重点工作调度通报",
        f"{_number_prefix(data.plan.document_number)}调度〔{data.year}〕{data.month}号",
        data.as_of,
        f"{settings.JITUAN_GROUP_NAME}秘书处　{data.on:%Y}年{data.on.month}月{data.on.day}日",
    )
    member_rows = [
        ((line.member.short_name or line.member.name), [line.on_time, line.late, line.missing])
        for line in data.members
    ]
    return {
        **frame,
        "dispatch": data,
        "behind_indicators": sum(1 for line in data.indicators if line.is_behind),
        "indicator_chart": horizontal_bars(
            [(line.indicator.name, line.completion) for line in data.indicators]
        ),
        "member_chart": stacked_bars(
            member_rows, [("按时", "#2e7d32"), ("逾期", "#f9a825"), ("未报", "#c62828")]
        ),
    }


def rewards_context(summary, year: int, as_of: datetime) -> dict:
    today = timezone.localdate(as_of)
    frame = _frame(
        f"{year}年度奖补与扣减汇总",
        "",
        as_of,
        f"{settings.JITUAN_GROUP_NAME}秘书处　{today:%Y}年{today.month}月{today.day}日",
    )
    return {**frame, "summary": summary}


def dispatch_workbook(data: Dispatch) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "重点任务"
    sheet.append([f"{data.year}年{data.month}月重点工作调度通报"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    sheet.append(["序号", "任务", "责任单位", "本季度形象进度", "最新进展", "状态"])
    for line in data.tasks:
        progress = "\n".join(f"{name}：{text}" for name, text in line.progress)
        sheet.append(
            [
                line.task.number,
                line.task.title,
                "、".join(line.members),  # the sheet keeps every name
                line.milestone,
                progress,
                STATUS_LABELS[line.status],
            ]
        )
    indicators = workbook.create_sheet("量化指标")
    indicators.append(["指标", "目标", "截至目前", "完成率（%）"])
    for line in data.indicators:
        indicators.append(
            [
                line.indicator.name,
                float(line.indicator.target) if line.indicator.target is not None else None,
                float(line.actual) if line.actual is not None else None,
                float(line.completion) if line.completion is not None else None,
            ]
        )
    members = workbook.create_sheet("报送情况")
    members.append(["成员单位", "按时报送", "逾期报送", "未报送"])
    for line in data.members:
        members.append([line.member.name, line.on_time, line.late, line.missing])
    return workbook


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

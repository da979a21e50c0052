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

from jituan import xlsx
from targets.figures import Mark, TaskStatus

from .charts import horizontal_bars, stacked_bars
from .dispatch import Dispatch, NoPlan, dispatch_report
from .official import official_frame
from .pdf import html_to_pdf, render_html
from .word import html_to_docx

Progress = Callable[[int, str], None]
MARK_COLOURS = {
    Mark.REACHED: "#2e7d32",
    Mark.ON_TRACK: "#1565c0",
    Mark.BEHIND: "#c62828",
    Mark.NO_DATA: "#9e9e9e",
}


@dataclass
class Built:
    content: bytes
    pages: int | None = None
    word: bytes | None = None  # a PDF's Word version, written from the same HTML


@dataclass
class Source:
    """One report read at one cut-off: its official document (a template and its context) and
    its workbook, each built only when asked for."""

    template: str
    context: Callable[[], dict]
    workbook: Callable[[], Workbook]


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
    """The report as `format`: xlsx, docx, or pdf (which brings its Word version along, from
    the same data, so an issued document's two files always agree)."""
    on_progress(10, _("Gathering the data"))
    source = _source(kind, year, month, as_of)
    if format == "xlsx":
        return Built(_workbook_bytes(source.workbook()))
    html = render_html(source.template, source.context())
    if format == "docx":
        return Built(html_to_docx(html))
    on_progress(40, _("Typesetting the PDF"))
    pdf = html_to_pdf(html)
    on_progress(80, _("Writing the Word version"))
    word = html_to_docx(html)
    on_progress(90, _("Storing the file"))
    return Built(pdf.content, pdf.pages, word)


def _source(kind: str, year: int, month: int | None, as_of: datetime) -> Source:
    if kind in ("dispatch", "quarterly"):
        try:
            data = dispatch_report(year, month, as_of)
        except NoPlan:
            raise ValidationError(_("There is no plan for %(year)s.") % {"year": year}) from None
        return Source(
            "reports/dispatch.html",
            lambda: dispatch_context(data, quarterly=kind == "quarterly"),
            lambda: dispatch_workbook(data),
        )
    if kind == "rewards":
        from rewards.exports import reward_workbook
        from rewards.services import reward_summary

        summary = reward_summary(year, as_of=as_of)
        return Source(
            "reports/rewards.html",
            lambda: rewards_context(summary, year, as_of),
            lambda: reward_workbook(summary),
        )
    if kind == "assessment":
        from assessment.exports import assessment_workbook
        from assessment.notice import assessment_notice

        notice = assessment_notice(year, as_of)
        return Source(
            "reports/assessment.html",
            lambda: assessment_context(notice, as_of),
            lambda: assessment_workbook(notice),
        )
    raise ValidationError(_("Unknown report kind “%(kind)s”.") % {"kind": kind})


def cutoff_label(as_of: datetime) -> str:
    """The data cut-off as printed: 2020年6月5日24时, or to the minute if not a day's end."""
    local = timezone.localtime(as_of)
    if (local.hour, local.minute) == (23, 59):
        return f"{local.year}年{local.month}月{local.day}日24时"
    return f"{local.year}年{local.month}月{local.day}日{local:%H:%M}"


def _annotation(as_of: datetime) -> str:
    return f"本文数据截至{cutoff_label(as_of)}，此后审核、录入的数据不计入；由集团通生成"


def dispatch_context(data: Dispatch, *, quarterly: bool = False) -> dict:
    """The monthly report to the council, or, for the city leader, the quarter's (the same
    data read at the quarter's last month: its tasks, lights, instructions and answers)."""
    prefix = settings.JITUAN_DOCUMENT_PREFIX
    frame = official_frame(
        title=f"{data.year}年第{data.quarter}季度重点工作调度通报"
        if quarterly
        else f"{data.year}年{data.month}月重点工作调度通报",
        document_number=f"{prefix}季度调度〔{data.year}〕{data.quarter}号"
        if quarterly
        else f"{prefix}调度〔{data.year}〕{data.month}号",
        signed_on=data.on,
        annotation=_annotation(data.as_of),
    )
    statuses = [TaskStatus.DONE, TaskStatus.ON_TRACK, TaskStatus.BEHIND, TaskStatus.MISSING]
    member_rows = [
        (line.label, [line.task_statuses[status] for status in statuses])
        for line in data.members
        if any(line.task_statuses.values())
    ]
    return {
        **frame,
        "cutoff": cutoff_label(data.as_of),
        "quarterly": quarterly,
        "dispatch": data,
        "behind_indicators": sum(1 for line in data.indicators if line.is_behind),
        "indicator_chart": horizontal_bars(
            [(line.indicator.name, line.completion) for line in data.indicators],
            colours=[MARK_COLOURS[line.mark] for line in data.indicators],
        ),
        "member_chart": stacked_bars(
            member_rows,
            [
                (str(TaskStatus.DONE.label), "#2e7d32"),
                (str(TaskStatus.ON_TRACK.label), "#1565c0"),
                (str(TaskStatus.BEHIND.label), "#c62828"),
                (str(TaskStatus.MISSING.label), "#9e9e9e"),
            ],
        ),
    }


def rewards_context(summary, year: int, as_of: datetime) -> dict:
    frame = official_frame(
        title=f"{year}年度奖补与扣减汇总",
        document_number=f"{settings.JITUAN_DOCUMENT_PREFIX}奖补〔{year}〕1号",
        signed_on=timezone.localdate(as_of),
        annotation=_annotation(as_of),
    )
    return {**frame, "summary": summary}


def assessment_context(notice, as_of: datetime) -> dict:
    assessment = notice.assessment
    confirmed = timezone.localdate(assessment.confirmed_at or as_of)
    frame = official_frame(
        title=f"关于{notice.year}年度成员单位考核结果的通报",
        document_number=f"{settings.JITUAN_DOCUMENT_PREFIX}考核〔{notice.year}〕1号",
        signed_on=confirmed,
        annotation=_annotation(as_of),
    )
    chart_rows = [
        (f"{line.member.short_name or line.member.name}", float(line.score))
        for line in notice.lines
    ]
    return {
        **frame,
        "notice": notice,
        "excellent": notice.members_of("excellent"),
        "failing": notice.members_of("fail"),
        "score_chart": horizontal_bars(
            chart_rows,
            maximum=100,
            marker=float(assessment.pass_from),
            colours=[GRADE_COLOURS[line.grade] for line in notice.lines],
            unit="分",
        ),
    }


GRADE_COLOURS = {"excellent": "#2e7d32", "good": "#1565c0", "pass": "#f9a825", "fail": "#c62828"}


def dispatch_workbook(data: Dispatch) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "重点任务"
    xlsx.append(sheet, [f"{data.year}年{data.month}月重点工作调度通报"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    xlsx.append(sheet, ["序号", "任务", "责任单位", "本季度形象进度", "最新进展", "状态"])
    for line in data.tasks:
        progress = "\n".join(f"{name}：{text}" for name, text in line.progress)
        xlsx.append(
            sheet,
            [
                line.task.number,
                line.task.title,
                "、".join(line.members),  # the sheet keeps every name
                line.milestone,
                progress,
                str(TaskStatus(line.status).label),
            ],
        )
    indicators = workbook.create_sheet("量化指标")
    xlsx.append(indicators, ["指标", "目标", "截至目前", "完成率（%）", "进度判断"])
    for line in data.indicators:
        xlsx.append(
            indicators,
            [
                line.indicator.name,
                _float(line.target),
                _float(line.actual),
                _float(line.completion),
                str(line.mark_label),
            ],
        )
    members = workbook.create_sheet("报送情况")
    xlsx.append(members, ["成员单位", "按时报送", "逾期报送", "未报送"])
    for line in data.members:
        xlsx.append(members, [line.member.name, line.on_time, line.late, line.missing])
    return workbook


def _float(value) -> float | None:
    return None if value is None else float(value)


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

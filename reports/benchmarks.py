"""The dispatch report benchmark: how long gathering the data and writing the HTML take against
WeasyPrint's typesetting (and writing the Word version from the same HTML), on the demo year and
on a synthetic year of 200 members × 100 tasks (created inside a transaction that is rolled
back)."""

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jituan.models import Member
from targets.models import Milestone, Plan, Submission, Task, TaskReport

from .dispatch import dispatch_report
from .documents import dispatch_context
from .pdf import html_to_pdf, render_html
from .word import html_to_docx

SYNTHETIC_YEAR = 2099
AS_OF = datetime(SYNTHETIC_YEAR, 7, 20, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
PHRASES = ["已按计划推进。", "完成阶段任务，正在总结。", "受场地影响略有滞后，已调整方案。"]


def bench_reports(*, stdout, **_options) -> None:
    """`manage.py bench reports`: the demo year when it is loaded, then two synthetic years."""
    stdout.write(
        f"{'year':>16} {'members':>8} {'tasks':>6} {'gather+HTML':>12} {'WeasyPrint':>11} "
        f"{'total':>7} {'share':>6} {'pages':>6} {'queries':>8} {'Word':>7}"
        "  target: gather+HTML <= 10% of the total; queries independent of the members;"
        " Word a small part of the PDF's time"
    )
    runs = []
    if Plan.objects.filter(year=2020).exists():
        runs.append(("demo 2020-05", measure(2020, 5)))
    runs.append(("200 × 100 synth.", measure_synthetic(200, 100)))
    runs.append(("20 × 100 synth.", measure_synthetic(20, 100)))
    for label, f in runs:
        stdout.write(
            f"{label:>16} {f['members']:>8} {f['tasks']:>6} {f['gather_html_s']:>11.2f}s "
            f"{f['weasyprint_s']:>10.2f}s {f['total_s']:>6.2f}s "
            f"{100 * f['gather_html_s'] / f['total_s']:>5.1f}% {f['pages']:>6} "
            f"{f['queries']:>8} {f['word_s']:>6.2f}s"
        )


def measure(year: int, month: int, as_of: datetime | None = None) -> dict:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        data = dispatch_report(year, month, as_of)
        html = render_html("reports/dispatch.html", dispatch_context(data))
        gathered = time.perf_counter()
    pdf = html_to_pdf(html)
    finished = time.perf_counter()
    html_to_docx(html)
    word = time.perf_counter() - finished
    return {
        "members": len(data.members),
        "tasks": len(data.tasks),
        "gather_html_s": gathered - started,
        "weasyprint_s": finished - gathered,
        "total_s": finished - started,
        "pages": pdf.pages,
        "queries": len(queries),
        "word_s": word,
    }


def synthetic_year(members: int, tasks: int) -> None:
    schools = Member.objects.bulk_create(
        Member(name=f"合成学校{n:03d}", kind=Member.Kind.SECONDARY_VOCATIONAL)
        for n in range(members)
    )
    plan = Plan.objects.create(year=SYNTHETIC_YEAR, title="合成年度重点工作")
    created = Task.objects.bulk_create(
        Task(
            plan=plan,
            number=str(n + 1),
            title=f"合成任务{n + 1}",
            position=n,
            deadline=date(SYNTHETIC_YEAR, 12, 31),
        )
        for n in range(tasks)
    )
    Milestone.objects.bulk_create(
        Milestone(task=task, quarter=q, planned=f"第{q}季度形象进度")
        for task in created
        for q in range(1, 5)
    )
    through = Task.responsible_members.through
    through.objects.bulk_create(
        through(task_id=task.pk, member_id=school.pk) for task in created for school in schools
    )
    reviewed = datetime(SYNTHETIC_YEAR, 4, 8, tzinfo=AS_OF.tzinfo)
    submissions = Submission.objects.bulk_create(
        Submission(
            plan=plan,
            member=school,
            quarter=1,
            status="approved",
            submitted_at=reviewed,
            reviewed_at=reviewed,
        )
        for school in schools
    )
    TaskReport.objects.bulk_create(
        TaskReport(submission=s, task=t, status="on_track", progress=PHRASES[(i + j) % 3])
        for i, s in enumerate(submissions)
        for j, t in enumerate(created)
    )


class _Rollback(Exception):
    pass


def measure_synthetic(members: int = 200, tasks: int = 100) -> dict:
    figures = {}
    try:
        with transaction.atomic():
            synthetic_year(members, tasks)
            figures = measure(SYNTHETIC_YEAR, 7, AS_OF)
            raise _Rollback
    except _Rollback:
        pass
    return figures

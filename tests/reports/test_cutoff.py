"""A dispatch report speaks for its month: it reads what was known by its data cut-off, and
rendering it again later gives the same figures whatever was approved or recorded since."""

import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from enrollment.models import Enrollment
from jituan.celery import app as celery_app
from reports.dispatch import dispatch_cutoff, dispatch_report
from reports.models import Report
from reports.services import generate, report_regenerate, request_report
from targets.models import Allocation, Indicator, Plan, Submission, Task, TaskReport

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def plan(school_a, school_b):
    plan = Plan.objects.create(
        year=2020, title="2020 年重点工作", document_number="安职集团〔2020〕2号"
    )
    task = Task.objects.create(
        plan=plan, number="1", title="扩大招生", position=1, deadline=date(2020, 9, 30)
    )
    task.responsible_members.set([school_a, school_b])
    indicator = Indicator.objects.create(
        plan=plan,
        code="enroll",
        name="招生人数",
        unit="人",
        target=1000,
        source="enrollment.total",
    )
    Allocation.objects.create(indicator=indicator, member=school_a, target=600)
    Allocation.objects.create(indicator=indicator, member=school_b, target=400)
    return plan


def record_enrollment(member, *, quota, actual, quota_on, actual_on):
    """Quotas known in spring, actual enrollment recorded in autumn: two versions of one row."""
    row = Enrollment(member=member, year=2020, level="secondary", quota=quota)
    row._history_date = quota_on
    row.save()
    row.actual = actual
    row._history_date = actual_on
    row.save()
    return row


def approved(plan, member, quarter, *, submitted, reviewed, status, progress):
    submission = Submission.objects.create(
        plan=plan,
        member=member,
        quarter=quarter,
        status=Submission.Status.APPROVED,
        submitted_at=submitted,
        first_submitted_at=submitted,
        reviewed_at=reviewed,
    )
    TaskReport.objects.create(
        submission=submission, task=plan.tasks.get(), status=status, progress=progress
    )
    return submission


@pytest.fixture
def year_of_work(plan, school_a, school_b):
    record_enrollment(
        school_a, quota=600, actual=620, quota_on=at(2020, 3, 15), actual_on=at(2020, 9, 30)
    )
    approved(
        plan,
        school_a,
        1,
        submitted=at(2020, 4, 8),
        reviewed=at(2020, 4, 12),
        status="on_track",
        progress="一季度：招生宣传已启动",
    )
    # Q2, approved in July: after the May report's cut-off.
    approved(
        plan,
        school_a,
        2,
        submitted=at(2020, 7, 8),
        reviewed=at(2020, 7, 15),
        status="done",
        progress="二季度：招生任务全部完成",
    )
    return plan


def test_the_cutoff_is_five_days_after_the_month_or_now(settings):
    cutoff = dispatch_cutoff(2020, 5)
    assert cutoff.astimezone(SHANGHAI).date() == date(2020, 6, 5)
    assert (cutoff.astimezone(SHANGHAI).hour, cutoff.astimezone(SHANGHAI).minute) == (23, 59)
    settings.JITUAN_DISPATCH_CUTOFF_DAYS = 10
    assert dispatch_cutoff(2020, 5).astimezone(SHANGHAI).date() == date(2020, 6, 10)
    now = at(2020, 6, 2, 9)
    assert dispatch_cutoff(2020, 5, now=now) == now


def test_the_may_report_reads_only_what_was_known_by_its_cutoff(year_of_work, school_b):
    # Approved after the cut-off: school_b's Q1 report, reviewed on June 20.
    approved(
        year_of_work,
        school_b,
        1,
        submitted=at(2020, 4, 9),
        reviewed=at(2020, 6, 20),
        status="done",
        progress="乙校：六月才审核通过",
    )
    report = dispatch_report(2020, 5)
    [task] = report.tasks
    assert task.status == "on_track"  # not 完成: the Q2 "done" was approved in July
    assert [text for _name, text in task.progress] == ["一季度：招生宣传已启动"]
    [enrollment] = report.indicators
    assert enrollment.actual is None  # the autumn intake was recorded in September
    assert enrollment.mark == "no_data"
    members = {line.member.name: line for line in report.members}
    # school_b's Q1 was submitted on time in April, whatever its review date.
    assert (members["安徽化工学校"].on_time, members["安徽化工学校"].missing) == (1, 0)
    # Later in the year the same data says more.
    october = dispatch_report(2020, 10)
    assert october.tasks[0].status == "done"  # both schools have said done by then
    assert october.indicators[0].actual == 620


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def pdf_text(report: Report) -> str:
    """The PDF's text in reading order, with the line breaks of narrow table cells undone."""
    report.refresh_from_db()
    text = subprocess.run(
        ["pdftotext", report.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    return "".join(text.split())


def test_rendering_an_archived_report_again_gives_the_same_figures(
    year_of_work, school_b, secretariat, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="dispatch", year=2020, month=5, user=secretariat)
    first = pdf_text(report)
    assert "数据截至2020年6月5日24时" in first
    assert "一季度：招生宣传已启动" in first and "二季度" not in first
    # Since then: more approvals and a corrected register figure.
    approved(
        year_of_work,
        school_b,
        1,
        submitted=at(2026, 11, 19),
        reviewed=at(2026, 11, 20),
        status="done",
        progress="乙校：今天才审核",
    )
    row = Enrollment.objects.get(member__name="安庆工业学校")
    row.quota, row.actual = 999, 999
    row.save()
    with django_capture_on_commit_callbacks(execute=True):
        report_regenerate(report=report, user=secretariat)
    assert pdf_text(report) == first
    # A redelivered task for the finished report leaves it alone too.
    assert generate(report.pk).sha256 == Report.objects.get(pk=report.pk).sha256

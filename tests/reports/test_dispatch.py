"""The monthly dispatch report's figures, worked out by hand on a small plan."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.dispatch import dispatch_report
from targets.figures import TaskStatus
from targets.models import Milestone, Plan, Submission, Task, TaskReport
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
DONE, ON_TRACK, BEHIND, MISSING = TaskStatus.values
SHANGHAI = ZoneInfo("Asia/Shanghai")
JULY_20 = datetime(2020, 7, 20, 12, tzinfo=SHANGHAI)


@pytest.fixture
def plan(school_a, school_b):
    plan = Plan.objects.create(
        year=2020, title="2020 年重点工作", document_number="安职集团〔2020〕2号"
    )
    first = Task.objects.create(plan=plan, number="1", title="扩大招生", position=1)
    first.responsible_members.set([school_a, school_b])
    second = Task.objects.create(
        plan=plan, number="2", title="订单班", position=2, deadline=date(2020, 6, 30)
    )
    second.responsible_members.set([school_a])
    Milestone.objects.create(task=first, quarter=3, planned="完成秋季招生")
    return plan


def approve(plan, member, quarter, reviewed_at, rows, *, status="approved", late=False):
    submission = Submission.objects.create(
        plan=plan,
        member=member,
        quarter=quarter,
        status=status,
        submitted_at=reviewed_at,
        first_submitted_at=None if status == "draft" else reviewed_at,
        reviewed_at=reviewed_at,
        is_late=late,
    )
    for task, state, text in rows:
        TaskReport.objects.create(
            submission=submission,
            task=task,
            status=state,
            progress=text,
            behind_reason="缺少场地" if state == BEHIND else "",
        )
    return submission


def test_it_reads_approved_reports_up_to_its_as_of_time(plan, school_a, school_b):
    first, second = plan.tasks.order_by("position")
    may = datetime(2020, 5, 5, tzinfo=SHANGHAI)
    approve(plan, school_a, 1, may, [(first, DONE, "甲校完成"), (second, BEHIND, "场地未落实")])
    approve(plan, school_b, 1, may, [(first, ON_TRACK, "乙校推进")], late=True)
    # A draft and a later approval must not reach a report made on July 20.
    approve(plan, school_b, 2, JULY_20, [(first, DONE, "草稿")], status="draft")
    approve(plan, school_a, 2, datetime(2020, 8, 1, tzinfo=SHANGHAI), [(second, DONE, "八月")])

    report = dispatch_report(2020, 7, as_of=JULY_20)
    assert (report.quarter, report.on) == (3, date(2020, 7, 20))
    lines = {line.task.number: line for line in report.tasks}
    assert lines["1"].status == ON_TRACK
    assert lines["1"].milestone == "完成秋季招生"
    assert sorted(lines["1"].progress) == [("安庆工校", "甲校完成"), ("安徽化工学校", "乙校推进")]
    assert lines["2"].status == BEHIND
    assert lines["2"].behind_reasons == ["安庆工校：缺少场地"]
    assert [line.task.number for line in report.overdue_tasks] == ["2"]
    assert report.status_counts == {DONE: 0, ON_TRACK: 1, BEHIND: 1, MISSING: 0}

    later = dispatch_report(2020, 8, as_of=datetime(2020, 8, 2, tzinfo=SHANGHAI))
    assert {line.task.number: line.status for line in later.tasks}["2"] == DONE


def test_it_counts_each_members_submissions_due_by_the_report_day(plan, school_a, school_b):
    may = datetime(2020, 4, 8, tzinfo=SHANGHAI)
    first = plan.tasks.get(number="1")
    approve(plan, school_a, 1, may, [(first, ON_TRACK, "推进")])
    approve(plan, school_b, 1, datetime(2020, 4, 25, tzinfo=SHANGHAI), [], late=True)
    # Q1 was due on April 10 (default: 10 days after the quarter); Q2 on July 10.
    report = dispatch_report(2020, 7, as_of=JULY_20)
    members = {line.member.name: line for line in report.members}
    a, b = members["安庆工业学校"], members["安徽化工学校"]
    assert (a.on_time, a.late, a.missing, a.missing_quarters) == (1, 0, 1, [2])
    assert (b.on_time, b.late, b.missing) == (0, 1, 1)
    assert {line.member.name for line in report.missing_submissions} == {
        "安庆工业学校",
        "安徽化工学校",
    }


def test_its_query_count_does_not_grow_with_the_members(plan):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            dispatch_report(2020, 7, as_of=JULY_20)
        return len(captured)

    few = queries()
    task = plan.tasks.get(number="1")
    for n in range(30):
        member = MemberFactory(name=f"第{n}学校")
        task.responsible_members.add(member)
        approve(plan, member, 1, datetime(2020, 4, 1, tzinfo=SHANGHAI), [(task, DONE, f"{n}")])
    assert queries() == few


def test_a_long_list_of_schools_is_shortened():
    from reports.dispatch import names_label

    assert names_label(["甲", "乙"]) == "甲、乙"
    many = [f"校{n}" for n in range(40)]
    assert names_label(many) == "校0、校1、校2、校3、校4、校5、校6、校7等 40 个单位"

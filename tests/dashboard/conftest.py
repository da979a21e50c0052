"""A small year worked by hand: school_a (urban) and school_b (county, 怀宁县).

- enrollment: target 1,000 split 600 / 400; enrolled 540 / 420 → group 960 (96.0%),
  A 90.0%, B 105.0%.
- local employment (rate, 30%): A 30 of 100, B 60 of 300 → group 90 / 400 = 22.5% (75.0%).
- order classes entered in submissions (target 10, not split): A approved Q1 2 then Q2 5, B
  approved Q1 3 and a Q2 of 9 only submitted → group 5 + 3 = 8 (80.0%).
- a 2024 plan carries local employment on to a 40 / 42% trajectory; A reports 40 of 100 in 2024.
"""

from datetime import date
from decimal import Decimal

import pytest

from enrollment.models import Enrollment, GraduateCount
from targets.models import (
    Allocation,
    Indicator,
    IndicatorReport,
    Plan,
    Submission,
    Task,
    TrajectoryPoint,
)


@pytest.fixture
def year(school_a, school_b):
    plan = Plan.objects.create(year=2020, title="2020 年重点工作")
    task = Task.objects.create(plan=plan, number="1", title="订单班", deadline=date(2020, 12, 31))
    task.responsible_members.set([school_a, school_b])
    enroll = Indicator.objects.create(
        plan=plan,
        code="enroll",
        name="招生",
        unit="人",
        target=1000,
        position=1,
        source="enrollment.total",
    )
    Allocation.objects.create(indicator=enroll, member=school_a, target=600)
    Allocation.objects.create(indicator=enroll, member=school_b, target=400)
    for member, actual in ((school_a, 540), (school_b, 420)):
        Enrollment.objects.create(member=member, year=2020, level="secondary", actual=actual)
    local = Indicator.objects.create(
        plan=plan,
        code="local",
        name="本地就业率",
        unit="%",
        kind="rate",
        target=30,
        position=2,
        task=task,  # the liaisons of the task's members see it
        source="graduates.local_rate",
    )
    GraduateCount.objects.create(member=school_a, year=2020, graduates=100, employed_locally=30)
    GraduateCount.objects.create(member=school_b, year=2020, graduates=300, employed_locally=60)
    classes = Indicator.objects.create(
        plan=plan, code="classes", name="订单班", unit="个", target=10, position=3, task=task
    )
    reported = {}
    for member, quarter, status, value in (
        (school_a, 1, "approved", 2),
        (school_a, 2, "approved", 5),
        (school_b, 1, "approved", 3),
        (school_b, 2, "submitted", 9),
    ):
        submission = Submission.objects.create(
            plan=plan, member=member, quarter=quarter, status=status
        )
        IndicatorReport.objects.create(
            submission=submission, indicator=classes, value=Decimal(value)
        )
        reported[(member.name, quarter)] = submission
    later = Plan.objects.create(year=2024, title="2024—2027")
    carried = Indicator.objects.create(
        plan=later,
        code="local",
        name="留地就业率",
        unit="%",
        kind="rate",
        target=40,
        source="graduates.local_rate",
    )
    TrajectoryPoint.objects.create(indicator=carried, year=2024, target=40)
    TrajectoryPoint.objects.create(indicator=carried, year=2025, target=42)
    GraduateCount.objects.create(member=school_a, year=2024, graduates=100, employed_locally=40)
    return {
        "plan": plan,
        "enroll": enroll,
        "local": local,
        "classes": classes,
        "submissions": reported,
    }

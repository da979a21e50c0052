"""The 2024 rules and fund from the policy, and small builders for the records they pay for."""

from datetime import date

import pytest

from partnerships.models import Enterprise, OrderClass
from rewards.models import DeductionRule, RewardFund, RewardRule, StudentIntake
from targets.models import Allocation, Indicator, IndicatorReport, Plan, Submission, Task
from tests.factories import certified

YEAR = 2024
# Q3 is closed (due 10 Oct, 10 days' grace), Q4 not due yet.
TODAY = date(2024, 11, 1)
POLICY = [
    ("order_class", "校企合作班补助", 100_000, 20),
    ("source_school", "生源地学校奖励", 500, None),
    ("cross_city", "跨市招生奖励", 1_000, None),
    ("provincial_consortium", "省级产教联合体", 500_000, None),
    ("national_consortium", "国家级产教联合体", 1_000_000, None),
    ("provincial_college", "省级产业学院", 300_000, None),
]


@pytest.fixture
def fund(db):
    return RewardFund.objects.create(year=YEAR, reward_fund=5_000_000, running_budget=500_000)


@pytest.fixture
def rules(fund):
    return {
        kind: RewardRule.objects.create(
            year=YEAR, kind=kind, label=label, amount=amount, min_students=size
        )
        for kind, label, amount, size in POLICY
    }


@pytest.fixture
def deduction_rules(db):
    return {
        kind: DeductionRule.objects.create(
            year=YEAR, kind=kind, label=label, amount=amount, threshold_percent=threshold
        )
        for kind, label, amount, threshold in (
            ("missing", "未报季度进展", 20_000, None),
            ("late", "逾期报送", 5_000, None),
            ("below_target", "指标未达标", 10_000, 10),
        )
    }


def order_class(
    member,
    students,
    *,
    major="机电技术应用",
    firm="安徽环新集团有限公司",
    year=YEAR,
    status="certified",
):
    """An order class, certified unless status says otherwise (submitted, rejected, or None:
    never submitted)."""
    enterprise, _ = Enterprise.objects.get_or_create(name=firm)
    record = OrderClass.objects.create(
        member=member, enterprise=enterprise, major=major, year=year, students=students
    )
    return certified(record, status=status) if status else record


def intake(member, school, students, *, cross_city=False, year=YEAR, status="certified"):
    record = StudentIntake.objects.create(
        member=member, year=year, source_school=school, is_cross_city=cross_city, students=students
    )
    return certified(record, status=status) if status else record


def plan_with_reports(members, *, late=(), missing=(), actual=None):
    """The 2024 plan: a task for the members, an indicator allocated 100 to each, and approved
    submissions for Q1–Q3 except the (member, quarter) pairs missing; actual[member] is the
    indicator's value in Q3 (default 100)."""
    plan, _ = Plan.objects.get_or_create(year=YEAR, defaults={"title": "2024 年重点工作"})
    # Called again, it adds the members to the same task and indicator.
    task, _ = Task.objects.get_or_create(plan=plan, number="1", defaults={"title": "扩大招生"})
    task.responsible_members.add(*members)
    indicator, _ = Indicator.objects.get_or_create(
        plan=plan, code="secondary", defaults={"name": "中职招生", "unit": "人", "target": 100}
    )
    actual = actual or {}
    for member in members:
        Allocation.objects.create(indicator=indicator, member=member, target=100)
        for quarter in (1, 2, 3):
            if (member, quarter) in missing:
                continue
            submission = Submission.objects.create(
                plan=plan,
                member=member,
                quarter=quarter,
                status=Submission.Status.APPROVED,
                is_late=(member, quarter) in late,
            )
            if quarter == 3:
                IndicatorReport.objects.create(
                    submission=submission, indicator=indicator, value=actual.get(member, 100)
                )
    return plan

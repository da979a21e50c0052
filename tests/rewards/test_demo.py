"""The demo's 2024 slice: the policy's rules and fund, and a summary with content: rewards, and
the deductions its quarterly reporting earns."""

import pytest
from django.core.management import call_command

from partnerships.models import OrderClass
from rewards.models import DeductionRule, RewardFund, RewardRule, StudentIntake
from rewards.services import reward_summary

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_2024_policy_and_is_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = [m.objects.count() for m in (RewardRule, DeductionRule, StudentIntake, OrderClass)]
    call_command("seed_demo", stdout=open("/dev/null", "w"))

    assert [m.objects.count() for m in (RewardRule, DeductionRule, StudentIntake, OrderClass)] == (
        counts
    )
    fund = RewardFund.objects.get(year=2024)
    assert (fund.reward_fund, fund.running_budget) == (5_000_000, 500_000)
    amounts = dict(RewardRule.objects.filter(year=2024).values_list("kind", "amount"))
    assert amounts == {
        "order_class": 100_000,
        "source_school": 500,
        "cross_city": 1_000,
        "provincial_consortium": 500_000,
        "national_consortium": 1_000_000,
        "provincial_college": 300_000,
    }
    summary = reward_summary(2024)
    # Paid, being certified: 5 of the 7 qualifying classes, 95 cross-city students, a
    # provincial consortium and college, and 371 students from city source schools.
    rewards = sum(
        line.amount for m in summary.members for line in m.rewards if "考核" not in line.rule
    )
    assert rewards == 500_000 + 95_000 + 500_000 + 300_000
    assert summary.outside_total == 371 * 500
    # Awaiting certification: 安徽理工学校's class, 怀宁县独秀初级中学's 150 students; rejected:
    # 桐城中华职业学校's class, for its evidence.
    assert sorted((p.payee, p.line.amount, p.state.state) for p in summary.pending) == [
        ("安徽理工学校", 100_000, "submitted"),
        ("怀宁县独秀初级中学", 75_000, "submitted"),
        ("桐城中华职业学校", 100_000, "rejected"),
    ]
    assert summary.pending_total == 275_000
    # Less what the demo's 2024 reporting costs: every member's fourth quarter is unreported
    # (the demo reports Q1–Q3), and some a quarter missing or late besides; no member's total
    # goes below zero.
    deductions = {(m.member.name, line.basis) for m in summary.members for line in m.deductions}
    assert ("大别山科技学校", "2024 年第 2 季度未报") in deductions
    assert ("江淮工业学校", "2024 年第 2 季度逾期报送") in deductions
    assert len([m for m in summary.members if m.deductions]) == 16
    # The 2024 majors indicators (full coverage of leading industries, every major with two
    # partner enterprises) cost ¥10,000 per member short of them.
    majors = [line for m in summary.members for line in m.deductions if "专业" in line.basis]
    assert len(majors) == 19 and {line.amount for line in majors} == {10_000}
    # The confirmed 2024 assessment raises each 优秀 member's total by 10% (桐城中华职业学校 is
    # 优秀 too, but has nothing to raise): 460,000, 95,000, 70,000 and 110,000 before.
    raised = {
        m.name: line.amount for m in summary.members for line in m.rewards if "考核" in line.rule
    }
    assert raised == {
        "安庆职业技术学院": 46_000,
        "安庆工业学校": 9_500,
        "安庆技师学院": 7_000,
        "安徽化工学校": 11_000,
    }
    assert summary.members_total == 460_000 + 95_000 + 70_000 + 110_000 + 73_500 + 480_000
    assert not summary.exceeds_fund

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
    # 7 qualifying classes, 95 cross-city students, a provincial consortium and college, and
    # 521 students from city source schools.
    rewards = sum(member.rewards_total for member in summary.members)
    assert rewards == 700_000 + 95_000 + 500_000 + 300_000
    assert summary.outside_total == 521 * 500
    # Less what the demo's 2024 reporting costs: every member's fourth quarter is unreported
    # (the demo reports Q1–Q3), and some a quarter missing or late besides; no member's total
    # goes below zero (8 of the 16 members are left with nothing).
    deductions = {(m.member.name, line.basis) for m in summary.members for line in m.deductions}
    assert ("大别山科技学校", "2024 年第 2 季度未报") in deductions
    assert ("江淮工业学校", "2024 年第 2 季度逾期报送") in deductions
    assert len([m for m in summary.members if m.deductions]) == 16
    # The 2024 majors indicators (full coverage of leading industries, every major with two
    # partner enterprises) cost ¥10,000 per member short of them.
    majors = [line for m in summary.members for line in m.deductions if "专业" in line.basis]
    assert len(majors) == 19 and {line.amount for line in majors} == {10_000}
    # (members already at zero lose nothing more, so the total drops by less than ¥190,000)
    assert summary.members_total == 1_345_000
    assert not summary.exceeds_fund

"""The demo's 2024 slice: the policy's rules and fund, and a summary with content."""

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
    assert summary.members_total == 700_000 + 95_000 + 500_000 + 300_000
    assert summary.outside_total == 521 * 500
    assert not summary.exceeds_fund

"""The yearly summary's money, worked out by hand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Consortium, IndustryCollege
from rewards.services import reward_summary, scale_to_fund
from tests.factories import MemberFactory

from .conftest import TODAY, YEAR, intake, order_class, plan_with_reports

pytestmark = pytest.mark.django_db


def member_row(summary, member):
    return next(row for row in summary.members if row.member == member)


def test_it_pays_100000_per_class_of_20_or_more_and_nothing_for_19(rules, school_a):
    for students, major in ((20, "数控"), (25, "机电"), (40, "汽修"), (19, "会计")):
        order_class(school_a, students, major=major)
    order_class(school_a, 45, major="往年", year=2023)

    row = member_row(reward_summary(YEAR, today=TODAY), school_a)

    assert row.rewards_total == 300_000
    assert [line.amount for line in row.rewards] == [100_000] * 3
    assert not any("会计" in line.basis for line in row.rewards)
    assert "安徽环新集团有限公司" in row.rewards[0].basis and "20" in row.rewards[0].basis


def test_it_takes_the_class_size_from_the_rule(rules, school_a):
    rules["order_class"].min_students = 30
    rules["order_class"].save()
    order_class(school_a, 25)
    assert reward_summary(YEAR, today=TODAY).members == []


def test_it_pays_the_source_school_outside_the_group(rules, school_a):
    intake(school_a, "安庆市第十五中学", 120)

    summary = reward_summary(YEAR, today=TODAY)

    assert summary.members == []
    [payee] = summary.outside_payees
    assert (payee.name, payee.total) == ("安庆市第十五中学", 60_000)
    assert school_a.name in payee.lines[0].basis
    assert summary.outside_total == summary.group_total == 60_000


def test_it_pays_the_receiving_school_per_cross_city_student(rules, school_a):
    intake(school_a, "池州市第十一中学", 35, cross_city=True)

    summary = reward_summary(YEAR, today=TODAY)

    assert member_row(summary, school_a).rewards_total == 35_000
    assert summary.outside_payees == []  # a school of another city is not paid


def test_it_rewards_consortia_and_colleges_built_that_year_at_their_level(rules, school_a):
    zone = MemberFactory(name="安庆经济技术开发区产教联合体", kind="government")
    Consortium.objects.create(
        name="经开区联合体", scope="city", level="provincial", member=zone, founded=YEAR
    )
    Consortium.objects.create(name="高新区联合体", scope="city", level="national", founded=YEAR)
    Consortium.objects.create(name="老联合体", scope="city", level="provincial", founded=2023)
    Consortium.objects.create(name="县域联合体", scope="county", level="none", founded=YEAR)
    IndustryCollege.objects.create(
        member=school_a, name="汽车产业学院", industry="汽车", level="provincial", founded=YEAR
    )
    IndustryCollege.objects.create(
        member=school_a, name="化工产业学院", industry="化工", level="none", founded=YEAR
    )

    summary = reward_summary(YEAR, today=TODAY)

    assert member_row(summary, zone).rewards_total == 500_000
    assert member_row(summary, school_a).rewards_total == 300_000
    assert "汽车产业学院" in member_row(summary, school_a).rewards[0].basis
    # A consortium without a member is paid as a payee outside the group.
    assert [(p.name, p.total) for p in summary.outside_payees] == [("高新区联合体", 1_000_000)]
    assert summary.group_total == 1_800_000


def test_it_deducts_missing_and_late_quarters_and_indicators_below_target(
    rules, deduction_rules, school_a, school_b
):
    plan_with_reports(
        [school_a, school_b],
        late={(school_a, 2)},
        missing={(school_a, 1)},
        actual={school_a: 85, school_b: 95},  # 85% is 15 points short: more than 10%
    )
    for students in (30, 30, 30):
        order_class(school_a, students)

    summary = reward_summary(YEAR, today=TODAY)

    row = member_row(summary, school_a)
    assert [(line.rule, line.amount) for line in row.deductions] == [
        ("未报季度进展", 20_000),
        ("逾期报送", 5_000),
        ("指标未达标", 10_000),
    ]
    assert "中职招生" in row.deductions[2].basis and "85" in row.deductions[2].basis
    # 3 classes 300,000 − (20,000 + 5,000 + 10,000)
    assert (row.rewards_total, row.deductions_total, row.total) == (300_000, 35_000, 265_000)
    # Q4 is not due yet on TODAY; school_b reported everything and reached 95%.
    assert school_b not in [r.member for r in summary.members]


def test_deductions_never_take_a_total_below_zero(deduction_rules, school_a):
    plan_with_reports([school_a], missing={(school_a, 1), (school_a, 2)})
    row = member_row(reward_summary(YEAR, today=TODAY), school_a)
    assert (row.deductions_total, row.total) == (40_000, 0)


def test_members_without_a_plan_get_no_deductions(rules, deduction_rules, school_a):
    order_class(school_a, 30)
    row = member_row(reward_summary(YEAR, today=TODAY), school_a)
    assert (row.deductions, row.total) == ([], 100_000)


def test_it_flags_a_group_over_the_fund_and_scales_it_to_the_fund_exactly(
    fund, rules, school_a, school_b
):
    fund.reward_fund = 500_000
    fund.save()
    school_c = MemberFactory()
    for member, classes in ((school_a, 3), (school_b, 2), (school_c, 1)):
        for n in range(classes):
            order_class(member, 30, major=f"专业{n}")

    plain = reward_summary(YEAR, today=TODAY)
    assert (plain.group_total, plain.exceeds_fund, plain.excess) == (600_000, True, 100_000)
    assert not plain.scaled and plain.members[0].scaled_total is None

    scaled = reward_summary(YEAR, scale=True, today=TODAY)
    # 600,000 → 500,000: 250,000; 166,666.67; 83,333.33 — the leftover yuan goes to 166,666.67.
    totals = {row.member: row.scaled_total for row in scaled.members}
    assert totals == {school_a: 250_000, school_b: 166_667, school_c: 83_333}
    assert scaled.payable_total == 500_000
    assert scaled.scale_percent == "83.33"


def test_the_years_setting_scales_unless_the_caller_says_otherwise(fund, rules, school_a):
    fund.reward_fund, fund.scale_to_fund = 150_000, True
    fund.save()
    order_class(school_a, 30, major="一")
    order_class(school_a, 30, major="二")
    intake(school_a, "安庆市第四中学", 100)  # 50,000 to a payee outside the group

    summary = reward_summary(YEAR, today=TODAY)

    # 250,000 → 150,000 (60%): the member 120,000 and the source school 30,000.
    assert member_row(summary, school_a).scaled_total == 120_000
    assert summary.outside_payees[0].scaled_total == 30_000
    assert reward_summary(YEAR, scale=False, today=TODAY).scaled is False


def test_it_does_not_scale_a_group_within_the_fund(fund, rules, school_a):
    order_class(school_a, 30)
    summary = reward_summary(YEAR, scale=True, today=TODAY)
    assert (summary.exceeds_fund, summary.scaled) == (False, False)
    assert summary.members[0].payable == 100_000


@pytest.mark.parametrize(
    ("totals", "fund", "expected"),
    [
        ([1, 1, 1], 2, [1, 1, 0]),  # equal remainders: the first listed first
        ([300_000, 200_000, 100_000], 500_000, [250_000, 166_667, 83_333]),
        ([7, 0, 3], 5, [4, 0, 1]),  # 3.5 and 1.5: the tie goes to the first
        ([999_999, 1], 10, [10, 0]),
    ],
)
def test_scale_to_fund_adds_up_to_the_fund(totals, fund, expected):
    assert scale_to_fund(totals, fund) == expected
    assert sum(expected) == fund


def test_it_reads_other_years_rules_not_these(rules, school_a):
    order_class(school_a, 30, year=2025)
    assert reward_summary(2025, today=TODAY).members == []


def build_group(size):
    members = [MemberFactory() for _ in range(size)]
    for member in members:
        order_class(member, 30, major=f"专业{member.pk}")
        intake(member, f"生源学校{member.pk}", 10)
        intake(member, f"外市学校{member.pk}", 5, cross_city=True)
        IndustryCollege.objects.create(
            member=member,
            name=f"学院{member.pk}",
            industry="汽车",
            level="provincial",
            founded=YEAR,
        )
    plan_with_reports(members, late={(members[0], 2)}, actual={m: 50 for m in members})


@pytest.mark.parametrize("size", [2, 6])
def test_it_takes_the_same_number_of_queries_for_any_number_of_members(
    size, rules, deduction_rules
):
    build_group(2)
    with CaptureQueriesContext(connection) as small:
        reward_summary(YEAR, today=TODAY)
    build_group(size)
    with CaptureQueriesContext(connection) as large:
        summary = reward_summary(YEAR, today=TODAY)
    assert len(summary.members) == 2 + size
    assert len(large.captured_queries) == len(small.captured_queries)

"""The yearly summary's money, worked out by hand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.models import Certification
from certification.services import certification_certify
from jituan.models import User
from partnerships.models import Consortium, IndustryCollege
from rewards.services import reward_summary, scale_to_fund
from tests.factories import MemberFactory, certified

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


def consortium(name, level="none", *, level_year=None, founded=YEAR, **fields):
    return certified(
        Consortium.objects.create(
            name=name, scope="city", level=level, level_year=level_year, founded=founded, **fields
        )
    )


def college(member, name, level="none", *, level_year=None, founded=YEAR):
    return certified(
        IndustryCollege.objects.create(
            member=member,
            name=name,
            industry="汽车",
            level=level,
            level_year=level_year,
            founded=founded,
        )
    )


def test_it_rewards_consortia_and_colleges_in_the_year_they_reached_their_level(rules, school_a):
    zone = MemberFactory(name="安庆经济技术开发区产教联合体", kind="government")
    consortium("经开区联合体", "provincial", level_year=YEAR, member=zone)
    consortium("高新区联合体", "national", level_year=YEAR)
    consortium("老联合体", "provincial", level_year=2023, founded=2023)
    # Founded before, rated this year: paid this year, once.
    consortium("宿松联合体", "provincial", level_year=YEAR, founded=2022)
    consortium("县域联合体")
    college(school_a, "汽车产业学院", "provincial", level_year=YEAR)
    college(school_a, "化工产业学院")

    summary = reward_summary(YEAR, today=TODAY)

    assert member_row(summary, zone).rewards_total == 500_000
    assert member_row(summary, school_a).rewards_total == 300_000
    assert "汽车产业学院" in member_row(summary, school_a).rewards[0].basis
    assert {p.name: p.total for p in summary.outside_payees} == {
        "高新区联合体": 1_000_000,
        "宿松联合体": 500_000,
    }
    assert reward_summary(2022, today=TODAY).outside_payees == []
    assert reward_summary(2025, today=TODAY).members == []


def test_it_pays_only_certified_records_and_lists_the_others_as_pending(rules, school_a):
    order_class(school_a, 30, major="数控")  # certified: paid
    order_class(school_a, 25, major="机电", status="submitted")
    order_class(school_a, 40, major="汽修", status="rejected")
    order_class(school_a, 22, major="电商", status=None)  # never submitted
    changed = order_class(school_a, 35, major="会计")
    changed.students = 36  # changed after it was certified: a new version to certify
    changed.save()
    intake(school_a, "安庆市第十五中学", 100, status="submitted")

    summary = reward_summary(YEAR, today=TODAY)

    row = member_row(summary, school_a)
    assert row.rewards_total == row.total == 100_000
    assert summary.group_total == 100_000
    assert summary.outside_payees == []
    assert len(summary.pending) == 5
    assert summary.pending_total == 4 * 100_000 + 100 * 500
    assert sorted(p.state.state for p in summary.pending) == [
        "changed",
        "not_submitted",
        "rejected",
        "submitted",
        "submitted",
    ]
    rejected = next(p for p in summary.pending if p.state.state == "rejected")
    assert rejected.reason == "证明材料不全"
    assert {p.payee for p in summary.pending} == {school_a.name, "安庆市第十五中学"}


def test_a_record_certified_after_the_cut_off_is_pending_as_of_it(rules, school_a):
    record = order_class(school_a, 30, status="submitted")
    cut_off = timezone.now()
    certification_certify(
        certification=Certification.objects.get(object_id=record.pk),
        user=User.objects.get(username="certifier"),
    )

    assert reward_summary(YEAR, today=TODAY, as_of=cut_off).group_total == 0
    assert reward_summary(YEAR, today=TODAY).group_total == 100_000


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
        college(member, f"学院{member.pk}", "provincial", level_year=YEAR)
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


def confirmed_assessment(grades: dict, *, confirmed=True):
    from decimal import Decimal

    from assessment.models import Assessment, MemberScore

    assessment = Assessment.objects.create(
        year=YEAR,
        status="confirmed" if confirmed else "draft",
        confirmed_at=timezone.now() if confirmed else None,
    )
    for member, (grade, score) in grades.items():
        MemberScore.objects.create(
            assessment=assessment,
            member=member,
            computed=Decimal(score),
            score=Decimal(score),
            rank=1,
            grade=grade,
        )
    return assessment


def grade_rules():
    from rewards.models import GradeRule

    GradeRule.objects.create(year=YEAR, grade="excellent", label="考核优秀上浮", percent=10)
    GradeRule.objects.create(year=YEAR, grade="fail", label="考核不合格不予奖补", percent=-100)


def test_a_confirmed_assessment_moves_each_members_total_by_its_grade(rules, school_a, school_b):
    school_c = MemberFactory(name="丙职业学校")
    for member in (school_a, school_b, school_c):
        order_class(member, 30, major=f"专业{member.pk}")
    intake(school_a, "池州市第十一中学", 35, cross_city=True)
    grade_rules()
    confirmed_assessment(
        {school_a: ("excellent", "92.5"), school_b: ("fail", "51"), school_c: ("good", "85")}
    )

    summary = reward_summary(YEAR, today=TODAY)

    a, b, c = (member_row(summary, m) for m in (school_a, school_b, school_c))
    # 100,000 + 35 × 1,000 = 135,000, raised by 10%: 13,500.
    assert (a.rewards_total, a.total) == (148_500, 148_500)
    assert "92.5" in a.rewards[-1].basis and "+10%" in a.rewards[-1].basis
    assert (b.rewards_total, b.deductions_total, b.total) == (100_000, 100_000, 0)
    assert c.total == 100_000  # no rule for 良好
    assert summary.group_total == 248_500
    assert summary.assessment is not None


def test_a_draft_assessment_moves_no_money(rules, school_a):
    order_class(school_a, 30)
    grade_rules()
    confirmed_assessment({school_a: ("excellent", "95")}, confirmed=False)

    summary = reward_summary(YEAR, today=TODAY)

    assert member_row(summary, school_a).total == 100_000
    assert summary.assessment is None

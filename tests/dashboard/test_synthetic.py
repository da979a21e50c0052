"""The synthetic group: what it builds adds up, it refuses years already planned, and the
dashboard benchmark runs on it."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from dashboard.synthetic import SeedRefused, seed_synthetic
from enrollment.models import Enrollment
from jituan.models import Member, User
from targets.models import Allocation, Indicator, IndicatorReport, Plan, Submission, TaskReport

pytestmark = pytest.mark.django_db


def test_every_member_reports_on_every_task_in_each_quarter_already_due():
    # Mid-2021: all of 2020 is due, and 2021 Q1 (due 10 April); Q2 is due on 10 July.
    result = seed_synthetic(members=6, years=2, tasks=4, first_year=2020, today=date(2021, 7, 1))
    assert Member.objects.filter(name__startswith="合成").count() == 6
    assert sorted(
        Submission.objects.order_by().values_list("quarter", "plan__year").distinct()
    ) == [
        (1, 2020),
        (1, 2021),
        (2, 2020),
        (3, 2020),
        (4, 2020),
    ]
    submissions = Submission.objects.count()
    assert result.submissions == submissions <= 6 * 5
    assert result.task_reports == TaskReport.objects.count() == submissions * 4
    manual = Indicator.objects.filter(plan__year=2020, source="").count()
    assert result.indicator_reports == IndicatorReport.objects.count() == submissions * manual
    assert result.submission_values == result.task_reports + result.indicator_reports
    # Allocated targets add up to the indicator's target.
    for indicator in Indicator.objects.filter(allocations__isnull=False).distinct():
        total = Allocation.objects.filter(indicator=indicator).aggregate(t=Sum("target"))["t"]
        assert total == indicator.target, indicator
    # Register figures for the year before too: the base of the growth indicators.
    assert set(Enrollment.objects.values_list("year", flat=True)) == {2019, 2020, 2021}


def test_it_refuses_years_that_already_have_a_plan_and_writes_nothing():
    Plan.objects.create(year=2021, title="已有计划")
    with pytest.raises(SeedRefused, match="2021 年已有计划"):
        seed_synthetic(members=3, years=2, tasks=2, first_year=2020, today=date(2022, 1, 1))
    assert not Member.objects.exists()
    with pytest.raises(CommandError, match="--first-year"):
        call_command("seed_synthetic", "--members", "3", "--first-year", "2017", "--years", "5")


def test_a_second_group_is_numbered_on():
    seed_synthetic(members=2, years=1, tasks=1, first_year=2020, today=date(2021, 1, 1))
    seed_synthetic(members=2, years=1, tasks=1, first_year=2030, today=date(2031, 1, 1))
    assert Member.objects.filter(name__startswith="合成").count() == 4


def test_the_dashboard_benchmark_prints_every_request(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    seed_synthetic(members=5, years=2, tasks=3, first_year=2020, today=date(2022, 1, 1))
    out = io.StringIO()
    call_command("bench", "dashboard", "--runs", "2", stdout=out)
    lines = out.getvalue().splitlines()
    for name in ["index", "api-headline", "api-heatmap", "api-completeness", "api-years"]:
        row = next(line for line in lines if line.split()[0] == name)
        assert row.count("ms") == 3, row
    assert not User.objects.filter(username="bench-leadership").exists()  # rolled back


def test_a_count_that_is_not_a_number_is_refused_in_chinese():
    with pytest.raises(CommandError, match="“abc”不是整数"):
        call_command("seed_synthetic", "--members", "abc")
    assert not Member.objects.exists()

"""Screens open on the latest year with something to show, never on a plan just imported."""

from datetime import date

import pytest
from django.urls import reverse

from targets.models import Plan, Submission, Task
from targets.selectors import default_plan

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture
def worked_year(school_a):
    plan = Plan.objects.create(year=2020, title="2020 年重点工作")
    Task.objects.create(plan=plan, number="1", title="扩大招生").responsible_members.add(school_a)
    Submission.objects.create(plan=plan, member=school_a, quarter=1, status="approved")
    return plan


def test_an_empty_plan_is_passed_over(worked_year):
    Plan.objects.create(year=2025, title="2025 年重点工作")  # imported, still empty
    assert default_plan(Plan.objects.all(), TODAY) == worked_year


def test_a_plan_with_tasks_already_due_is_shown_even_without_reports(worked_year, school_a):
    plan = Plan.objects.create(year=2026, title="2026 年重点工作")
    Task.objects.create(plan=plan, number="1", title="新任务").responsible_members.add(school_a)
    assert default_plan(Plan.objects.all(), TODAY) == plan
    # Nothing is due yet early in its year: the year before it is shown.
    assert default_plan(Plan.objects.all(), date(2026, 3, 1)) == worked_year


def test_a_future_plan_is_not_the_default(worked_year, school_a):
    plan = Plan.objects.create(year=2027, title="2027 年重点工作")
    Task.objects.create(plan=plan, number="1", title="明年").responsible_members.add(school_a)
    assert default_plan(Plan.objects.all(), TODAY) == worked_year


def test_the_dashboard_never_calls_an_empty_year_all_on_track(worked_year, client_for, leadership):
    empty = Plan.objects.create(year=2025, title="2025 年重点工作")
    client = client_for(leadership)
    page = client.get(reverse("dashboard:index"))
    assert page.context["plan"] == worked_year
    shown = client.get(reverse("dashboard:index"), {"year": empty.year})
    assert shown.context["plan"] == empty
    assert not shown.context["has_figures"]
    assert "没有滞后的指标" not in shown.content.decode()
    assert "本年度尚无任何数据" in shown.content.decode()


def test_a_plan_under_way_comes_before_a_later_one_with_register_figures_only(
    worked_year, school_a
):
    from enrollment.models import StudentsOnRoll
    from targets.models import Indicator

    later = Plan.objects.create(year=2024, title="2024 年实施意见")
    Indicator.objects.create(
        plan=later, code="students", name="在校生", unit="人", target=100,
        source="enrollment.students.secondary",
    )  # fmt: skip
    StudentsOnRoll.objects.create(member=school_a, year=2024, level="secondary", students=90)
    assert default_plan(Plan.objects.all(), TODAY) == worked_year
    Plan.objects.filter(pk=worked_year.pk).delete()
    assert default_plan(Plan.objects.all(), TODAY) == later

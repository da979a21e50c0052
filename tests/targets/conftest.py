"""The plan of this year with a task and an allocated indicator for school A: what the
submission tests start from."""

from datetime import timedelta

import pytest
from django.utils import timezone

from targets.models import Allocation, Indicator, Plan, QuarterSchedule, Task

TODAY = timezone.localdate()


@pytest.fixture
def plan(db):
    plan = Plan.objects.create(year=TODAY.year, title="重点工作")
    QuarterSchedule.objects.create(plan=plan, quarter=1, due_on=TODAY + timedelta(days=20))
    return plan


@pytest.fixture
def task(plan, school_a):
    task = Task.objects.create(plan=plan, number="1", title="扩大招生")
    task.responsible_members.add(school_a)
    return task


@pytest.fixture
def indicator(plan, school_a):
    indicator = Indicator.objects.create(plan=plan, code="e", name="招生", unit="人", target=900)
    Allocation.objects.create(indicator=indicator, member=school_a, target=800)
    return indicator

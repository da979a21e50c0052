"""A small world for the desks: one plan whose first quarter is due in two days (school_a has
submitted, school_b has not), with a task and an indicator each school answers for."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jituan.roles import Role
from targets import services
from targets.models import Allocation, Indicator, Plan, QuarterSchedule, Submission, Task
from tests.factories import user_with_role

TODAY = timezone.localdate()


@pytest.fixture
def plan(db):
    plan = Plan.objects.create(year=TODAY.year, title="重点工作")
    for quarter in range(1, 5):
        QuarterSchedule.objects.create(
            plan=plan, quarter=quarter, due_on=TODAY + timedelta(days=2 + 90 * (quarter - 1))
        )
    return plan


@pytest.fixture
def task(plan, school_a, school_b):
    task = Task.objects.create(plan=plan, number="1", title="扩大招生")
    task.responsible_members.add(school_a, school_b)
    return task


@pytest.fixture
def indicator(plan, school_a, school_b):
    indicator = Indicator.objects.create(plan=plan, code="e", name="招生", unit="人", target=900)
    Allocation.objects.create(indicator=indicator, member=school_a, target=800)
    Allocation.objects.create(indicator=indicator, member=school_b, target=100)
    return indicator


@pytest.fixture
def liaison_b(school_b):
    return user_with_role(Role.LIAISON, member=school_b, username="lianluo_b")


@pytest.fixture
def submitted(plan, task, indicator, liaison, school_a):
    draft = services.submission_start(plan=plan, member=school_a, quarter=1)
    services.submission_save(
        submission=draft,
        version=draft.version,
        task_rows={task.pk: {"progress": "按计划推进", "status": "on_track"}},
        indicator_rows={indicator.pk: {"value": 800}},
        user=liaison,
        submit=True,
    )
    return Submission.objects.get(pk=draft.pk)


def return_(submission, user, comment="请补充人数"):
    return services.submission_review(
        submission=submission,
        version=submission.version,
        approve=False,
        user=user,
        comment=comment,
        task_comments={submission.tasks.first().task_id: "进展写得太简略"},
    )


def approve(submission, user):
    return services.submission_review(
        submission=submission, version=submission.version, approve=True, user=user
    )

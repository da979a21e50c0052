"""A 2024 plan two schools answer for, with figures hand-worked in test_services.py:

school A: 2 tasks (1 done), 1 indicator at 80% of its own target, 3 of 4 quarterly submissions
on time, 2 certified achievements, 1 urge, no instruction;
school B: 1 task (done), no own target, 4 of 4 on time, no achievement, no urge, 1 instruction
answered."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment import selectors as assessment_selectors
from jituan.roles import Role
from supervision.models import Instruction, InstructionReply, Urge
from targets.models import (
    Allocation,
    Indicator,
    IndicatorReport,
    Plan,
    QuarterSchedule,
    Submission,
    Task,
    TaskReport,
)
from tests.factories import user_with_role

YEAR = 2024
TODAY = date(2025, 1, 31)
IN_2024 = timezone.make_aware(datetime(2024, 6, 1, 9, 0))


@pytest.fixture
def liaison_b(school_b):
    return user_with_role(Role.LIAISON, member=school_b, username="lianluo_b")


@pytest.fixture
def plan(db):
    plan = Plan.objects.create(year=YEAR, title="2024年重点工作")
    for quarter in range(1, 5):
        QuarterSchedule.objects.create(
            plan=plan, quarter=quarter, due_on=date(2024, 3 * quarter, 28)
        )
    return plan


def _submission(plan, member, quarter, *, late=False):
    return Submission.objects.create(
        plan=plan,
        member=member,
        quarter=quarter,
        status=Submission.Status.APPROVED,
        is_late=late,
        submitted_at=IN_2024,
        first_submitted_at=IN_2024,
        reviewed_at=IN_2024,
    )


@pytest.fixture
def world(plan, school_a, school_b, leadership, monkeypatch):
    first = Task.objects.create(plan=plan, number="1", title="扩大招生规模")
    second = Task.objects.create(plan=plan, number="2", title="建设产业学院")
    first.responsible_members.add(school_a, school_b)
    second.responsible_members.add(school_a)
    indicator = Indicator.objects.create(
        plan=plan, code="enroll", name="招生人数", unit="人", target=Decimal(300)
    )
    Allocation.objects.create(indicator=indicator, member=school_a, target=Decimal(100))
    for member in (school_a, school_b):
        for quarter in range(1, 5):
            submission = _submission(
                plan, member, quarter, late=member == school_a and quarter == 4
            )
            if quarter == 4:
                TaskReport.objects.create(
                    submission=submission, task=first, progress="已完成", status="done"
                )
                if member == school_a:
                    TaskReport.objects.create(
                        submission=submission,
                        task=second,
                        progress="场地未落实",
                        status="behind",
                        behind_reason="缺少场地",
                    )
                    IndicatorReport.objects.create(
                        submission=submission, indicator=indicator, value=Decimal(80)
                    )
    urge = Urge.objects.create(member=school_a, task=second, origin="manual", text="请加快进度")
    Urge.objects.filter(pk=urge.pk).update(created_at=IN_2024)
    instruction = Instruction.objects.create(task=first, text="请总结经验", by=leadership)
    Instruction.objects.filter(pk=instruction.pk).update(created_at=IN_2024)
    InstructionReply.objects.create(
        instruction=instruction, member=school_b, answer="已总结", answered_at=IN_2024
    )
    # Certification has its own tests; here school A simply has 2 certified records in 2024.
    monkeypatch.setattr(
        assessment_selectors, "certified_counts", lambda year, **kw: {school_a.pk: 2}
    )
    return plan

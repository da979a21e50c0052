"""Shared by the report tests: a 2024 assessment of four members, scored, ranked and graded."""

from decimal import Decimal

import pytest
from django.utils import timezone

from assessment.models import Assessment, Criterion, MemberScore
from tests.factories import MemberFactory

YEAR = 2024


def basis(*points):
    labels = ["任务完成情况", "被催办扣分"]
    weights = [60, 40]
    return [
        {"kind": kind, "label": label, "weight": weight, "points": str(p), "basis": f"{label}依据"}
        for kind, label, weight, p in zip(["tasks", "urges"], labels, weights, points, strict=True)
    ]


@pytest.fixture
def assessment(db):
    assessment = Assessment.objects.create(year=YEAR)
    Criterion.objects.create(assessment=assessment, kind="tasks", label="任务完成情况", weight=60)
    Criterion.objects.create(
        assessment=assessment, kind="urges", label="被催办扣分", weight=40, parameter=2, position=1
    )
    schools = [MemberFactory(name=name) for name in ("甲职业学校", "乙职业学校", "丙职业学校")]
    college = MemberFactory(name="丁职业技术学院", kind="higher_vocational")
    rows = [
        (schools[0], "92.0", "0", 1, "excellent", ("55.0", "37.0")),
        (schools[1], "81.0", "2.0", 2, "good", ("45.0", "34.0")),
        (schools[2], "55.5", "0", 3, "fail", ("20.0", "35.5")),
        (college, "78.0", "0", 1, "pass", ("40.0", "38.0")),
    ]
    for member, score, adjustment, rank, grade, points in rows:
        MemberScore.objects.create(
            assessment=assessment,
            member=member,
            computed=Decimal(score) - Decimal(adjustment),
            adjustment=Decimal(adjustment),
            adjustment_reason="承办省级技能大赛，酌情加分" if adjustment != "0" else "",
            score=Decimal(score),
            rank=rank,
            grade=grade,
            basis=basis(*points),
        )
    return assessment


def confirm(assessment):
    assessment.status = Assessment.Status.CONFIRMED
    assessment.confirmed_at = timezone.now()
    assessment.save()

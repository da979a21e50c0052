"""The dashboard's ranking of the confirmed annual assessment: every member for leadership, a
liaison's own line only, nothing while the assessment is a draft."""

from decimal import Decimal

import pytest
from django.utils import timezone

from assessment.models import Assessment, MemberScore
from targets.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(school_a, school_b):
    Plan.objects.create(year=2024, title="2024 年重点工作")
    assessment = Assessment.objects.create(year=2024)
    for member, score, rank, grade in (
        (school_a, "91.5", 1, "excellent"),
        (school_b, "72", 2, "pass"),
    ):
        MemberScore.objects.create(
            assessment=assessment,
            member=member,
            computed=Decimal(score),
            score=Decimal(score),
            rank=rank,
            grade=grade,
        )
    return assessment


def ranking(client, user):
    client.force_login(user)
    page = client.get("/dashboard/?year=2024").content.decode()
    if 'data-testid="assessment-ranking"' not in page:
        return None
    return page.split('data-testid="assessment-ranking"')[1].split('id="dashboard-labels"')[0]


def test_leadership_sees_every_member_ranked_once_confirmed(client, assessment, leadership):
    assert ranking(client, leadership) is None  # a draft is the secretariat's working copy
    assessment.status, assessment.confirmed_at = "confirmed", timezone.now()
    assessment.save()

    card = ranking(client, leadership)

    assert "2024年度考核排名" in card
    assert card.index("安庆工校") < card.index("安徽化工学校")
    assert "91.5" in card and "优秀" in card and "72.0" in card and "合格" in card


def test_a_liaison_sees_only_their_own_line(client, assessment, liaison):
    assessment.status, assessment.confirmed_at = "confirmed", timezone.now()
    assessment.save()

    card = ranking(client, liaison)

    assert "安庆工校" in card and "91.5" in card
    assert "安徽化工学校" not in card and "72.0" not in card

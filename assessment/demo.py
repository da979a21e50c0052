"""The demo's annual assessment: the year's default rules, computed, one member's score raised
with a reason, confirmed."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from jituan.models import User

from . import services
from .models import Assessment

DEMO_REASON = "承办省级技能大赛，酌情加分"


@transaction.atomic
def demo_assessment(year: int, *, user: User, today: date) -> Assessment:
    assessment = services.assessment_create(year=year, user=user)
    services.assessment_compute(assessment=assessment, user=user, today=today)
    score = assessment.scores.order_by("score", "member__name").first()
    if score is not None:
        services.score_adjust(score=score, user=user, adjustment=Decimal(2), reason=DEMO_REASON)
    assessment.refresh_from_db()
    return services.assessment_confirm(assessment=assessment, user=user)

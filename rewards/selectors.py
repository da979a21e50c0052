"""Reads that depend on who is asking: a liaison sees their own member's lines, never another
school's, and none of the group's figures."""

from dataclasses import replace

from django.db.models import Max
from django.utils import timezone

from jituan.models import Member, User
from jituan.selectors import members_for

from .models import RewardFund, RewardRule
from .services import RewardSummary, reward_summary


def reward_summary_for(user: User, year: int, *, scale: bool | None = None) -> RewardSummary:
    summary = reward_summary(year, scale=scale)
    visible = set(members_for(user).values_list("pk", flat=True))
    if visible == set(Member.objects.values_list("pk", flat=True)):
        return summary
    members = [row for row in summary.members if row.member.pk in visible]
    pending = [row for row in summary.pending if row.member_pk in visible]
    return replace(summary, members=members, outside_payees=[], pending=pending, partial=True)


def latest_reward_year() -> int:
    """The last year with a fund or rules, else this year: what the summary opens on."""
    years = [
        RewardFund.objects.aggregate(year=Max("year"))["year"],
        RewardRule.objects.aggregate(year=Max("year"))["year"],
    ]
    return max((y for y in years if y), default=timezone.localdate().year)

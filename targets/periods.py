"""Which plan and quarter a liaison reports on now (「本季度填报」)."""

from datetime import date

from django.db.models import Q

from jituan.models import Member

from .deadlines import member_deadline_state
from .models import Plan


def plans_concerning(member: Member) -> list[Plan]:
    """The plans with a task naming the member or an indicator allocated to it, newest first."""
    concerned = Q(tasks__responsible_members=member) | Q(indicators__allocations__member=member)
    return list(Plan.objects.filter(concerned).distinct().order_by("-year"))


def current_quarter(member: Member, today: date) -> tuple[Plan, int] | None:
    """The first quarter open to the member in the plans that concern it, newest plan first; else
    the latest started quarter of the newest such plan (quarter 1 if none has started)."""
    plans = plans_concerning(member)
    if not plans:
        return None
    for plan in plans:
        for quarter in range(1, 5):
            if member_deadline_state(plan, member.pk, quarter, today).accepts_liaison:
                return plan, quarter
    plan = plans[0]
    started = [
        quarter
        for quarter in range(1, 5)
        if member_deadline_state(plan, member.pk, quarter, today).code != "not_started"
    ]
    return plan, max(started, default=1)

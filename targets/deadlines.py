"""One deadline state per member × quarter, computed the same way for every screen."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .models import Plan, QuarterSchedule, ReopenRequest
from .models.submissions import quarter_bounds

DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class DeadlineState:
    code: str  # not_started, open, due_soon, late_open, closed, reopened
    due_on: date
    closes_on: date
    today: date
    reopened_until: date | None = None

    @property
    def accepts_liaison(self) -> bool:
        return self.code in ("open", "due_soon", "late_open", "reopened")

    @property
    def is_late_now(self) -> bool:
        return self.today > self.due_on

    @property
    def label(self) -> str:
        if self.code == "open":
            return _("open, due %(date)s") % {"date": _day(self.due_on)}
        if self.code == "due_soon":
            return _("due in %(days)s days") % {"days": (self.due_on - self.today).days}
        if self.code == "late_open":
            return _("late, still accepted until %(date)s") % {"date": _day(self.closes_on)}
        if self.code == "reopened":
            return _("reopened until %(date)s") % {"date": _day(self.reopened_until)}
        return _("not started") if self.code == "not_started" else _("closed")

    @property
    def badge(self) -> str:
        return {
            "due_soon": "warning",
            "late_open": "danger",
            "closed": "secondary",
            "reopened": "info",
            "not_started": "light",
        }.get(self.code, "success")


def _day(value: date) -> str:
    return f"{value:%Y-%m-%d}"


def schedules_for(plan: Plan) -> dict[int, QuarterSchedule]:
    stored = {schedule.quarter: schedule for schedule in plan.schedules.all()}
    return {q: stored.get(q) or QuarterSchedule.default_for(plan, q) for q in range(1, 5)}


def grants_for(plan: Plan, today: date) -> dict[tuple[int, int], date]:
    """(member, quarter) → the latest date a granted reopening runs to."""
    grants: dict[tuple[int, int], date] = {}
    for member_id, quarter, until in ReopenRequest.objects.filter(
        plan=plan, status=ReopenRequest.Status.GRANTED, until__gte=today
    ).values_list("member_id", "quarter", "until"):
        key = (member_id, quarter)
        grants[key] = max(until, grants.get(key, until))
    return grants


def deadline_state(
    *, schedule: QuarterSchedule, today: date, reopened_until: date | None = None
) -> DeadlineState:
    state = DeadlineState("open", schedule.due_on, schedule.closes_on, today, reopened_until)
    first, _last = quarter_bounds(schedule.plan.year, schedule.quarter)
    if today < first:
        code = "not_started"
    elif today <= schedule.due_on:
        code = "due_soon" if (schedule.due_on - today).days <= DUE_SOON_DAYS else "open"
    elif today <= schedule.closes_on:
        code = "late_open"
    elif reopened_until and today <= reopened_until:
        code = "reopened"
    else:
        code = "closed"
    return DeadlineState(code, state.due_on, state.closes_on, today, reopened_until)


def member_deadline_state(plan: Plan, member_id: int, quarter: int, today: date) -> DeadlineState:
    schedule = schedules_for(plan)[quarter]
    return deadline_state(
        schedule=schedule,
        today=today,
        reopened_until=grants_for(plan, today).get((member_id, quarter)),
    )

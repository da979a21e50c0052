"""Computing and storing the lights: the daily job and the demo call lights_compute."""

from datetime import date, timedelta

from django.db import transaction

from targets.deadlines import schedules_for
from targets.models import Plan

from .lights import plan_verdicts
from .models import LightChange, SupervisionPolicy, TaskLight


@transaction.atomic
def lights_compute(*, plan: Plan, today: date) -> dict:
    """Store every task × member light of the plan as of today; a light that changes colour
    (or appears) starts a new `since` and leaves a LightChange. Running it twice a day writes
    the same lights and no new history."""
    policy = SupervisionPolicy.current()
    verdicts = plan_verdicts(plan, today, policy.yellow_days)
    stored = {
        (light.task_id, light.member_id): light
        for light in TaskLight.objects.select_for_update().filter(task__plan=plan)
    }
    to_create, to_update, changes = [], [], []
    for (task_id, member_id), verdict in verdicts.items():
        light = stored.get((task_id, member_id))
        if light is None:
            light = TaskLight(task_id=task_id, member_id=member_id, since=today)
            to_create.append(light)
            previous = ""
        else:
            to_update.append(light)
            previous = light.light
        if previous != verdict.light:
            light.since = today
            changes.append(
                LightChange(
                    task_id=task_id,
                    member_id=member_id,
                    light=verdict.light,
                    previous=previous,
                    reason=verdict.reason,
                    changed_on=today,
                )
            )
        light.light, light.reason, light.due_on = verdict.light, verdict.reason, verdict.due_on
        light.computed_on = today
    TaskLight.objects.bulk_create(to_create)
    TaskLight.objects.bulk_update(
        to_update, ["light", "reason", "due_on", "since", "computed_on"], batch_size=500
    )
    LightChange.objects.bulk_create(changes)
    gone = [pk for key, light in stored.items() if key not in verdicts for pk in [light.pk]]
    TaskLight.objects.filter(pk__in=gone).delete()
    return {"lights": len(verdicts), "changed": len(changes)}


def live_plans(today: date):
    """The plans whose work is being supervised: this year's, and last year's until its fourth
    quarter's reports have closed."""
    plans = []
    for plan in Plan.objects.filter(year__in=[today.year, today.year - 1]):
        last = schedules_for(plan)[4]
        if plan.year == today.year or today <= last.closes_on + timedelta(days=1):
            plans.append(plan)
    return plans


def lights_compute_live(*, today: date) -> dict:
    return {plan.year: lights_compute(plan=plan, today=today) for plan in live_plans(today)}

"""The demo's supervision: each demo year's lights replayed week by week through the year, as
the daily job would have worked them out, so that the lights have a history ("red for three
weeks") and every dispatch report of the year its section. The replay stops where the year's
demo story does: 2020 at its end, 2024 in late November, with Q4 still to come."""

from datetime import date, timedelta

from targets.models import Plan

from .models import LightChange, TaskLight
from .services import lights_compute

REPLAY_UNTIL = {2020: date(2020, 12, 31), 2024: date(2024, 11, 20)}


def demo_seed(stdout) -> None:
    for year, until in REPLAY_UNTIL.items():
        plan = Plan.objects.filter(year=year).first()
        if plan is None:
            continue
        # Rerunnable: the replay starts again from nothing.
        LightChange.objects.filter(task__plan=plan).delete()
        TaskLight.objects.filter(task__plan=plan).delete()
        day = date(year, 1, 6)
        while day < until:
            lights_compute(plan=plan, today=day)
            day += timedelta(days=7)
        result = lights_compute(plan=plan, today=until)
        stdout.write(f"  supervision {year}: {result['lights']} lights as of {until}")

"""What each user may see of supervision, in one place: a liaison their own member's lights
(and urges) only; the secretariat, leadership and the admin everything."""

from collections import Counter

from jituan.models import User

from .models import SEVERITY, Light, TaskLight


def lights_for(user: User, plan=None):
    lights = TaskLight.objects.select_related("task", "member")
    if plan is not None:
        lights = lights.filter(task__plan=plan)
    if user.is_liaison:
        return lights.filter(member_id=user.member_id)
    return lights


def light_counts(lights) -> dict[str, int]:
    counts = Counter(lights.values_list("light", flat=True))
    return {light: counts.get(light, 0) for light in Light.values}


def worst(lights) -> str | None:
    """The worst light of a set of task lights: a member's or a task's light."""
    found = [light.light if isinstance(light, TaskLight) else light for light in lights]
    return max(found, key=lambda light: SEVERITY[light]) if found else None


def member_lights(lights) -> list[dict]:
    """Per member: its worst light and how many of its tasks are red, yellow and green, worst
    members first."""
    by_member: dict[int, dict] = {}
    for light in lights:
        row = by_member.setdefault(
            light.member_id,
            {"member": light.member, "counts": dict.fromkeys(Light.values, 0), "reds": []},
        )
        row["counts"][light.light] += 1
        if light.light == Light.RED:
            row["reds"].append(light)
    for row in by_member.values():
        row["light"] = next(
            (value for value in (Light.RED, Light.YELLOW) if row["counts"][value]), Light.GREEN
        )
    return sorted(
        by_member.values(),
        key=lambda row: (-SEVERITY[row["light"]], -row["counts"][Light.RED], row["member"].name),
    )

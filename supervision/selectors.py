"""What each user may see of supervision, in one place: a liaison their own member's lights
(and urges) only; the secretariat, leadership and the admin everything."""

from collections import Counter

from django.db import models
from django.shortcuts import get_object_or_404

from jituan.models import User
from jituan.roles import Role
from jituan.selectors import scope_to_member

from .models import SEVERITY, Instruction, Light, LightChange, TaskLight, Urge, Webhook


def lights_for(user: User, plan=None):
    lights = TaskLight.objects.select_related("task", "member")
    if plan is not None:
        lights = lights.filter(task__plan=plan)
    if user.is_liaison:
        return lights.filter(member_id=user.member_id)
    return lights


def latest_lights_for(user: User):
    """The lights of the latest plan that has any: what a desk shows (an older year's lights
    stay on its own pages)."""
    lights = lights_for(user)
    year = lights.order_by("-task__plan__year").values_list("task__plan__year", flat=True).first()
    return lights.filter(task__plan__year=year) if year else lights.none()


def light_counts(lights) -> dict[str, int]:
    counts = Counter(lights.values_list("light", flat=True))
    return {light: counts.get(light, 0) for light in Light.values}


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


# --- urges (催办) -------------------------------------------------------------------------------


def urges_for(user: User):
    """The urge log: a liaison their own member's urges, the other roles every urge."""
    urges = Urge.objects.select_related(
        "member", "task", "submission__plan", "by"
    ).prefetch_related("deliveries__notification")
    return scope_to_member(urges, user)


def webhooks_for(user: User):
    """The group robots, for the secretariat and the admin (they hold addresses and secrets)."""
    if user.is_superuser or user.role in (Role.SECRETARIAT, Role.ADMIN):
        return Webhook.objects.select_related("member")
    return Webhook.objects.none()


def webhook_get_for(user: User, pk: int) -> Webhook:
    return get_object_or_404(webhooks_for(user), pk=pk)


def lights_on(plan, day):
    """The lights as they stood at the end of `day`, from their history (a report for a past
    month shows that month's lights, not today's): the latest change of each task × member,
    with the day it turned that colour."""
    changes = (
        LightChange.objects.filter(task__plan=plan, changed_on__lte=day)
        .select_related("task", "member")
        .order_by("task__position", "task__pk", "member__name", "-changed_on", "-pk")
    )
    latest = {}
    for change in changes:
        latest.setdefault((change.task_id, change.member_id), change)
    return list(latest.values())


def instructions_for(user: User):
    """A liaison reads the instructions sent to their member; everyone else reads all."""
    instructions = Instruction.objects.select_related(
        "task", "submission__member", "submission__plan", "report", "by"
    )
    if user.is_liaison:
        return instructions.filter(replies__member_id=user.member_id).distinct()
    return instructions


def replies_for(user: User, instruction):
    """The members' answers a user may read: a liaison their own member's only."""
    replies = instruction.replies.select_related("member", "answered_by")
    if user.is_liaison:
        return replies.filter(member_id=user.member_id)
    return replies


def instructions_on(plan, as_of):
    """The instructions given on a plan's tasks and reports by as_of, each with its members'
    answers as they stood then (an answer given later shows as not yet answered)."""
    instructions = (
        Instruction.objects.filter(created_at__lte=as_of)
        .filter(
            models.Q(task__plan=plan)
            | models.Q(submission__plan=plan)
            | models.Q(report__year=plan.year)
        )
        .select_related("task", "submission__member", "report", "by")
        .prefetch_related("replies__member")
        .order_by("created_at", "pk")
    )
    rows = []
    for instruction in instructions:
        replies = [
            (reply.member, reply.answer if reply.answered_at and reply.answered_at <= as_of else "")
            for reply in instruction.replies.all()
        ]
        rows.append(
            {"instruction": instruction, "replies": replies, "done": all(a for _m, a in replies)}
        )
    return rows

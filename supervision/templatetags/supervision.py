"""Lights on other apps' pages (the plan, the task list, the board, the desk) without those
apps importing supervision: {% load supervision %}{% task_light task %}."""

from django import template

from ..models import SEVERITY, TaskLight
from ..selectors import instructions_for, lights_for

register = template.Library()


def _plan_lights(request, plan_id: int) -> list[TaskLight]:
    """Every light of a plan the user may see, read once per request however many rows of a
    page ask (the board and the task tables stay at a fixed number of queries)."""
    cache = request.__dict__.setdefault("_supervision_lights", {})
    if plan_id not in cache:
        cache[plan_id] = list(lights_for(request.user).filter(task__plan_id=plan_id))
    return cache[plan_id]


def _worst(lights: list[TaskLight], **extra) -> dict:
    lights = sorted(lights, key=lambda light: -SEVERITY[light.light])
    worst = [light for light in lights if light.light == lights[0].light] if lights else []
    return {"light": worst[0].light if worst else None, "lights": worst, **extra}


@register.inclusion_tag("supervision/partials/light_with_reason.html", takes_context=True)
def task_light(context, task):
    """The task's worst light among the members the user may see, with its reasons."""
    lights = _plan_lights(context["request"], task.plan_id)
    return _worst([light for light in lights if light.task_id == task.pk])


@register.inclusion_tag("supervision/partials/light_with_reason.html", takes_context=True)
def member_light(context, member, plan):
    """A member's light in a plan: the worst of its tasks'."""
    lights = _plan_lights(context["request"], plan.pk)
    return _worst([light for light in lights if light.member_id == member.pk], with_task=True)


@register.inclusion_tag("supervision/partials/instructions.html", takes_context=True)
def instructions_card(context, task=None, submission=None, report=None):
    """The instructions given on a task, a quarterly report or an issued report, as far as the
    user may read them, and for leadership the button to write one."""
    from jituan.roles import Role

    user = context["request"].user
    instructions = instructions_for(user)
    if task is not None:
        instructions, query = instructions.filter(task=task), f"task={task.pk}"
    elif submission is not None:
        instructions, query = (
            instructions.filter(submission=submission),
            f"submission={submission.pk}",
        )
    else:
        instructions, query = instructions.filter(report=report), f"report={report.pk}"
    return {
        "instructions": instructions.prefetch_related("replies"),
        "query": query,
        "may_write": user.role == Role.LEADERSHIP,
    }

"""Lights on other apps' pages (the plan, the task list, the board, the desk) without those
apps importing supervision: {% load supervision %}{% task_light task %}."""

from django import template

from ..models import SEVERITY, TaskLight

register = template.Library()


def _scoped(user, lights):
    return lights.filter(member_id=user.member_id) if user.is_liaison else lights


@register.inclusion_tag("supervision/partials/light_with_reason.html", takes_context=True)
def task_light(context, task):
    """The task's worst light among the members the user may see, with its reasons."""
    lights = list(_scoped(context["request"].user, TaskLight.objects.filter(task=task)))
    lights.sort(key=lambda light: -SEVERITY[light.light])
    worst = [light for light in lights if lights and light.light == lights[0].light]
    return {"light": worst[0].light if worst else None, "lights": worst}


@register.inclusion_tag("supervision/partials/light_with_reason.html", takes_context=True)
def member_light(context, member, plan):
    """A member's light in a plan: the worst of its tasks'."""
    lights = list(TaskLight.objects.filter(member=member, task__plan=plan).select_related("task"))
    lights.sort(key=lambda light: -SEVERITY[light.light])
    worst = [light for light in lights if light.light == lights[0].light] if lights else []
    return {"light": worst[0].light if worst else None, "lights": worst, "with_task": True}

"""The 督办 cards the task and report pages include: lights, the urge button, the urge log."""

from django import template

from jituan.roles import Role
from targets.models import Submission

from ..selectors import lights_for, urges_for

register = template.Library()

LOG_LENGTH = 20


def _may_urge(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.SECRETARIAT)


@register.inclusion_tag("supervision/partials/urge_task_card.html", takes_context=True)
def urge_task_card(context, task):
    user = context["request"].user
    lights = {light.member_id: light for light in lights_for(user).filter(task=task)}
    members = task.responsible_members.order_by("name")
    if user.is_liaison:
        members = members.filter(pk=user.member_id)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "task": task,
        "rows": [(member, lights.get(member.pk)) for member in members],
        "may_urge": _may_urge(user),
        "urges": urges_for(user).filter(task=task)[:LOG_LENGTH],
    }


@register.inclusion_tag("supervision/partials/urge_submission_card.html", takes_context=True)
def urge_submission_card(context, submission):
    user = context["request"].user
    open_statuses = (Submission.Status.DRAFT, Submission.Status.RETURNED)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "submission": submission,
        "may_urge": _may_urge(user) and submission.status in open_statuses,
        "urges": urges_for(user).filter(submission=submission)[:LOG_LENGTH],
    }

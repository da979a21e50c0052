"""Supervision pages: the lights (红黄绿灯) of every task and member."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from targets import selectors as target_selectors

from .models import Light, TaskLight
from .selectors import light_counts, lights_for, member_lights


def plan_with_lights(request, plans):
    """The plan asked for (?plan=), else the latest one that has lights, else the one the other
    screens open on."""
    chosen = request.GET.get("plan", "")
    if chosen.isascii() and chosen.isdigit():
        plan = plans.filter(pk=chosen).first()
        if plan is not None:
            return plan
    lit = plans.filter(tasks__lights__isnull=False).distinct().order_by("-year").first()
    return lit or target_selectors.default_plan(plans, timezone.localdate())


@require_GET
@login_required
def light_list(request):
    plans = target_selectors.plans_for(request.user).order_by("-year")
    plan = plan_with_lights(request, plans)
    lights = lights_for(request.user, plan) if plan else TaskLight.objects.none()
    shown = request.GET.get("light", "")
    listed = lights.filter(light=shown) if shown in Light.values else lights
    return render(
        request,
        "supervision/light_list.html",
        {
            "plans": plans,
            "plan": plan,
            "counts": light_counts(lights),
            "members": member_lights(lights),
            "lights": listed.order_by("task__position", "task__pk", "member__name"),
            "shown": shown,
            "lights_choices": [
                (value, Light(value).label) for value in (Light.RED, Light.YELLOW, Light.GREEN)
            ],
        },
    )
